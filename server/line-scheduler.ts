// The relay's own entries for the line's procedures (docs/PROTOCOL.md section 16): a call request's expiry
// when its window (line time) closes unanswered, and each station's link test every linkTestIntervalMs
// (real time), marked missed when no console answers within linkTestTimeoutMs. One timer per exercise for
// whichever comes first, re-armed whenever a control entry commits (an answer, a pause, a resume, new
// settings, a key) and when the relay starts, so a restarted relay catches up at once: an overdue test is
// missed, an overdue call expires, and the next test follows one interval after the last.
// Every append runs in the runner's per-exercise queue and re-checks the state right before it; an answer
// in flight (line-pending.ts) postpones the expiry or miss until it settles.
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { EntryKind } from '../shared/entry.js';
import type { CallExpiredData, LinkMissedData, LinkTestData } from '../shared/line-entries.js';
import type { ExerciseRun } from './exercise-run.js';
import { answerKey, type PendingAnswers } from './line-pending.js';
import type { AppendRequest, Committed } from './store/types.js';

export interface LineSchedulerDeps {
  log: Logger;
  now: () => number;
  append: (req: AppendRequest) => Promise<Committed>;
  pending: PendingAnswers;
  run: (exercise: string) => ExerciseRun | undefined;
  /** The runner's per-exercise queue: the scheduler's appends wait for its commands and it for theirs. */
  serial: (exercise: string, task: (run: ExerciseRun) => Promise<void>) => Promise<unknown>;
}

/** setTimeout's limit: a later time is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** How soon to look again when an answer in flight held an expiry or a miss back, or a due time rounded early. */
const RECHECK_MS = 25;
/** After a failed append (the store may be recovering). */
const RETRY_MS = 1000;

export class LineScheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(private readonly deps: LineSchedulerDeps) {}

  /** Sets the exercise's timer for its next expiry, miss or test (none once it has ended). */
  arm(exercise: string, floorMs = 0): void {
    clearTimeout(this.#timers.get(exercise));
    this.#timers.delete(exercise);
    const run = this.deps.run(exercise);
    if (this.#closed || !run || run.clock.phase === 'ended') return;
    const now = this.deps.now();
    const at = this.#next(run, now);
    if (at === undefined) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(floorMs, at - now));
    const timer = setTimeout(() => this.#tick(exercise), delay);
    timer.unref();
    this.#timers.set(exercise, timer);
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  /** The earliest time something may be due: a call's window, an open test's timeout, a station's next test. */
  #next(run: ExerciseRun, now: number): number | undefined {
    const times: number[] = [];
    for (const call of run.line.openCalls()) {
      const due = run.line.callDueAt(call, now);
      if (due !== undefined) times.push(due);
    }
    for (const t of run.line.tests.values()) if (!t.reply && !t.missed) times.push(t.place.at + t.timeoutMs);
    for (const [station, since] of run.lineState.testedStations()) {
      if (!run.line.openTest(station)) times.push(this.#nextTestAt(run, station, since));
    }
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** One interval after the station's last test, or after its first key (or the latest settings) if none. */
  #nextTestAt(run: ExerciseRun, station: string, firstKeyAt: number): number {
    const last = run.line.lastTest(station);
    const from = Math.max(last?.place.at ?? firstKeyAt, run.lineState.settingsAt);
    return from + run.line.settings.linkTestIntervalMs;
  }

  #tick(exercise: string): void {
    let acted = false;
    let held = false;
    this.deps
      .serial(exercise, async (run) => {
        if (run.clock.phase === 'ended') return;
        for (const call of run.line.openCalls()) {
          const r = await this.#relayEntry(run, call.id, 'call-expired', (now): CallExpiredData | undefined => {
            const c = run.line.calls.get(call.id);
            if (!c || c.state !== 'awaiting' || !c.awaiting || run.line.callLeftMs(c, now) > 0) return undefined;
            return { ref: c.id, refHash: c.place.hash, awaiting: c.awaiting, windowMs: run.line.settings.callWindowMs };
          });
          acted ||= r === 'appended';
          held ||= r === 'held';
        }
        for (const test of [...run.line.tests.values()].filter((t) => !t.reply && !t.missed)) {
          const r = await this.#relayEntry(run, test.id, 'link-missed', (now): LinkMissedData | undefined => {
            if (test.reply || test.missed || now - test.place.at < test.timeoutMs) return undefined;
            return { ref: test.id, refHash: test.place.hash, to: test.to };
          });
          acted ||= r === 'appended';
          held ||= r === 'held';
        }
        for (const [station, since] of run.lineState.testedStations()) {
          const now = this.deps.now();
          if (run.line.openTest(station)) continue;
          if (now < this.#nextTestAt(run, station, since)) continue;
          const data: LinkTestData = { id: uuidv7(), to: station, timeoutMs: run.line.settings.linkTestTimeoutMs };
          await this.deps.append({ exercise, kind: 'link-test', at: new Date(now).toISOString(), data });
          acted = true;
        }
      })
      .then(
        () => this.arm(exercise, held || !acted ? RECHECK_MS : 0),
        (err: unknown) => {
          this.deps.log.error({ err, exercise }, "the line's procedures could not be written");
          if (!this.#closed) setTimeout(() => this.arm(exercise), RETRY_MS).unref();
        },
      );
  }

  /** Appends the relay's closing entry for `ref` if `build` (given the entry's time) still finds it due and
   * no answer is in flight; the entry holds `ref`'s mark while it is written, so no answer slips under it. */
  async #relayEntry(
    run: ExerciseRun,
    ref: string,
    kind: EntryKind,
    build: (now: number) => CallExpiredData | LinkMissedData | undefined,
  ): Promise<'appended' | 'held' | 'not due'> {
    const key = answerKey(run.exercise, ref);
    if (this.deps.pending.holder(key) !== undefined) return 'held';
    const now = this.deps.now();
    const data = build(now);
    if (!data || run.clock.phase === 'ended') return 'not due';
    const release = this.deps.pending.mark(key, 'relay');
    try {
      await this.deps.append({ exercise: run.exercise, kind, at: new Date(now).toISOString(), data });
    } finally {
      release();
    }
    // A miss is an alarm at the consoles and the trainer; the operator's log says so too.
    if (kind === 'link-missed') this.deps.log.warn({ exercise: run.exercise, ...data }, 'link test missed');
    return 'appended';
  }
}
