// Runs exercises: lifecycle transitions, the scenario, controllers' inject commands (inject-commands.ts), timed
// injects on the exercise clock (inject-timer.ts), trainer notes, and the line's procedures (call expiries and
// link tests: line-scheduler.ts).
// Every decision is a relay-authored entry; the state follows the log (committed() is called by the relay
// core for each committed control entry, before it is streamed), so a restarted relay rebuilds it from the
// store and fires whatever fell due while it was down.
// Commands on one exercise run one at a time: each checks the state its predecessors left.
import type { Logger } from 'pino';
import type { EntryKind } from '../shared/entry.js';
import { HotlineError } from '../shared/errors.js';
import type { ExerciseState } from '../shared/exercise-clock.js';
import type { RunState } from '../shared/http-api.js';
import type { ExerciseDef } from '../shared/items.js';
import { commitmentOf, newSalt, PRIVATE_KINDS } from '../shared/private.js';
import type { LineSettings } from '../shared/line-entries.js';
import { scenarioDeadlinesMs, scenarioProblems } from '../shared/scenario.js';
import { ExerciseRun, type FiredInject } from './exercise-run.js';
import { InjectCommands, type InjectCommand } from './inject-commands.js';
import { InjectTimer } from './inject-timer.js';
import { LineScheduler } from './line-scheduler.js';
import { PendingAnswers } from './line-pending.js';
import { mergeProcedures, type ProceduresInput } from './procedures-input.js';
import type { RunLine } from './run-line.js';
import type { AppendRequest, Committed, Store } from './store/types.js';

export interface RunnerDeps {
  store: Store;
  log: Logger;
  now: () => number;
  /** The relay core's append: the runner's entries share its commits, checks and fan-out. */
  append: (req: AppendRequest) => Promise<Committed>;
  /** Resolves once the relay has handed on every entry of the exercise up to its head as it is now. */
  caughtUp: (exercise: string) => Promise<void>;
  exercise: (id: string) => Promise<ExerciseDef>;
}

/** Runs of one command against a changing state before it gives up (STATE_CHANGED, 409). */
const MAX_ATTEMPTS = 5;

export class ExerciseRunner {
  readonly #runs = new Map<string, ExerciseRun>();
  /** The last idx each run has applied: an entry the start-up read already applied may be handed on again
   * (the relay follows the log from before that read, so that no other relay's entry is missed). */
  readonly #applied = new Map<string, number>();
  #starting: Committed[] | undefined;
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Answers to the line's procedures in flight: the relay's admission marks them, the scheduler waits. */
  readonly pending: PendingAnswers;
  readonly #line: LineScheduler;
  readonly #injects: InjectCommands;
  readonly #timer: InjectTimer;

