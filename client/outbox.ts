// The outbox: items signed with consecutive seqs and kept durably until the relay accepts them. When the
// relay refuses one for good, the items after it are signed again one seq lower, so the device's stream
// stays gap-free (a refused item never reached the log, so re-signing its successors is safe).
import { v7 as uuidv7 } from 'uuid';
import { signJws } from '../shared/jws.js';
import { HotlineError } from '../shared/errors.js';
import { utf8 } from '../shared/encoding.js';
import { ITEM_SCHEMAS, LIMITS, TYP, type ItemPayload, type ItemType, type Typ } from '../shared/items.js';
import { validate } from '../shared/protocol.js';
import type { Identity } from './identity.js';
import type { ClientStorage, OutboxItem, SavedState } from './storage.js';

type Stamped = 'id' | 'seq' | 'sentAt' | 'v' | 'exercise' | 'from';
/** An item as its author writes it; the outbox stamps the rest. Distributive: each kind keeps its own fields. */
type Unstamped<P> = P extends unknown ? Omit<P, Stamped> : never;
export type ItemDraft = Unstamped<ItemPayload>;

/** The typ each item type is signed with (the inverse of ITEM_TYPES). */
const TYP_OF: Record<ItemType, Typ & keyof typeof ITEM_SCHEMAS> = {
  message: TYP.message,
  receipt: TYP.receipt,
  call: TYP.call,
  translation: TYP.translation,
  'link-reply': TYP.linkReply,
};

export class Outbox {
  items: OutboxItem[];
  nextSeq: number;
  checkpoint: string | null;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly identity: Identity,
    private readonly storage: ClientStorage,
    saved?: SavedState,
  ) {
    this.items = saved?.outbox ?? [];
    this.nextSeq = saved?.nextSeq ?? 0;
    this.checkpoint = saved?.checkpoint ?? null;
  }

  /** Serializes every change so seqs are assigned and persisted strictly in order. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every change queued so far has been saved (or has failed). */
  async idle(): Promise<void> {
    await this.#lock;
  }

  persist(): Promise<void> {
    return this.storage.save({
      identity: this.identity,
      nextSeq: this.nextSeq,
      outbox: this.items,
      checkpoint: this.checkpoint,
    });
  }

  async #sign(payload: ItemPayload): Promise<string> {
    return signJws(payload, this.identity.privateKey, this.identity.kid, TYP_OF[payload.type]);
  }

  /** Signs a new item with the next seq and stores it durably before anyone sees it as queued. */
  add(draft: ItemDraft): Promise<OutboxItem> {
    return this.#exclusive(async () => {
      const payload = {
        v: 1,
        ...draft,
        id: uuidv7(),
        exercise: this.identity.exercise.id,
        from: this.identity.station,
        seq: this.nextSeq,
        sentAt: new Date().toISOString(),
      } as ItemPayload;
      // Never sign what the relay would refuse: the console reports the problem before it costs a seq.
      validate<unknown>(ITEM_SCHEMAS[TYP_OF[payload.type]], payload);
      const jws = await this.#sign(payload);
      // JSON escaping can make a body within the character limit too large on the wire: refuse it here,
      // before it takes a seq, rather than have the relay refuse a frame it cannot even attribute.
      const frameBytes = utf8(JSON.stringify({ type: 'submit', jws })).length;
      if (frameBytes > LIMITS.frameBytes) {
        throw new HotlineError(
          'FRAME_TOO_LARGE',
          `This item would be ${frameBytes} bytes on the wire; the limit is ${LIMITS.frameBytes}. Shorten it.`,
        );
      }
      const item: OutboxItem = { id: payload.id, seq: payload.seq, payload, jws, queuedAt: payload.sentAt };
      this.items.push(item);
      this.nextSeq += 1;
      await this.persist();
      return item;
    });
  }

  find(id: string): OutboxItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  accepted(id: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const before = this.items.length;
      this.items = this.items.filter((i) => i.id !== id);
      if (this.items.length !== before) await this.persist();
      return this.items.length !== before;
    });
  }

  /** Gives `items` consecutive seqs from `fromSeq`, re-signing those whose seq changes. */
  async #renumber(items: OutboxItem[], fromSeq: number): Promise<OutboxItem[]> {
    let seq = fromSeq;
    const changed: OutboxItem[] = [];
    for (const item of items) {
      if (item.seq !== seq) {
        item.payload = { ...item.payload, seq };
        item.seq = seq;
        item.jws = await this.#sign(item.payload);
        changed.push(item);
      }
      seq += 1;
    }
    this.nextSeq = seq;
    await this.persist();
    return changed;
  }

  /** Drops a refused item and re-signs its successors from `fromSeq` on; returns the re-signed items. */
  refused(id: string | undefined, fromSeq: number): Promise<OutboxItem[]> {
    return this.#exclusive(async () => {
      if (id !== undefined) this.items = this.items.filter((i) => i.id !== id);
      return this.#renumber(
        this.items.filter((i) => i.seq >= fromSeq),
        fromSeq,
      );
    });
  }

  /**
   * Drops every item (the exercise ended: the relay accepts nothing more) and returns them. The seq counter
   * stays where it is: one of them may be in the log already, its `accepted` lost, and nothing follows ENDEX.
   */
  refuseAll(): Promise<OutboxItem[]> {
    return this.#exclusive(async () => {
      const dropped = this.items;
      if (dropped.length === 0) return [];
      this.items = [];
      await this.persist();
      return dropped;
    });
  }

  /** Re-signs the item `id` and every later one from `fromSeq` on: the relay holds other items at their seqs. */
  rebase(id: string, fromSeq: number): Promise<OutboxItem[]> {
    return this.#exclusive(async () => {
      const start = this.items.findIndex((i) => i.id === id);
      return start < 0 ? [] : this.#renumber(this.items.slice(start), fromSeq);
    });
  }

  /**
   * Signs again, at the same seqs, every item from `fromSeq` on whose sentAt is older than `staleMs`, with
   * sentAt = now: the relay refused the item at `fromSeq` as too far from its clock (CLOCK_SKEW), which it
   * only does for the key's next seq, so none of them is in the log.
   */
  restamp(fromSeq: number, staleMs: number): Promise<OutboxItem[]> {
    return this.#exclusive(async () => {
      const now = Date.now();
      const changed: OutboxItem[] = [];
      for (const item of this.items) {
        if (item.seq < fromSeq || now - Date.parse(item.payload.sentAt) <= staleMs) continue;
        item.payload = { ...item.payload, sentAt: new Date(now).toISOString() };
        item.jws = await this.#sign(item.payload);
        changed.push(item);
      }
      if (changed.length > 0) await this.persist();
      return changed;
    });
  }

  holdCheckpoint(jws: string): Promise<void> {
    return this.#exclusive(async () => {
      this.checkpoint = jws;
      await this.persist();
    });
  }
}
