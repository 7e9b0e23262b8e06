// Overdue acknowledgements in the terminal console: an incoming message or inject whose precedence's
// deadline (shared/deadlines.ts, on the exercise's line time) has passed unacknowledged is said once, with
// how much line time it is past due, and counted in /status. FLASH and IMMEDIATE ring the terminal bell;
// PRIORITY and ROUTINE are said without it (shared/precedence.ts `interrupts`). Pure apart from the clock
// reading passed in, so it can be driven by a test clock.
import type { TrafficItem } from '../client/client.js';
import { textAndLang } from '../client/injects.js';
import { lineDeadline } from '../shared/deadlines.js';
import type { ExerciseClock } from '../shared/exercise-clock.js';
import type { Lang } from '../shared/items.js';
import { deadlineText, interrupts } from '../shared/precedence.js';
import { durationText } from '../shared/report/format.js';
import { color } from './terminal.js';

export interface Overdue {
  item: TrafficItem;
  /** Its number in /list (1-based). */
  n: number;
  /** Line time past the deadline at the reading (ms; 0 exactly at the deadline). */
  pastMs: number;
  /** The exercise's deadline for its precedence (ms of line time). */
  limitMs: number;
}

/** Incoming and not acknowledged: what has a deadline to meet. */
function awaiting(item: TrafficItem): boolean {
  return !item.view.states.acknowledged && (item.kind === 'inject' || item.view.direction === 'in');
}

/** The items in `traffic` (the console's list, in order) whose deadline has passed unacknowledged at `now`. */
export function overdueItems(traffic: readonly TrafficItem[], clock: ExerciseClock, now: number): Overdue[] {
  return traffic.flatMap((item, i) => {
    const accepted = item.view.states.accepted;
    if (!awaiting(item) || accepted === undefined) return [];
    const d = lineDeadline(clock, item.view.precedence, Date.parse(accepted), now);
    const limitMs = clock.deadlines[item.view.precedence];
    return d === undefined || d.leftMs > 0 || limitMs === undefined
      ? []
      : [{ item, n: i + 1, pastMs: -d.leftMs, limitMs }];
  });
}

/**
 * The line saying an item is overdue: "OVERDUE #3 FLASH from beijing “Alpha”: not acknowledged, 1 min 05 s past
 * its 10 min deadline (line time); /ack 3", with the bell and "!!!" first for an interrupting precedence.
 */
export function overdueLine(o: Overdue, lang: Lang): string {
  const v = o.item.view;
  const what =
    o.item.kind === 'inject' ? `${v.precedence} exercise inject` : `${v.precedence} from ${o.item.view.from}`;
  const subject =
    o.item.kind === 'inject' ? o.item.view.subject && textAndLang(o.item.view.subject, lang).text : o.item.view.subject;
  const alert = interrupts(v.precedence) ? '\u0007!!! ' : '';
  const past = durationText(Math.max(0, o.pastMs));
  const deadline = `${deadlineText(o.limitMs)} deadline`;
  return (interrupts(v.precedence) ? color.red : color.yellow)(
    `${alert}OVERDUE #${o.n} ${what}${subject ? ` “${subject}”` : ''}: not acknowledged, ${past} past its ${deadline} (line time); /ack ${o.n}`,
  );
}

/** Says each overdue item once; ask it on every tick. */
export class OverdueWatch {
  readonly #said = new Set<string>();

  constructor(private readonly clock: ExerciseClock) {}

  /** The overdue items not said yet at `now`, now marked said. */
  fresh(traffic: readonly TrafficItem[], now: number): Overdue[] {
    return overdueItems(traffic, this.clock, now).filter((o) => {
      if (this.#said.has(o.item.view.id)) return false;
      this.#said.add(o.item.view.id);
      return true;
    });
  }

  /** How many items are overdue at `now` (for /status). */
  count(traffic: readonly TrafficItem[], now: number): number {
    return overdueItems(traffic, this.clock, now).length;
  }
}