  constructor(private readonly deps: RunnerDeps) {
    this.#injects = new InjectCommands({
      appendPrivate: (exercise, kind, data, to) => this.#private(exercise, kind, data, to),
      exercise: deps.exercise,
    });
    this.#timer = new InjectTimer({
      log: deps.log,
      now: deps.now,
      run: (exercise) => this.#runs.get(exercise),
      serial: (exercise, task) => this.#serial(exercise, task),
      fire: (run, id) => this.#injects.fire(run, id, undefined),
    });
    this.pending = new PendingAnswers(deps.now);
    this.#line = new LineScheduler({
      log: deps.log,
      now: deps.now,
      append: (req) => this.#guarded(req),
      pending: this.pending,
      run: (exercise) => this.#runs.get(exercise),
      serial: (exercise, task) => this.#serial(exercise, task),
    });
  }

  /** Rebuilds every exercise's run from the log and arms the clocks of running ones. Entries handed on
   * meanwhile (other relays' commits) wait, then apply unless the read had them. */
  async start(): Promise<void> {
    const waiting: Committed[] = [];
    this.#starting = waiting;
    try {
      await this.#rebuild();
    } finally {
      this.#starting = undefined;
    }
    for (const c of waiting) this.committed(c);
  }

  async #rebuild(): Promise<void> {
    for (const { def } of await this.deps.store.listExercises()) {
      const run = new ExerciseRun(def.id);
      for (const c of await this.deps.store.readControl(def.id)) {
        this.#apply(run, c);
        this.#applied.set(def.id, c.entry.idx);
      }
      this.#runs.set(def.id, run);
      this.#timer.arm(def.id);
      this.#line.arm(def.id);
    }
  }

  /** A control entry committed (by anyone): the run follows it at once, before consoles can answer it. */
  committed(c: Committed): void {
    if (this.#starting) return void this.#starting.push(c);
    if (c.entry.idx <= (this.#applied.get(c.exercise) ?? -1)) return;
    this.#applied.set(c.exercise, c.entry.idx);
    if (c.entry.kind === 'exercise-created') this.#runs.set(c.exercise, new ExerciseRun(c.exercise));
    this.#apply(this.#runs.get(c.exercise), c);
    this.#line.arm(c.exercise);
    // Every relay of a log keeps the clock armed: whichever fires first appends, the others then find the
    // state changed (afterControl) and the inject fired.
    this.#timer.arm(c.exercise);
  }

  /** Never throws: it runs inside the relay's commit callback. An entry the run cannot read (it was
   * checked before it was appended, so this is a bug) is logged and left out of the run. */
  #apply(run: ExerciseRun | undefined, c: Committed): void {
    try {
      run?.apply(c.entry);
    } catch (err) {
      this.deps.log.error({ err, exercise: c.exercise, idx: c.entry.idx }, 'the exercise run cannot read an entry');
    }
  }

  /** The inject an operator's receipt refers to, if it was fired in this exercise. */
  findInject(exercise: string, id: string): FiredInject | undefined {
    return this.#runs.get(exercise)?.fired.get(id);
  }

  /** The idx of the last control entry the exercise's run has applied (-1: none). */
  appliedControl(exercise: string): number {
    return this.#applied.get(exercise) ?? -1;
  }

  /** The exercise's line as committed: what the relay checks a call, translation or link reply against. */
  lineOf(exercise: string): RunLine | undefined {
    return this.#runs.get(exercise)?.lineState;
  }

  view(exercise: string): RunState {
    return this.#run(exercise).view(this.deps.now());
  }

  phase(exercise: string) {
    return this.#run(exercise).clock.phase;
  }

  setState(exercise: string, by: string, state: ExerciseState, compression?: number): Promise<RunState> {
    return this.#serial(exercise, async (run) => {
      if (!run.clock.allows(state))
        throw new HotlineError('BAD_TRANSITION', `The exercise is ${run.clock.phase}: it cannot become ${state}.`);
      if (compression !== undefined && state !== 'running')
        throw new HotlineError('BAD_REQUEST', 'Only running takes a compression.');
      const startex = run.clock.phase === 'planned' && state === 'running';
      const c = compression ?? (startex ? run.scenario?.value.compression : undefined);
      const data = { state, by, ...(c === undefined ? {} : { compression: c }) };
      await this.#guarded({ exercise, kind: 'exercise-state', at: this.#at(), data });
    });
  }

  loadScenario(exercise: string, by: string, value: unknown): Promise<RunState> {
    return this.#serial(exercise, async (run) => {
      if (run.clock.phase !== 'planned')
        throw new HotlineError('BAD_TRANSITION', 'A scenario is loaded before STARTEX only.');
      const problems = scenarioProblems(value, await this.deps.exercise(exercise));
      if (problems.length > 0)
        throw new HotlineError('SCENARIO_INVALID', `The scenario has ${problems.length} problem(s): ${problems[0]}`, {
          problems,
        });
      await this.#private(exercise, 'scenario', { scenario: value, by });
      // A scenario's own deadlines are its procedures, recorded where every reader sees them.
      const deadlines = scenarioDeadlinesMs(value);
      if (deadlines) await this.#procedures(exercise, by, deadlines, run.line.settings);
    });
  }

  /** Sets the exercise's acknowledgement deadlines (ms of line time) and/or its line settings, before STARTEX
   * only; what is not given keeps its current value, and the entry carries both in full. */
  setProcedures(exercise: string, by: string, input: ProceduresInput): Promise<RunState> {
    return this.#serial(exercise, async (run) => {
      if (run.clock.phase !== 'planned')
        throw new HotlineError('BAD_TRANSITION', 'Procedures are set before STARTEX only.');
      const current = { ackDeadlinesMs: run.clock.deadlines, line: run.line.settings };
      const next = mergeProcedures(input, current);
      await this.#procedures(exercise, by, next.ackDeadlinesMs, next.line);
    });
  }

  async #procedures(
    exercise: string,
    by: string,
    deadlines: Record<string, number>,
    line: LineSettings,
  ): Promise<void> {
    const data = { ackDeadlinesMs: deadlines, line, by };
    await this.#guarded({ exercise, kind: 'procedures', at: this.#at(), data });
  }

  command(exercise: string, by: string, id: string, action: InjectCommand): Promise<RunState> {
    return this.#serial(exercise, (run) => this.#injects.command(run, by, id, action));
  }

  edit(exercise: string, by: string, id: string, def: unknown): Promise<RunState> {
    return this.#serial(exercise, (run) => this.#injects.edit(run, by, id, def));
  }

  add(exercise: string, by: string, def: unknown, fire: boolean): Promise<RunState> {
    return this.#serial(exercise, (run) => this.#injects.add(run, by, def, fire));
  }

  async note(exercise: string, by: string, text: string, ref?: number): Promise<number> {
    const run = this.#run(exercise);
    if (run.clock.phase === 'ended') throw new HotlineError('EXERCISE_ENDED');
    const head = await this.deps.store.head(exercise);
    if (ref !== undefined && ref > (head?.idx ?? -1))
      throw new HotlineError('BAD_REQUEST', `ref ${ref} is not an entry of ${exercise} yet.`);
    const c = await this.#private(exercise, 'note', { text, by, ...(ref === undefined ? {} : { ref }) });
    return c.entry.idx;
  }

  close(): void {
    this.#line.close();
    this.#timer.close();
  }

  #run(exercise: string): ExerciseRun {
    const run = this.#runs.get(exercise);
    if (!run) throw new HotlineError('NOT_FOUND', `No exercise ${exercise}.`);
    return run;
  }

  #at(): string {
    return new Date(this.deps.now()).toISOString();
  }

  /** The runner's own append: only onto the state its command was checked against (see #serial). */
  #guarded(req: AppendRequest): Promise<Committed> {
    return this.deps.append({ ...req, afterControl: this.#applied.get(req.exercise) ?? -1 });
  }

  /** Runs `task` after every earlier command of the exercise, then re-arms its clock and answers the run.
   * A task whose append meets a state changed meanwhile (another relay's command, or a console's call) runs
   * again once this relay has read that change: its checks then see it. */
  #serial(exercise: string, task: (run: ExerciseRun) => Promise<void>): Promise<RunState> {
    const run = this.#run(exercise);
    const next = (this.#queues.get(exercise) ?? Promise.resolve()).then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await task(run);
          break;
        } catch (err) {
          if (!(err instanceof HotlineError && err.code === 'STATE_CHANGED') || attempt >= MAX_ATTEMPTS) throw err;
          await this.deps.caughtUp(exercise);
        }
      }
      return run.view(this.deps.now());
    });
    const settled = next.catch(() => undefined).finally(() => this.#timer.arm(exercise));
    this.#queues.set(exercise, settled);
    return next;
  }

  async #private(exercise: string, kind: EntryKind, data: Record<string, unknown>, to?: string): Promise<Committed> {
    const reveal = { salt: newSalt(), data };
    const req: AppendRequest = { exercise, kind, at: this.#at(), commit: await commitmentOf(reveal), reveal };
    if (PRIVATE_KINDS[kind] === 'station') req.to = to!;
    return this.#guarded(req);
  }
}
