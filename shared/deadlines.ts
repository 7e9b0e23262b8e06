// Acknowledgement deadlines on the exercise's line time: real time before STARTEX (an open line with no
// exercise clock yet), exercise time once it runs (so a compression of 6 makes a FLASH's 10 minutes last
// 100 real seconds), standing still while paused or ended. The one rule for every view that judges a
// deadline: the consoles' countdowns and alarms, the trainer's live alarms and response times, the replay
// and the report. Deadlines count from the relay's acceptance (the entry's `at`), never from a sender's
// claimed sentAt. The deadlines themselves are the exercise's (clock.deadlines: ACP 121's unless a
// `procedures` entry set others before STARTEX).
import type { ExerciseClock } from './exercise-clock.js';
import type { Precedence } from './items.js';

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
  const limit = clock.deadlines[p];
  if (limit === undefined) return undefined;
  const leftMs = limit - clock.lineElapsed(acceptedAt, now);
  const rate = lineRate(clock);
  return rate > 0 ? { leftMs, dueAt: now + leftMs / rate } : { leftMs };
}

/**
 * The real time (ms) at which `limit` ms of line time have passed since `from`, reading the transitions
 * logged before `asOf` (a replay's clock knows its future; a live one has none); past the last of them the
 * line keeps its pace. Undefined when the line stands still before the time is up. The inverse of
 * ExerciseClock.lineElapsed.
 */
export function lineDueAt(clock: ExerciseClock, from: number, limit: number, asOf = Infinity): number | undefined {
  let rate = 1;
  let cursor = from;
  let left = limit;
  for (const t of clock.transitions) {
    if (t.at >= asOf) break;
    const next = t.state === 'running' ? t.compression : 0;
    if (t.at <= from) {
      rate = next;
      continue;
    }
    const span = (t.at - cursor) * rate;
    if (rate > 0 && span >= left) return cursor + left / rate;
    left -= span;
    cursor = t.at;
    rate = next;
  }
  return rate > 0 ? cursor + left / rate : undefined;
}

/** When an item of precedence `p` accepted at `acceptedAt` is due, by lineDueAt; undefined if it has no deadline. */
export function ackDueAt(clock: ExerciseClock, p: Precedence, acceptedAt: number, asOf?: number): number | undefined {
  const limit = clock.deadlines[p];
  return limit === undefined ? undefined : lineDueAt(clock, acceptedAt, limit, asOf);
}

/**
 * Whether an item is overdue at `now`: it has a deadline, the line time since its acceptance has reached it,
 * and it was not acknowledged within it (acknowledged late counts: the objective was missed). An
 * acknowledgement after `now` is not made yet (a replay before it was logged).
 */
export function overdueOnLine(
  clock: ExerciseClock,
  p: Precedence,
  acceptedAt: number,
  acknowledgedAt: number | undefined,
  now: number,
): boolean {
  const limit = clock.deadlines[p];
  if (limit === undefined || clock.lineElapsed(acceptedAt, now) < limit) return false;
  return acknowledgedAt === undefined || acknowledgedAt > now || clock.lineElapsed(acceptedAt, acknowledgedAt) > limit;
}
