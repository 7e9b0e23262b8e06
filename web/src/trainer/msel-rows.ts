// The MSEL table's rows as text: each inject's time (its offset, and while the clock runs when it is due
// in UTC), its status (fired with entry and time), and what a controller may do with it in this phase, as
// the relay allows (server/exercise-runner.ts). Pure: the table (msel-table.ts) only lays them out.
import type { InjectCommand } from '../../../client/trainer-api.js';
import { formatExerciseTime, type Phase } from '../../../shared/exercise-clock.js';
import type { InjectStatus } from '../../../shared/http-api.js';
import { injectOffset } from '../../../shared/scenario.js';
import { zuluTime } from './format.js';

export type InjectAction = InjectCommand | 'edit';

/** Timed injects in time order, then the manual ones, each group in MSEL order. */
export function mselOrder(injects: readonly InjectStatus[]): InjectStatus[] {
  const key = (i: InjectStatus) => injectOffset(i.def) ?? Infinity;
  return [...injects].sort((a, b) => key(a) - key(b));
}

/** "T+00:05:00" or "Manual". */
export function offsetText(inject: InjectStatus): string {
  const offset = injectOffset(inject.def);
  return offset === undefined ? 'Manual' : formatExerciseTime(offset);
}

/** "due 12:05:00Z" for a pending timed inject while the clock runs; undefined otherwise. */
export function dueText(inject: InjectStatus, phase: Phase): string | undefined {
  if (phase !== 'running' || inject.status !== 'pending' || inject.dueAt === undefined) return undefined;
  return `due ${zuluTime(inject.dueAt)}`;
}

const STATUS_WORD: Readonly<Record<InjectStatus['status'], string>> = {
  pending: 'Pending',
  held: 'Held',
  fired: 'Fired',
  skipped: 'Skipped',
};

/** "Pending", "Held", "Skipped", or "Fired · entry 14 · 12:05:03Z". */
export function statusText(inject: InjectStatus): string {
  const f = inject.fired;
  if (inject.status === 'fired' && f) return `Fired · entry ${f.idx} · ${zuluTime(f.at)}`;
  return STATUS_WORD[inject.status];
}

/**
 * What a controller may do with an inject now: fire (between STARTEX and ENDEX), hold or release, skip,
 * edit (until it fires). Nothing once it fired or was skipped, or after ENDEX.
 */
export function allowedActions(inject: InjectStatus, phase: Phase): InjectAction[] {
  if (phase === 'ended' || (inject.status !== 'pending' && inject.status !== 'held')) return [];
  const actions: InjectAction[] = [];
  if (phase === 'running' || phase === 'paused') actions.push('fire');
  actions.push(inject.status === 'pending' ? 'hold' : 'release', 'skip', 'edit');
  return actions;
}
