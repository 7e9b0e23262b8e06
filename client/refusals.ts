// What a console does when the relay refuses one of its items. Some refusals say nothing about the item
// (reconnect and send again), some are about seq bookkeeping (re-sign and send again), and the rest are
// final for that item (drop it, show why, and close the seq gap it leaves).
import type { ErrorCode } from '../shared/errors.js';
import type { RejectedFrame } from '../shared/protocol.js';
import type { Outbox } from './outbox.js';
import type { OutboxItem } from './storage.js';

/** Refusals that say nothing about the item itself: keep it and send it again after reconnecting. */
export const TRANSIENT = new Set<ErrorCode>([
  'STORE_UNAVAILABLE',
  'SHUTTING_DOWN',
  'SLOW_CONSUMER',
  'INTERNAL',
  'NOT_AUTHENTICATED',
]);

/** A CLOCK_SKEW refusal of an item signed longer ago than this means it waited, not that the clock is off. */
const STALE_MS = 60_000;

export type Refusal =
  | { action: 'ignore' }
  | { action: 'reconnect'; reason: string }
  | { action: 'resend'; items: OutboxItem[]; note?: string }
  | { action: 'refused'; item: OutboxItem; items: OutboxItem[] }
  /** ENDEX: the relay takes nothing more from anyone, so every item in the outbox is refused with this one
   * and none is sent again. */
  | { action: 'closed'; refused: OutboxItem[]; items: [] };

export async function handleRefusal(frame: RejectedFrame, outbox: Outbox): Promise<Refusal> {
  const item = frame.id === undefined ? undefined : outbox.find(frame.id);
  // Not ours, or stale: that item was re-signed with another seq since this refusal was sent.
  if (!item || item.seq !== frame.seq) return { action: 'ignore' };
  if (TRANSIENT.has(frame.code)) return { action: 'reconnect', reason: frame.code };
  // Final for this item and for every other: re-signing or resending can never help after ENDEX.
  if (frame.code === 'EXERCISE_ENDED') return { action: 'closed', refused: await outbox.refuseAll(), items: [] };
  const expected = frame.expectedSeq;
  if (frame.code === 'SEQ_GAP' && expected !== undefined) {
    // The item the relay waits for is still here (refused for a passing reason): send everything again.
    if (outbox.items.some((i) => i.seq === expected)) return { action: 'reconnect', reason: 'resend' };
    return { action: 'resend', items: await outbox.refused(undefined, expected) };
  }
  if (frame.code === 'SEQ_CONFLICT' && expected !== undefined && expected > item.seq) {
    // The relay holds other items of this key at these seqs (the console's state was restored from an
    // older copy): sign ours again after them rather than lose them.
    const note = `Seq ${item.seq} was already used by this key; re-sending from seq ${expected}.`;
    return { action: 'resend', items: await outbox.rebase(item.id, expected), note };
  }
  if (frame.code === 'CLOCK_SKEW' && Date.now() - Date.parse(item.payload.sentAt) > STALE_MS) {
    // It waited in the outbox (offline) longer than the relay allows: sign it, and the others that waited,
    // again with the time they are really sent. A fresh item refused so is the device clock: final.
    return { action: 'resend', items: await outbox.restamp(item.seq, STALE_MS) };
  }
  return { action: 'refused', item, items: await outbox.refused(item.id, item.seq) };
}
