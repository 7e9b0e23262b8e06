// What a console signs for the line's procedures (docs/PROTOCOL.md section 16): call requests and their
// answers, translations of the messages it received, and the automatic replies to the relay's link tests.
// Each is checked here against the verifier's LineBook first, by the rules the relay applies, so that an
// item the relay would refuse costs no seq; each then goes through the outbox like a message (durable,
// seq'd, re-sent after a reconnect). One item per call, message or link test is in flight at a time.
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import {
  LIMITS,
  type CallLevel,
  type CallPayload,
  type ItemPayload,
  type TranslationPayload,
} from '../shared/items.js';
import type { LinkTestView } from '../shared/line-book.js';
import { peerStation, requireOperator, type Identity } from './identity.js';
import type { ItemDraft, Outbox } from './outbox.js';
import type { StationLog } from './station-log.js';
import type { OutboxItem } from './storage.js';
import type { ItemRefusal } from './events.js';
import { isLineItem, type LineItem } from './line-changes.js';
import type { RejectedFrame } from '../shared/protocol.js';

export interface CallRequest {
  level: CallLevel;
  subject: string;
  /** The proposed time of the call (ISO 8601 UTC, milliseconds: 2026-12-02T14:00:00.000Z). */
  proposedAt: string;
}

export type CallAnswer =
  | { action: 'accept'; callAt: string }
  | { action: 'propose'; proposedAt: string; note?: string }
  | { action: 'decline'; note?: string };

export interface TranslationDraft {
  subject?: string;
  body: string;
}

function refOf(p: LineItem): string {
  return p.type === 'call' && p.action === 'request' ? p.id : (p as { ref: string }).ref;
}

const state = (message: string) => new HotlineError('PROCEDURE_STATE', message);

export class LineActions {
  /** Calls, messages and link tests with an item of ours signed and not yet logged or refused. */
  readonly #inFlight = new Set<string>();
  /** The ids of our call requests among them. */
  readonly #requests = new Set<string>();

  constructor(
    private readonly identity: Identity,
    private readonly outbox: Outbox,
    private readonly log: StationLog,
    private readonly submit: (item: OutboxItem) => void,
  ) {
    for (const { payload: p } of outbox.items) {
      if (!isLineItem(p)) continue;
      this.#inFlight.add(refOf(p));
      if (p.type === 'call' && p.action === 'request') this.#requests.add(p.id);
    }
  }

