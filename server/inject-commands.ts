// Controllers' inject commands on the MSEL (fire, hold, release, skip, edit, add) and the firing of an inject,
// manual or timed: what each command allows in the inject's current status, and the relay-authored private
// entries that record it. The runner (exercise-runner.ts) calls these inside its per-exercise queue, so each
// check sees the state its predecessors left.
import { v7 as uuidv7 } from 'uuid';
import type { EntryKind } from '../shared/entry.js';
import { HotlineError } from '../shared/errors.js';
import type { ExerciseDef } from '../shared/items.js';
import type { InjectAction, InjectData } from '../shared/run-entries.js';
import { injectDef, scenarioProblems, SCENARIO_FORMAT, type InjectDef } from '../shared/scenario.js';
import type { ExerciseRun } from './exercise-run.js';
import type { Committed } from './store/types.js';

export type InjectCommand = 'fire' | 'hold' | 'release' | 'skip';

export interface InjectCommandsDeps {
  /** The runner's append of a relay-authored private entry (commitment now, reveal to its readers). */
  appendPrivate: (exercise: string, kind: EntryKind, data: Record<string, unknown>, to?: string) => Promise<Committed>;
  exercise: (id: string) => Promise<ExerciseDef>;
}

export class InjectCommands {
  constructor(private readonly deps: InjectCommandsDeps) {}

  async command(run: ExerciseRun, by: string, id: string, action: InjectCommand): Promise<void> {
    const inj = run.injects.get(id);
    if (!inj) throw new HotlineError('NOT_FOUND', `No inject ${id} in the MSEL of ${run.exercise}.`);
    const allowed = { fire: ['pending', 'held'], hold: ['pending'], release: ['held'], skip: ['pending', 'held'] };
    if (!allowed[action].includes(inj.status))
      throw new HotlineError('INJECT_STATE', `Inject ${id} is ${inj.status}: it cannot ${action}.`);
    if (action === 'fire') return this.fire(run, id, by);
    await this.#control(run.exercise, action, id, by);
  }

  async edit(run: ExerciseRun, by: string, id: string, def: unknown): Promise<void> {
    const inj = run.injects.get(id);
    if (!inj) throw new HotlineError('NOT_FOUND', `No inject ${id} in the MSEL of ${run.exercise}.`);
    if (inj.status !== 'pending' && inj.status !== 'held')
      throw new HotlineError('INJECT_STATE', `Inject ${id} is ${inj.status}: only an inject not yet fired is edited.`);
    const checked = await this.#checkDef(run.exercise, def);
    if (checked.id !== id) throw new HotlineError('BAD_REQUEST', `def.id must be ${id}.`);
    await this.#control(run.exercise, 'edit', id, by, checked);
  }

  async add(run: ExerciseRun, by: string, def: unknown, fire: boolean): Promise<void> {
    const checked = await this.#checkDef(run.exercise, def);
    if (run.injects.has(checked.id))
      throw new HotlineError('INJECT_STATE', `Inject ${checked.id} is already in the MSEL; edit it instead.`);
    if (run.clock.phase === 'ended') throw new HotlineError('EXERCISE_ENDED');
    if (fire && run.clock.phase === 'planned') throw new HotlineError('INJECT_STATE', 'Injects fire after STARTEX.');
    await this.#control(run.exercise, 'add', checked.id, by, checked);
    if (fire) await this.fire(run, checked.id, by);
  }

  /** Fires an inject: a manual fire is recorded with its controller first, then the inject itself; a timed
   * one (no `by`) is the inject alone. */
  async fire(run: ExerciseRun, id: string, by: string | undefined): Promise<void> {
    const phase = run.clock.phase;
    if (phase !== 'running' && phase !== 'paused')
      throw new HotlineError('INJECT_STATE', `The exercise is ${phase}: injects fire between STARTEX and ENDEX.`);
    const def = run.injects.get(id)!.def;
    if (by !== undefined) await this.#control(run.exercise, 'fire', id, by);
    const data: InjectData = {
      id: uuidv7(),
      inject: def.id,
      from: def.from,
      precedence: def.precedence,
      ...(def.subject ? { subject: def.subject } : {}),
      body: def.body,
    };
    await this.deps.appendPrivate(run.exercise, 'inject', data, def.to);
  }

  async #checkDef(exercise: string, def: unknown): Promise<InjectDef> {
    const scenario = { format: SCENARIO_FORMAT, v: 1, title: 'ad hoc', injects: [def] };
    const problems = scenarioProblems(scenario, await this.deps.exercise(exercise));
    if (problems.length > 0)
      throw new HotlineError('SCENARIO_INVALID', `The inject is not valid: ${problems[0]}`, { problems });
    return injectDef.parse(def);
  }

  async #control(exercise: string, action: InjectAction, id: string, by: string, def?: InjectDef): Promise<void> {
    await this.deps.appendPrivate(exercise, 'inject-control', { action, inject: id, by, ...(def ? { def } : {}) });
  }
}
