// The measured figures per precedence: how many items, how fast they were delivered and acknowledged
// (count, median, p90, max of the real delays), and how many met or missed their acknowledgement deadline.
import { PRECEDENCES, type Precedence } from '../items.js';
import type { AckDeadlines } from '../precedence.js';
import { stats, type Stats } from './stats.js';
import type { ItemTiming } from './timings.js';

export interface PrecedenceFigures {
  /** One precedence, or 'all' for the total row. */
  precedence: Precedence | 'all';
  count: number;
  delivered: number;
  acknowledged: number;
  /** Item entry → the other side's `delivered` receipt entry. */
  deliver: Stats;
  /** Item entry → the other side's `acknowledged` receipt entry. */
  acknowledge: Stats;
  deadlineMs?: number;
  met: number;
  late: number;
  missed: number;
  open: number;
}

function figuresOf(
  precedence: Precedence | 'all',
  items: readonly ItemTiming[],
  table: AckDeadlines,
): PrecedenceFigures {
  const deadlineMs = precedence === 'all' ? undefined : table[precedence];
  const count = (o: ItemTiming['outcome']) => items.filter((i) => i.outcome === o).length;
  return {
    precedence,
    count: items.length,
    delivered: items.filter((i) => i.delivered).length,
    acknowledged: items.filter((i) => i.acknowledged).length,
    deliver: stats(items.flatMap((i) => (i.delivered ? [i.delivered.ms] : []))),
    acknowledge: stats(items.flatMap((i) => (i.acknowledged ? [i.acknowledged.ms] : []))),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    met: count('met'),
    late: count('late'),
    missed: count('missed'),
    open: count('open'),
  };
}

/** A row per precedence, most urgent first, then the total; `table` is the exercise's deadlines (clock.deadlines). */
export function precedenceFigures(items: readonly ItemTiming[], table: AckDeadlines): PrecedenceFigures[] {
  return [
    ...PRECEDENCES.map((p) =>
      figuresOf(
        p,
        items.filter((i) => i.precedence === p),
        table,
      ),
    ),
    figuresOf('all', items, table),
  ];
}
