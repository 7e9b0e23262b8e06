// The outbox: items signed with consecutive seqs and kept durably until the relay accepts them. When the
// relay refuses one for good, the items after it are signed again one seq lower, so the device's stream
// stays gap-free (a refused item never reached the log, so re-signing its successors is safe).
import { v7 as uuidv7 } from 'uuid';
import { signJws } from '../shared/jws.js';
import { HotlineError } from '../shared/errors.js';
import { utf8 } from '../shared/encoding.js';
import {
  LIMITS,
  TYP,
  messagePayload,
  receiptPayload,
  type MessagePayload,
  type ReceiptPayload,
} from '../shared/items.js';
import { validate } from '../shared/protocol.js';
import type { Identity } from './identity.js';
import type { ClientStorage, OutboxItem, SavedState } from './storage.js';

type Draft =
  | Omit<MessagePayload, 'id' | 'seq' | 'sentAt' | 'v' | 'exercise' | 'from'>
  | Omit<ReceiptPayload, 'id' | 'seq' | 'sentAt' | 'v' | 'exercise' | 'from'>;

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

  async #sign(payload: MessagePayload | ReceiptPayload): Promise<string> {
    const typ = payload.type === 'message' ? TYP.message : TYP.receipt;
    return signJws(payload, this.identity.privateKey, this.identity.kid, typ);
  }

  /** Signs a new item with the next seq and stores it durably before anyone sees it as queued. */
  add(draft: Draft): Promise<OutboxItem> {
    return this.#exclusive(async () => {
      const payload = {
        v: 1,
        ...draft,
        id: uuidv7(),
        exercise: this.identity.exercise.id,
        from: this.identity.station,
        seq: this.nextSeq,
        sentAt: new Date().toISOString(),
      } as MessagePayload | ReceiptPayload;
      // Never sign what the relay would refuse: the console reports the problem before it costs a seq.
      if (payload.type === 'message') validate(messagePayload, payload);
      else validate(receiptPayload, payload);
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
