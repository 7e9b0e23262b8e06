// Relay memory per connection. RSS is hard to attribute: the setup before connecting (exercises, enrolments)
// leaves freed pages the process keeps, and the first sockets reuse them for free. So the consoles connect
// in steps with a full GC and a snapshot after each, and the per-socket figure is the marginal cost over the
// second half of the sockets, once that slack is used up. Heap and external memory come from the same points.
import type { ChildStats } from './relay-child.js';

export interface MemoryPoint {
  sockets: number;
  rssMb: number;
  heapMb: number;
  externalMb: number;
}

export interface MemoryFigures {
  sockets: number;
  /** 'second-half': the slope from the middle snapshot to the last; 'whole': one step, (after - before) / sockets. */
  method: 'second-half' | 'whole';
  rssBeforeMb: number;
  rssConnectedMb: number;
  rssEndMb: number;
  rssPerSocketKb: number;
  heapPerSocketKb: number;
  externalPerSocketKb: number;
  points: MemoryPoint[];
}

const MB = 1024 * 1024;
const r1 = (n: number) => Math.round(n * 10) / 10;

export function memoryPoint(sockets: number, s: ChildStats): MemoryPoint {
  return {
    sockets,
    rssMb: r1(s.memory.rss / MB),
    heapMb: r1(s.memory.heapUsed / MB),
    externalMb: r1(s.memory.external / MB),
  };
}

/** How many steps to connect `pairs` pairs in: one for small runs, where a per-socket figure means little. */
export function connectSteps(pairs: number): number {
  return pairs >= 50 ? 4 : 1;
}

/** `stats[0]` is before any console connected; the rest after each step; `end` after the run. */
export function memoryFigures(stats: { sockets: number; stats: ChildStats }[], end: ChildStats): MemoryFigures {
  const first = stats[0]!;
  const last = stats[stats.length - 1]!;
  const from = stats.length >= 4 ? stats[Math.floor(stats.length / 2)]! : first;
  const n = Math.max(1, last.sockets - from.sockets);
  const per = (k: 'rss' | 'heapUsed' | 'external') => r1((last.stats.memory[k] - from.stats.memory[k]) / 1024 / n);
  return {
    sockets: last.sockets,
    method: from === first ? 'whole' : 'second-half',
    rssBeforeMb: r1(first.stats.memory.rss / MB),
    rssConnectedMb: r1(last.stats.memory.rss / MB),
    rssEndMb: r1(end.memory.rss / MB),
    rssPerSocketKb: per('rss'),
    heapPerSocketKb: per('heapUsed'),
    externalPerSocketKb: per('external'),
    points: stats.map((s) => memoryPoint(s.sockets, s.stats)),
  };
}
