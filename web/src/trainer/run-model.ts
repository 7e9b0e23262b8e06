// The exercise's RunState (lifecycle, clock, MSEL) as the trainer's page holds it: read from the relay,
// replaced by the answer to every action, read again every few seconds while the clock runs and soon after
// the live stream shows an entry that changes it. Answers that arrive out of order never move the state
// back (the relay's `at` orders them). No DOM: tests run it in Node with a scripted API.
import type { TrainerApi } from '../../../client/trainer-api.js';
import { Emitter } from '../../../client/emitter.js';
import type { EntryKind } from '../../../shared/entry.js';
import { HotlineError } from '../../../shared/errors.js';
import type { RunState } from '../../../shared/http-api.js';
import { exerciseMsAt } from './run-clock.js';

export type RunEvents = {
  change: RunState;
  /** A read failed (an action's failure goes to its caller instead). */
  error: HotlineError;
};

export interface RunOptions {
  /** How often to read the state while the clock runs (ms). */
  pollMs: number;
  /** How often otherwise, so another trainer's changes show too (ms). */
  idleMs: number;
  /** How long after a stream entry to read, so a burst of entries costs one read (ms). */
  settleMs: number;
}

export const RUN_OPTIONS: RunOptions = { pollMs: 3_000, idleMs: 15_000, settleMs: 150 };

/** The log entries after which the RunState is different. */
const CHANGING: ReadonlySet<EntryKind> = new Set(['exercise-state', 'scenario', 'inject-control', 'inject']);

export class RunModel extends Emitter<RunEvents> {
  state: RunState | undefined;
  /** Relay time minus local time, estimated from the last reading. */
  #skew = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settle: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(
    readonly exercise: string,
    private readonly api: Pick<TrainerApi, 'run'>,
    private readonly options: RunOptions = RUN_OPTIONS,
  ) {
    super();
  }

  start(): void {
    this.#running = true;
    void this.refresh();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    clearTimeout(this.#settle);
  }

  /** The relay's time now, as well as this page can tell. */
  now(local = Date.now()): number {
    return local + this.#skew;
  }

  /** Exercise time now (ms), or null before STARTEX or before the first reading. */
  exerciseMs(local = Date.now()): number | null {
    return this.state ? exerciseMsAt(this.state, this.now(local)) : null;
  }

  /** Reads the state now; a failure is emitted, not thrown. */
  async refresh(): Promise<RunState | undefined> {
    const sent = Date.now();
    try {
      return this.#take(await this.api.run(this.exercise), sent);
    } catch (err) {
      this.emit('error', err instanceof HotlineError ? err : new HotlineError('INTERNAL', String(err)));
      return undefined;
    } finally {
      this.#schedule();
    }
  }

  /** Runs an action whose answer is the new RunState; its failure is the caller's to show. */
  async act(action: () => Promise<RunState>): Promise<RunState> {
    const sent = Date.now();
    return this.#take(await action(), sent);
  }

  /** After an action that answers something else (a note): read the state again. */
  changed(): void {
    this.#soon();
  }

  /** A verified entry arrived on the live stream: read again soon if it changes the run. */
  sawEntry(kind: EntryKind): void {
    if (CHANGING.has(kind)) this.#soon();
  }

  #soon(): void {
    if (!this.#running) return;
    clearTimeout(this.#settle);
    this.#settle = setTimeout(() => void this.refresh(), this.options.settleMs);
  }

  #take(next: RunState, sent: number): RunState {
    const current = this.state;
    if (current && Date.parse(next.at) < Date.parse(current.at)) return current;
    // The reading was taken somewhere between sending and receiving: assume halfway.
    const received = Date.now();
    this.#skew = Date.parse(next.at) - (sent + received) / 2;
    this.state = next;
    this.emit('change', next);
    this.#schedule();
    return next;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (!this.#running || this.state?.phase === 'ended') return;
    const ms = this.state?.phase === 'running' ? this.options.pollMs : this.options.idleMs;
    this.#timer = setTimeout(() => void this.refresh(), ms);
  }
}
