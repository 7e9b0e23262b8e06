// Acknowledgement deadlines (ACP 121 handling objectives) and the overdue alarms they raise. Pure: used by
// the live view with the wall clock, by the replay player with the replay clock, and by response times.
import type { MessageView } from '../../../client/conversation.js';
import type { Precedence } from '../../../shared/items.js';

/** FLASH within 10 minutes, IMMEDIATE within 30; PRIORITY and ROUTINE carry no alarm deadline here. */
export const ACK_DEADLINE_MS: Readonly<Partial<Record<Precedence, number>>> = {
  FLASH: 10 * 60_000,
  IMMEDIATE: 30 * 60_000,
};

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

export function deadlineOf(precedence: Precedence): number | undefined {
  return ACK_DEADLINE_MS[precedence];
}

/**
 * Whether a message is overdue at `now`: it has a deadline, the deadline has passed, and it was not
 * acknowledged by then (acknowledged late counts: the objective was missed).
 */
export function overdueAt(
  precedence: Precedence,
  acceptedAt: number,
  acknowledgedAt: number | undefined,
  now: number,
): boolean {
  const limit = deadlineOf(precedence);
  if (limit === undefined) return false;
  const due = acceptedAt + limit;
  if (now < due) return false;
  return acknowledgedAt === undefined || acknowledgedAt > due || acknowledgedAt > now;
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
    const limit = deadlineOf(v.precedence)!;
    const what = `${v.precedence} ${name(v.from)} → ${name(v.to)}${v.subject ? ` “${v.subject}”` : ''}`;
    const minutes = Math.round(limit / 60_000);
    out.push({
      id: `overdue:${v.id}`,
      at: accepted + limit,
      kind: 'overdue',
      code: 'ACK_OVERDUE',
      message:
        acked === undefined
          ? `${what}: not acknowledged within ${minutes} min`
          : `${what}: acknowledged late, after ${Math.round((acked - accepted) / 60_000)} min (objective ${minutes} min)`,
      station: v.to,
      messageId: v.id,
      ...(v.idx === undefined ? {} : { idx: v.idx }),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
