// The alarms a replay raises at time T: the relay's own (alarm and revocation entries, as logged) and the
// acknowledgement deadlines of messages and injects. Deadlines run on line time (shared/exercise-clock.ts):
// real time before STARTEX, exercise time after it (so a 6x compression brings a FLASH's 10 minutes six
// times closer), frozen while paused. Pure: the replay model feeds it the log and the moment.
import type { Applied } from '../../../shared/chain.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import type { Precedence } from '../../../shared/items.js';
import { ACK_DEADLINE_MS, deadlineText } from '../../../shared/precedence.js';
import type { TrainerAlarm } from './deadlines.js';
import { dataText } from './format.js';

const time = (iso: string) => Date.parse(iso);

/** Relay-authored alarms found in the log itself: alarm entries and key revocations. */
export function logAlarm(applied: Pick<Applied, 'entry'>): TrainerAlarm | undefined {
  const { entry } = applied;
  const data = entry.data ?? {};
  if (entry.kind === 'alarm') {
    const code = typeof data['code'] === 'string' ? data['code'] : 'ALARM';
    const detail = Object.entries(data)
      .filter(([k]) => k !== 'code')
      .map(([k]) => `${k} ${dataText(data, k)}`)
      .join(', ');
    return {
      id: `log:${entry.idx}`,
      at: time(entry.at),
      kind: 'log',
      code,
      message: `Relay alarm at entry ${entry.idx}${detail ? `: ${detail}` : ''}`,
      idx: entry.idx,
    };
  }
  if (entry.kind === 'key-revoked') {
    const reason = typeof data['reason'] === 'string' ? data['reason'] : '';
    return {
      id: `revoked:${entry.idx}`,
      at: time(entry.at),
      kind: 'revoked',
      code: 'KEY_REVOKED',
      message: `Key ${String(data['kid'])} revoked${reason ? `: ${reason}` : ''}`,
      idx: entry.idx,
    };
  }
  return undefined;
}

/**
 * The real time (ms) at which `limit` ms of line time have passed since `from`; undefined when the line
 * stops first (paused or ended, and never resumed in this log). The inverse of ExerciseClock.lineElapsed.
 */
export function lineDueAt(clock: ExerciseClock, from: number, limit: number): number | undefined {
  let rate = 1;
  let cursor = from;
  let left = limit;
  for (const t of clock.transitions) {
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

/** A message or an inject that must be acknowledged: what the deadline alarms need to know of it. */
export interface DeadlineItem {
  id: string;
  kind: 'message' | 'inject';
  idx: number;
  precedence: Precedence;
  /** What the alarm calls it: "FLASH Beijing → Washington “Alpha”", "inject INJ-03 (FLASH) for Beijing". */
  what: string;
  /** The station that must acknowledge it. */
  to: string;
  accepted: number;
  /** When it was acknowledged, anywhere in the log. */
  acked?: number;
  /** When its deadline falls (line time), if it has one that falls within the clock's run. */
  due?: number;
}

/** Fills in each item's due time from the exercise clock. */
export function withDeadlines(items: DeadlineItem[], clock: ExerciseClock): DeadlineItem[] {
  for (const item of items) {
    const limit = ACK_DEADLINE_MS[item.precedence];
    const due = limit === undefined ? undefined : lineDueAt(clock, item.accepted, limit);
    if (due === undefined) delete item.due;
    else item.due = due;
  }
  return items;
}

/** The overdue alarms standing at `now`: a deadline passed without (or before) an acknowledgement. */
export function overdueAt(items: readonly DeadlineItem[], now: number, compressed: boolean): TrainerAlarm[] {
  const out: TrainerAlarm[] = [];
  for (const item of items) {
    if (item.due === undefined || item.accepted > now || now < item.due) continue;
    const acked = item.acked !== undefined && item.acked <= now ? item.acked : undefined;
    if (acked !== undefined && acked <= item.due) continue;
    const objective = `${deadlineText(ACK_DEADLINE_MS[item.precedence]!)}${compressed ? ' of line time' : ''}`;
    out.push({
      id: `overdue:${item.id}`,
      at: item.due,
      kind: 'overdue',
      code: 'ACK_OVERDUE',
      message:
        acked === undefined
          ? `${item.what}: not acknowledged within ${objective}`
          : `${item.what}: acknowledged late, after ${Math.round((acked - item.accepted) / 60_000)} min real time (objective ${objective})`,
      station: item.to,
      messageId: item.id,
      idx: item.idx,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
