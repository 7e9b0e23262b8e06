// The trainer's alarms, and the overdue alarms that the acknowledgement deadlines (shared/precedence.ts)
// raise. Pure: used by the live view with the wall clock and by the replay player with the replay clock.
import type { MessageView } from '../../../client/conversation.js';
import { ACK_DEADLINE_MS, deadlineText, overdueAt } from '../../../shared/precedence.js';

export type AlarmKind = 'overdue' | 'verification' | 'log' | 'revoked';

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
  messageId?: string;
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * Overdue alarms among sent messages (each message once: pass the sender side's `out` views) at `now`.
 * `name` turns a station id into its display name.
 */
export function overdueAlarms(
  sent: Iterable<MessageView>,
  now: number,
  name: (station: string) => string = (s) => s,
): TrainerAlarm[] {
  const out: TrainerAlarm[] = [];
  for (const v of sent) {
    const accepted = ms(v.states.accepted);
    if (accepted === undefined) continue;
    let acked = ms(v.states.acknowledged);
    if (acked !== undefined && acked > now) acked = undefined;
    if (!overdueAt(v.precedence, accepted, acked, now)) continue;
    const limit = ACK_DEADLINE_MS[v.precedence]!;
    const what = `${v.precedence} ${name(v.from)} → ${name(v.to)}${v.subject ? ` “${v.subject}”` : ''}`;
    const objective = deadlineText(limit);
    out.push({
      id: `overdue:${v.id}`,
      at: accepted + limit,
      kind: 'overdue',
      code: 'ACK_OVERDUE',
      message:
        acked === undefined
          ? `${what}: not acknowledged within ${objective}`
          : `${what}: acknowledged late, after ${Math.round((acked - accepted) / 60_000)} min (objective ${objective})`,
      station: v.to,
      messageId: v.id,
      ...(v.idx === undefined ? {} : { idx: v.idx }),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
