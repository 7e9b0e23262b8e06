// The conversation as an operator sees it, built only from verified log entries plus the console's own
// outbox: every message with its states and their times.
import type { Applied } from '../shared/chain.js';
import type { ErrorCode } from '../shared/errors.js';
import type { MessagePayload, Precedence } from '../shared/items.js';
import { receiptLogged } from './receipts.js';
import type { OutboxItem } from './storage.js';

export type MessageState = 'queued' | 'accepted' | 'delivered' | 'acknowledged' | 'rejected';

export interface MessageView {
  id: string;
  direction: 'out' | 'in';
  from: string;
  to: string;
  precedence: Precedence;
  lang: MessagePayload['lang'];
  subject?: string;
  body: string;
  classification: string;
  replyTo?: string;
  sentAt: string;
  seq: number;
  kid?: string;
  idx?: number;
  hash?: string;
  verified: boolean;
  /** The time each state was reached (ISO 8601, UTC). */
  states: Partial<Record<Exclude<MessageState, 'rejected'>, string>>;
  rejected?: { at: string; code: ErrorCode; message: string };
  ackNote?: string;
}

export function latestState(view: MessageView): MessageState {
  if (view.rejected) return 'rejected';
  if (view.states.acknowledged) return 'acknowledged';
  if (view.states.delivered) return 'delivered';
  if (view.states.accepted) return 'accepted';
  return 'queued';
}

export class Conversation {
  readonly messages = new Map<string, MessageView>();

  constructor(private readonly station: string) {}

  list(): MessageView[] {
    return [...this.messages.values()].sort(
      // Log order; our own items not yet in the log after it, in the order the outbox sends them.
      (a, b) => (a.idx ?? Infinity) - (b.idx ?? Infinity) || a.seq - b.seq,
    );
  }

  /** A message of ours not yet in the log. */
  queued(item: OutboxItem): MessageView | undefined {
    const p = item.payload;
    if (p.type !== 'message') return undefined;
    const view = this.messages.get(p.id) ?? this.#view(p, true);
    view.states.queued ??= item.queuedAt;
    // Re-signed after a refusal: until it is in the log, the view shows the seq and sentAt it now carries.
    if (view.idx === undefined) Object.assign(view, { seq: p.seq, sentAt: p.sentAt });
    this.messages.set(p.id, view);
    return view;
  }

  #view(p: MessagePayload, verified: boolean): MessageView {
    const view: MessageView = {
      id: p.id,
      direction: p.from === this.station ? 'out' : 'in',
      from: p.from,
      to: p.to,
      precedence: p.precedence,
      lang: p.lang,
      body: p.body,
      classification: p.classification,
      sentAt: p.sentAt,
      seq: p.seq,
      verified,
      states: {},
    };
    if (p.subject !== undefined) view.subject = p.subject;
    if (p.replyTo !== undefined) view.replyTo = p.replyTo;
    return view;
  }

  /** Applies a verified entry; returns the view it changed, if any. */
  apply(applied: Applied): MessageView | undefined {
    const { entry, item } = applied;
    if (!item) return undefined;
    if (item.payload.type === 'message') {
      const p = item.payload;
      const view = this.messages.get(p.id) ?? this.#view(p, true);
      Object.assign(view, {
        idx: entry.idx,
        hash: entry.hash,
        kid: item.kid,
        verified: true,
        seq: p.seq,
        sentAt: p.sentAt,
      });
      if (view.direction === 'out') {
        view.states.queued ??= p.sentAt;
        view.states.accepted ??= entry.at;
      } else {
        view.states.accepted ??= entry.at;
      }
      delete view.rejected;
      this.messages.set(p.id, view);
      return view;
    }
    const r = item.payload;
    if (r.type !== 'receipt') return undefined;
    const view = this.messages.get(r.ref);
    if (!view) return undefined;
    receiptLogged(view, r, entry.at);
    return view;
  }

  accepted(id: string, at: string, idx: number, hash: string): MessageView | undefined {
    const view = this.messages.get(id);
    if (!view) return undefined;
    view.states.accepted ??= at;
    view.idx ??= idx;
    view.hash ??= hash;
    return view;
  }

  rejected(id: string, code: ErrorCode, message: string): MessageView | undefined {
    const view = this.messages.get(id);
    if (!view || view.states.accepted) return undefined;
    view.rejected = { at: new Date().toISOString(), code, message };
    return view;
  }

  /** Incoming messages that no device of this station has receipted with `kind` yet. */
  awaiting(kind: 'delivered' | 'acknowledged'): MessageView[] {
    return this.list().filter((v) => v.direction === 'in' && v.verified && !v.states[kind]);
  }
}
