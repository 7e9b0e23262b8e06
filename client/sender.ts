// What a console signs and sends, and what becomes of it when the relay refuses: messages the operator
// writes, `delivered` receipts for what arrived, `acknowledged` receipts the operator gives. After ENDEX
// nothing more is signed, and a refusal EXERCISE_ENDED ends every item that was waiting, for good.
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import type { Precedence } from '../shared/items.js';
import type { RejectedFrame } from '../shared/protocol.js';
import type { MessageView } from './conversation.js';
import { peerStation, requireOperator, type Identity } from './identity.js';
import type { Outbox } from './outbox.js';
import { Receipts } from './receipts.js';
import { handleRefusal } from './refusals.js';
import type { StationLog } from './station-log.js';
import type { OutboxItem } from './storage.js';

export interface SenderHooks {
  submit(item: OutboxItem): void;
  /** A message view changed (queued, refused). */
  message(view: MessageView): void;
  /** The relay said the line is closed before this console applied ENDEX. */
  closed(): void;
  alarm(code: ErrorCode, message: string): void;
  /** Drop the socket and reconnect: the refusal said nothing about the item. */
  reconnect(reason: string): void;
  /** The relay refused an item that is neither a message nor a receipt (a call item, a translation, a link
   * reply) for good. */
  refusedItem(item: OutboxItem, code: ErrorCode, message: string): void;
}

export interface Draft {
  precedence?: Precedence;
  subject?: string;
  body: string;
  replyTo?: string;
}

export class Sender {
  readonly #receipts: Receipts;

  constructor(
    private readonly identity: Identity,
    private readonly outbox: Outbox,
    private readonly log: StationLog,
    private readonly hooks: SenderHooks,
  ) {
    this.#receipts = new Receipts(outbox, peerStation(identity), (item) => hooks.submit(item));
  }

  #refuseWhenClosed(): void {
    if (this.log.lineClosed)
      throw new HotlineError(
        'EXERCISE_ENDED',
        'The exercise has ended (ENDEX): the line is closed; nothing more is sent.',
      );
  }

  /** Signs and queues a message durably, then sends it; resolves once it is queued. */
  async send(draft: Draft): Promise<MessageView> {
    requireOperator(this.identity, 'send messages');
    this.#refuseWhenClosed();
    const ex = this.identity.exercise;
    const me = ex.stations.find((s) => s.id === this.identity.station)!;
    const item = await this.outbox.add({
      type: 'message',
      to: peerStation(this.identity),
      precedence: draft.precedence ?? 'ROUTINE',
      lang: me.lang,
      body: draft.body,
      classification: ex.classification,
      ...(draft.subject ? { subject: draft.subject } : {}),
      ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
    });
    const view = this.log.conversation.queued(item)!;
    this.hooks.message(view);
    this.hooks.submit(item);
    return view;
  }

  /** The operator has read an incoming message or an inject: a signed `acknowledged` receipt. */
  async acknowledge(id: string, note?: string): Promise<void> {
    requireOperator(this.identity, 'acknowledge messages');
    const target = this.log.incoming(id);
    if (!target) throw new HotlineError('UNKNOWN_REF', `No incoming message or inject ${id}.`);
    if (target.states.acknowledged) return;
    this.#refuseWhenClosed();
    await this.#receipts.send('acknowledged', target, note);
  }

  ackInFlight(id: string): boolean {
    return this.#receipts.inFlight('acknowledged', id);
  }

  /** One `delivered` receipt for every verified incoming message and inject that has none yet. */
  async deliverAll(): Promise<void> {
    // After ENDEX the log is sealed: a receipt could only be refused. A translator signs no receipts: they
    // tell the sender the operator's console has the message.
    if (this.log.lineClosed || this.identity.role === 'translator') return;
    for (const item of this.log.undelivered()) await this.#receipts.send('delivered', item);
  }

  async rejected(frame: RejectedFrame): Promise<void> {
    const r = await handleRefusal(frame, this.outbox);
    if (r.action === 'ignore') return;
    if (r.action === 'reconnect') return this.hooks.reconnect(r.reason);
    if (r.action === 'resend' && r.note) this.hooks.alarm(frame.code, r.note);
    const refused = r.action === 'refused' ? [r.item] : r.action === 'closed' ? r.refused : [];
    for (const item of refused) {
      const view = this.log.conversation.rejected(item.id, frame.code, frame.message);
      if (view) this.hooks.message(view);
      if (item.payload.type === 'receipt') this.#receipts.refused(item.payload);
      else if (item.payload.type !== 'message') this.hooks.refusedItem(item, frame.code, frame.message);
    }
    if (r.action === 'closed' && this.log.refusedEnded()) this.hooks.closed();
    for (const changed of r.items) {
      this.log.conversation.queued(changed);
      this.hooks.submit(changed);
    }
  }
}
