// The receipts a console signs for what it received: `delivered` by itself once it has verified an
// incoming message or an inject addressed to it, `acknowledged` when the operator says so. Both go
// through the outbox like messages; this keeps one receipt of each kind per item in flight, also across
// a restart (receipts still in the saved outbox count as sent). A logged receipt, whoever signed it, moves
// the item it refers to on (receiptLogged).
import type { ReceiptPayload } from '../shared/items.js';
import type { Outbox } from './outbox.js';
import type { OutboxItem } from './storage.js';

export type ReceiptKind = ReceiptPayload['kind'];

/** What a receipt refers to: a message's id and entry hash, or an inject's id (InjectData.id) and entry hash. */
export interface Receiptable {
  id: string;
  hash: string;
}

/** The states of a received item (a message or an inject) that receipts fill in. */
export interface ReceiptStates {
  states: { delivered?: string; acknowledged?: string };
  ackNote?: string;
}

/**
 * Records a logged receipt on its item, at the receipt's log time: an acknowledgement implies delivery. The
 * first time of each state stands (a receipt that comes again changes nothing), as does the first note.
 */
export function receiptLogged(view: ReceiptStates, r: ReceiptPayload, at: string): void {
  if (r.kind === 'delivered') view.states.delivered ??= at;
  else {
    view.states.delivered ??= at;
    view.states.acknowledged ??= at;
    if (r.note !== undefined) view.ackNote ??= r.note;
  }
}

const key = (kind: ReceiptKind, ref: string) => `${kind}:${ref}`;

export class Receipts {
  readonly #inFlight = new Set<string>();

  constructor(
    private readonly outbox: Outbox,
    /** Receipts go to the other station, as every item does (for an inject too: its sender is no station). */
    private readonly peer: string,
    private readonly submit: (item: OutboxItem) => void,
  ) {
    for (const item of outbox.items) {
      if (item.payload.type === 'receipt') this.#inFlight.add(key(item.payload.kind, item.payload.ref));
    }
  }

  /** Whether a receipt of this kind for `ref` is signed and not yet in the log (or refused). */
  inFlight(kind: ReceiptKind, ref: string): boolean {
    return this.#inFlight.has(key(kind, ref));
  }

  /** Signs, stores and sends one receipt, unless one of this kind for the same item is already on its way. */
  async send(kind: ReceiptKind, of: Receiptable, note?: string): Promise<void> {
    const k = key(kind, of.id);
    if (this.#inFlight.has(k)) return;
    this.#inFlight.add(k);
    let item: OutboxItem;
    try {
      item = await this.outbox.add({
        type: 'receipt',
        to: this.peer,
        kind,
        ref: of.id,
        refHash: of.hash,
        ...(note ? { note } : {}),
      });
    } catch (err) {
      this.#inFlight.delete(k);
      throw err;
    }
    this.submit(item);
  }

  /** The relay refused the receipt for good: another may be signed. */
  refused(payload: ReceiptPayload): void {
    this.#inFlight.delete(key(payload.kind, payload.ref));
  }
}
