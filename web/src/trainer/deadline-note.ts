// The acknowledgement deadline under a message or an inject in a console column, on line time as the
// console itself counts it (shared/deadlines.ts): when it falls due, OVERDUE once missed, and while the
// exercise clock stands still, how much line time is left.
import { ackDueAt } from '../../../shared/deadlines.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import type { Precedence } from '../../../shared/items.js';
import { h } from './dom.js';
import { duration, zuluTime } from './format.js';

/**
 * What deadlines run on: the exercise clock and the moment shown, the wall clock live or T in a replay,
 * whose clock knows the transitions after T (`asOf` T keeps them out).
 */
export interface DeadlineClock {
  clock: ExerciseClock;
  now: number;
  asOf?: number;
}

/**
 * The line for an item of precedence `p` logged at `accepted`: OVERDUE once missed (acknowledged late
 * included), else its due time while unacknowledged; nothing for a precedence without a deadline, for an
 * item acknowledged in time, or without a clock.
 */
export function deadlineNote(
  p: Precedence,
  accepted: string,
  overdue: boolean,
  acknowledged: boolean,
  line: DeadlineClock | undefined,
): HTMLElement | undefined {
  const limit = line?.clock.deadlines[p];
  if (limit === undefined || !line || (acknowledged && !overdue)) return undefined;
  const at = Date.parse(accepted);
  const dueAt = ackDueAt(line.clock, p, at, line.asOf);
  const due = dueAt === undefined ? '' : zuluTime(new Date(dueAt));
  if (overdue)
    return h(
      'p',
      { class: 'overdue-badge' },
      h('span', { 'aria-hidden': 'true' }, '⚠ '),
      `OVERDUE: acknowledgement was due ${due}`,
    );
  if (dueAt !== undefined) return h('p', { class: 'due' }, `Acknowledgement due by ${due}`);
  const left = duration(limit - line.clock.lineElapsed(at, line.now));
  return h(
    'p',
    { class: 'due' },
    line.clock.read(line.now).phase === 'ended'
      ? `Not acknowledged by ENDEX (${left} of line time were left)`
      : `Acknowledgement deadline on hold while the exercise is paused: ${left} of line time left`,
  );
}
