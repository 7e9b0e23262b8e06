// The relay's stream as this console takes it in: entries and checkpoints handled one at a time, in arrival
// order; a chain that fails verification stops everything after it; and the console is caught up once it has
// applied the head its welcome named. What the console does with each applied entry is its own (client.ts).
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import type { Entry } from '../shared/entry.js';
import type { CheckpointGuard } from './checkpoints.js';
import type { AppliedHere, StationLog } from './station-log.js';

export interface EntryStreamDeps {
  log: StationLog;
  checkpoints: CheckpointGuard;
  alarm: (code: ErrorCode, message: string, idx?: number) => void;
  /** An entry was verified and applied to the station's log. */
  applied: (here: AppliedHere) => Promise<void>;
  /** Everything up to the head the welcome named is applied (once per client). */
  caughtUp: (idx: number) => Promise<void>;
}

export class EntryStream {
  #applying: Promise<void> = Promise.resolve();
  #caughtUpTarget = Infinity;
  #caughtUp = false;
  #broken: HotlineError | undefined;

  constructor(private readonly deps: EntryStreamDeps) {}

  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Resolves once every frame received so far is handled. */
  idle(): Promise<void> {
    return this.#applying;
  }

  /** The relay's welcome: its head (what catching up means) and its latest checkpoint, if any. */
  welcome(headIdx: number, checkpoint: string | null): void {
    this.deps.checkpoints.welcome(headIdx);
    if (checkpoint) this.#queue(() => this.deps.checkpoints.offer(checkpoint));
    this.#caughtUpTarget = headIdx;
    this.#queue(() => this.#maybeCaughtUp());
  }

  entry(entry: Entry): void {
    this.#queue(() => this.#apply(entry));
  }

  checkpoint(jws: string): void {
    this.#queue(() => this.deps.checkpoints.offer(jws));
  }

  get #lastIdx(): number {
    return this.deps.log.chain.length - 1;
  }

  /** Entries and checkpoints are handled one at a time, in arrival order. A failure in one must not stop
   * the ones after it (a rejected chain would skip every later entry silently): it becomes an alarm. */
  #queue(step: () => Promise<void>): void {
    this.#applying = this.#applying
      .then(step)
      .catch((err: unknown) =>
        this.deps.alarm('INTERNAL', `The console could not process a frame: ${(err as Error).message}`),
      );
  }

  async #apply(entry: Entry): Promise<void> {
    if (this.#broken || entry.idx < this.deps.log.chain.length) return;
    let here: AppliedHere;
    try {
      here = await this.deps.log.apply(entry);
    } catch (err) {
      this.#broken = err instanceof HotlineError ? err : new HotlineError('CHAIN_BROKEN');
      this.deps.alarm(
        this.#broken.code,
        `Verification failed; nothing after entry ${this.#lastIdx} is shown. ${this.#broken.message}`,
        entry.idx,
      );
      return;
    }
    this.deps.checkpoints.entry(entry);
    await this.deps.applied(here);
    await this.#maybeCaughtUp();
  }

  async #maybeCaughtUp(): Promise<void> {
    if (this.#caughtUp || this.#lastIdx < this.#caughtUpTarget) return;
    this.#caughtUp = true;
    await this.deps.caughtUp(this.#lastIdx);
  }
}
