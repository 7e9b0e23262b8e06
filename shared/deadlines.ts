// Acknowledgement deadlines on the exercise's line time: real time before STARTEX (an open line with no
// exercise clock yet), exercise time once it runs (so a compression of 6 makes a FLASH's 10 minutes last
// 100 real seconds), standing still while paused or ended. Consoles count their alarms down with it.
import type { ExerciseClock } from '../shared/exercise-clock.js';
import type { Precedence } from '../shared/items.js';
import { ACK_DEADLINE_MS } from '../shared/precedence.js';

/** How fast line time runs now, per real millisecond: 1 before STARTEX, the compression while running, else 0. */
export function lineRate(clock: ExerciseClock): number {
  switch (clock.phase) {
    case 'planned':
      return 1;
    case 'running':
      return clock.compression;
    case 'paused':
    case 'ended':
      return 0;
  }
}

export interface LineDeadline {
  /** Line time left at `now` (negative once overdue). */
  leftMs: number;
  /** The real time the deadline falls at if the clock keeps its pace; undefined while it stands still. */
  dueAt?: number;
}

/** The deadline of an item of precedence `p` accepted at `acceptedAt` (ms), at `now`; undefined if it has none. */
export function lineDeadline(
  clock: ExerciseClock,
  p: Precedence,
  acceptedAt: number,
  now: number,
): LineDeadline | undefined {
  const limit = ACK_DEADLINE_MS[p];
  if (limit === undefined) return undefined;
  const leftMs = limit - clock.lineElapsed(acceptedAt, now);
  const rate = lineRate(clock);
  return rate > 0 ? { leftMs, dueAt: now + leftMs / rate } : { leftMs };
}
