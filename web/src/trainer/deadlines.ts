// The trainer's alarms, and the overdue alarms that acknowledgement deadlines raise for station messages
// and for injects alike, judged on line time (shared/deadlines.ts) exactly as the consoles count them: a
// FLASH at 6x is overdue at the trainer when it is overdue at the console, 100 s after it was logged. Pure:
// the live view feeds it the observer's views and clock and the wall clock; the replay model, the log's
// events and clock and the replay's moment.
import type { MessageView } from '../../../client/conversation.js';
import type { InjectView } from '../../../client/injects.js';
import { lineDueAt } from '../../../shared/deadlines.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import type { Precedence } from '../../../shared/items.js';
import { deadlineText, interrupts } from '../../../shared/precedence.js';

/** `link`: a link test the station did not answer in time; `call`: a call request left unanswered past its window. */
export type AlarmKind = 'overdue' | 'verification' | 'log' | 'revoked' | 'link' | 'call';

export interface TrainerAlarm {
  /** Stable identity, so a list can tell a new alarm from one it already shows. */
  id: string;
  /** When the alarm arose (ms since the epoch). */
  at: number;
  kind: AlarmKind;
  code: string;
  message: string;
  idx?: number;
  station?: string;
  /** The message's or the inject's id (InjectData.id): what its receipts refer to. */
  messageId?: string;
  /**
   * Shown, never announced: a PRIORITY or ROUTINE item overdue (shared/precedence.ts `interrupts`); FLASH and
   * IMMEDIATE overdue alarms, like every other kind, are announced assertively.
   */
  quiet?: boolean;
}

/** A message or an inject that must be acknowledged: what the deadline alarms need to know of it. */
export interface DeadlineItem {
  id: string;
  kind: 'message' | 'inject';
  idx: number;
  precedence: Precedence;
  /** What the alarm calls it: "FLASH Beijing → Washington “Alpha”", "FLASH exercise inject INJ-03 for Beijing". */
  what: string;
  /** The station that must acknowledge it. */
  to: string;
  accepted: number;
  /** When it was acknowledged, as far as the log goes. */
  acked?: number;
  /** When its deadline falls (line time), if it has one that falls within the clock's run. */
  due?: number;
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * The deadline items of the live view: each message once (pass the sender side's `out` views) and each
 * inject, as far as they are in the log. `name` turns a station id into its display name.
 */
export function viewItems(
  sent: Iterable<MessageView>,
  injects: Iterable<InjectView>,
  name: (station: string) => string = (s) => s,
): DeadlineItem[] {
  const out: DeadlineItem[] = [];
  for (const v of sent) {
    const accepted = ms(v.states.accepted);
    // Not in the log yet: no deadline (the sender's claimed sentAt is no stand-in for the acceptance).
    if (accepted === undefined || v.idx === undefined) continue;
    const acked = ms(v.states.acknowledged);
    out.push({
      id: v.id,
      kind: 'message',
      idx: v.idx,
      precedence: v.precedence,
      what: `${v.precedence} ${name(v.from)} → ${name(v.to)}${v.subject ? ` “${v.subject}”` : ''}`,
      to: v.to,
      accepted,
      ...(acked === undefined ? {} : { acked }),
    });
  }
  for (const v of injects) {
    const acked = ms(v.states.acknowledged);
    out.push({
      id: v.id,
      kind: 'inject',
      idx: v.idx,
      precedence: v.precedence,
      what: `${v.precedence} exercise inject ${v.inject} for ${name(v.to)}`,
      to: v.to,
      accepted: Date.parse(v.states.accepted),
      ...(acked === undefined ? {} : { acked }),
    });
  }
  return out;
}

/** Fills in each item's due time from the exercise clock (on line time). */
export function withDeadlines(items: DeadlineItem[], clock: ExerciseClock): DeadlineItem[] {
  for (const item of items) {
    const limit = clock.deadlines[item.precedence];
    const due = limit === undefined ? undefined : lineDueAt(clock, item.accepted, limit);
    if (due === undefined) delete item.due;
    else item.due = due;
  }
  return items;
}

/**
 * The overdue alarms standing at `now`: a deadline passed without (or before) an acknowledgement, for every
 * precedence (FLASH 10 min to ROUTINE 6 h); those of PRIORITY and ROUTINE are quiet. Each arises at its
 * deadline. Under a compression the objective is said to be line time, since the real minutes are fewer.
 */
export function overdueAlarms(items: readonly DeadlineItem[], now: number, clock: ExerciseClock): TrainerAlarm[] {
  const compressed = clock.transitions.some((t) => t.state === 'running' && t.compression !== 1);
  const out: TrainerAlarm[] = [];
  for (const item of items) {
    if (item.due === undefined || item.accepted > now || now < item.due) continue;
    const acked = item.acked !== undefined && item.acked <= now ? item.acked : undefined;
    if (acked !== undefined && acked <= item.due) continue;
    const objective = `${deadlineText(clock.deadlines[item.precedence]!)}${compressed ? ' of line time' : ''}`;
    const late = (at: number) => `${Math.round((at - item.accepted) / 60_000)} min${compressed ? ' real time' : ''}`;
    out.push({
      id: `overdue:${item.id}`,
      at: item.due,
      kind: 'overdue',
      code: 'ACK_OVERDUE',
      message:
        acked === undefined
          ? `${item.what}: not acknowledged within ${objective}`
          : `${item.what}: acknowledged late, after ${late(acked)} (objective ${objective})`,
      station: item.to,
      messageId: item.id,
      idx: item.idx,
      ...(interrupts(item.precedence) ? {} : { quiet: true }),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The live view's overdue alarms at `now`: its messages and injects against the observer's clock. */
export function liveOverdue(
  sent: Iterable<MessageView>,
  injects: Iterable<InjectView>,
  clock: ExerciseClock,
  now: number,
  name?: (station: string) => string,
): TrainerAlarm[] {
  return overdueAlarms(withDeadlines(viewItems(sent, injects, name), clock), now, clock);
}