  get #line() {
    return this.log.chain.line;
  }

  get #me(): string {
    return this.identity.station;
  }

  /** Whether an item of ours about this call, message or link test is on its way. */
  inFlight(ref: string): boolean {
    return this.#inFlight.has(ref);
  }

  #refuseWhenClosed(): void {
    if (this.log.lineClosed)
      throw new HotlineError('EXERCISE_ENDED', 'The exercise has ended (ENDEX): the line is closed.');
  }

  async #queue(draft: ItemDraft, ref?: string): Promise<OutboxItem> {
    if (ref !== undefined) this.#inFlight.add(ref);
    let item: OutboxItem;
    try {
      item = await this.outbox.add(draft);
    } catch (err) {
      if (ref !== undefined) this.#inFlight.delete(ref);
      throw err;
    }
    this.#inFlight.add(refOf(item.payload as LineItem));
    this.submit(item);
    return item;
  }

  /** Signs a call request to the other station; resolves with its id once it is queued. */
  async requestCall(req: CallRequest): Promise<string> {
    requireOperator(this.identity, 'request a call');
    this.#refuseWhenClosed();
    // Requests signed but not yet applied count too (accepted by the relay or not): the relay counts them.
    const pending = [...this.#inFlight].filter((ref) => this.#requests.has(ref)).length;
    const open = this.#line.openCalls().filter((c) => c.from === this.#me).length + pending;
    if (open >= LIMITS.openCalls)
      throw state(`${this.#me} already has ${open} call requests open; the limit is ${LIMITS.openCalls}.`);
    const draft = { type: 'call', action: 'request', to: peerStation(this.identity), ...req } as const;
    const item = await this.#queue(draft);
    this.#requests.add(item.id);
    return item.id;
  }

  /** Signs an answer to the call request `callId` (accept, propose another time, decline). */
  async answerCall(callId: string, answer: CallAnswer): Promise<void> {
    requireOperator(this.identity, 'answer a call request');
    this.#refuseWhenClosed();
    const call = this.#line.calls.get(callId);
    if (!call) throw new HotlineError('UNKNOWN_REF', `No call request ${callId} in the log.`);
    if (this.#inFlight.has(callId)) throw state(`An answer to call request ${callId} is already on its way.`);
    const draft = {
      type: 'call',
      to: peerStation(this.identity),
      ref: callId,
      refHash: call.place.hash,
      ...answer,
    } as const;
    // The relay's own rules: open, our turn, window not passed (by this device's clock).
    this.#line.checkCall({ ...draft, from: this.#me } as CallPayload, Date.now());
    await this.#queue(draft, callId);
  }

  /** Signs this station's translation of the incoming message `messageId` into its own language. */
  async translate(messageId: string, draft: TranslationDraft): Promise<void> {
    this.#refuseWhenClosed();
    const view = this.log.conversation.messages.get(messageId);
    if (!view || view.direction !== 'in' || view.hash === undefined)
      throw new HotlineError('UNKNOWN_REF', `No incoming message ${messageId} in the log to translate.`);
    if (this.#inFlight.has(messageId)) throw state(`A translation of message ${messageId} is already on its way.`);
    const lang = this.identity.exercise.stations.find((s) => s.id === this.#me)!.lang;
    const item = {
      type: 'translation',
      to: peerStation(this.identity),
      ref: messageId,
      refHash: view.hash,
      lang,
      ...(draft.subject ? { subject: draft.subject } : {}),
      body: draft.body,
    } as const;
    this.#line.checkTranslation(
      { ...item, from: this.#me } as TranslationPayload,
      this.log.chain.messages.get(messageId),
      lang,
    );
    await this.#queue(item, messageId);
  }

  /**
   * Answers a link test addressed to this station while it is open and not older than its timeout by this
   * device's clock; otherwise does nothing (another device answered, or it is history being caught up on).
   */
  async replyToTest(test: LinkTestView, now = Date.now()): Promise<void> {
    if (test.to !== this.#me || test.reply || test.missed || this.#inFlight.has(test.id)) return;
    if (this.log.lineClosed || now - test.place.at > test.timeoutMs) return;
    const draft = {
      type: 'link-reply',
      to: peerStation(this.identity),
      ref: test.id,
      refHash: test.place.hash,
    } as const;
    await this.#queue(draft, test.id);
  }

  /** An item of ours is in the log: its call, message or link test may take another. */
  logged(p: ItemPayload): void {
    if (!isLineItem(p) || p.from !== this.#me) return;
    this.#inFlight.delete(refOf(p));
    this.#requests.delete(p.id);
  }

  /** Answers this station's open link test, if there is one and automatic replies are on. */
  async answerOpenTest(options: { autoLinkReply?: boolean }): Promise<void> {
    const test = this.#line.openTest(this.#me);
    if (test && options.autoLinkReply !== false) await this.replyToTest(test);
  }

  /** A refusal of our link reply because another device of this station answered first: no news. */
  beaten(frame: RejectedFrame): boolean {
    const p = frame.id === undefined ? undefined : this.outbox.find(frame.id)?.payload;
    return p?.type === 'link-reply' && frame.code === 'PROCEDURE_STATE';
  }

  /**
   * The relay refused an item of ours for good: the refusal to tell the operator of, if any. A link reply
   * refused because another device answered first, or because the line closed, is no news.
   */
  refused(item: OutboxItem, code: ErrorCode, message: string): ItemRefusal | undefined {
    const p = item.payload;
    if (!isLineItem(p)) return undefined;
    this.#inFlight.delete(refOf(p));
    this.#requests.delete(p.id);
    if (p.type === 'link-reply' && (code === 'PROCEDURE_STATE' || code === 'EXERCISE_ENDED')) return undefined;
    return { id: item.id, payload: p, code, message, at: new Date().toISOString() };
  }
}
