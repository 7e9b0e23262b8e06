// Timed injects on the exercise clock: one timer per running exercise for its next due inject, re-armed after
// every command of the exercise (the runner's queue does it) and when the relay starts, so injects that fell
// due while the relay was down fire at once, in order.
import type { Logger } from 'pino';
import type { ExerciseRun } from './exercise-run.js';

export interface InjectTimerDeps {
  log: Logger;
  now: () => number;
  run: (exercise: string) => ExerciseRun | undefined;
  /** The runner's per-exercise queue: a timed fire waits for the commands before it. */
  serial: (exercise: string, task: (run: ExerciseRun) => Promise<void>) => Promise<unknown>;
  fire: (run: ExerciseRun, id: string) => Promise<void>;
}

/** setTimeout's limit: a later due time is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class InjectTimer {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(private readonly deps: InjectTimerDeps) {}

  /** Arms the exercise's timer for its next timed inject (none unless the clock runs). */
  arm(exercise: string): void {
    clearTimeout(this.#timers.get(exercise));
    this.#timers.delete(exercise);
    const run = this.deps.run(exercise);
    if (this.#closed || !run || run.clock.phase !== 'running') return;
    const next = run.due()[0];
    if (!next) return;
    const now = this.deps.now();
    const at = run.clock.realTimeOf(next.offset, now) ?? now;
    const timer = setTimeout(() => this.#fireDue(exercise), Math.min(MAX_DELAY_MS, Math.max(0, at - now)));
    timer.unref();
    this.#timers.set(exercise, timer);
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  /** Fires every timed inject whose time has come, in order; a failure is logged and retried on the next arm. */
  #fireDue(exercise: string): void {
    this.deps
      .serial(exercise, async (run) => {
        const now = this.deps.now();
        const reached = run.clock.exerciseMs(now) ?? -1;
        for (const { id, offset } of run.due()) {
          if (offset > reached || run.clock.phase !== 'running') break;
          await this.deps.fire(run, id);
        }
      })
      .catch((err: unknown) => {
        this.deps.log.error({ err, exercise }, 'a timed inject could not be fired');
        // Retry a little later rather than spin: the store may be recovering.
        if (!this.#closed) setTimeout(() => this.arm(exercise), 1000).unref();
      });
  }
}
