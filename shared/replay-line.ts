// The line's procedures as a replay tells them (shared/replay-events.ts): call requests and their answers,
// translations, link tests, their replies and misses. Public entries: every reader sees them all.
import type { Entry } from './entry.js';
import type { CallPayload, Lang, LinkReplyPayload, TranslationPayload } from './items.js';
import type { CallExpiredData, LinkMissedData, LinkTestData } from './line-entries.js';

/** A call item's own fields, per action (Omit over each member of the union, not over the union). */
type CallFields<C = CallPayload> = C extends unknown ? Omit<C, 'v' | 'type' | 'exercise' | 'seq' | 'sentAt'> : never;

export type LineEvent =
  | ({ kind: 'call'; refIdx?: number } & CallFields)
  | { kind: 'call-expired'; ref: string; refIdx?: number; awaiting: string; windowMs: number }
  | {
      kind: 'translation';
      id: string;
      from: string;
      to: string;
      ref: string;
      refIdx?: number;
      lang: Lang;
      subject?: string;
      body: string;
    }
  | { kind: 'link-test'; id: string; to: string; timeoutMs: number }
  | { kind: 'link-reply'; id: string; from: string; ref: string; refIdx?: number; rttMs?: number }
  | { kind: 'link-missed'; ref: string; refIdx?: number; to: string };

/** Where earlier entries are, by the id they carry: a call request, a link test (idx and relay time), a message. */
export class LineIndex {
  readonly #calls = new Map<string, number>();
  readonly #tests = new Map<string, { idx: number; at: number }>();
  constructor(private readonly messages: Map<string, number>) {}

  item(p: CallPayload | TranslationPayload | LinkReplyPayload, entry: Entry): LineEvent {
    const at = Date.parse(entry.at);
    if (p.type === 'translation') {
      const { id, from, to, ref, lang, subject, body } = p;
      const refIdx = this.messages.get(ref);
      return {
        kind: 'translation',
        id,
        from,
        to,
        ref,
        lang,
        body,
        ...(subject === undefined ? {} : { subject }),
        ...(refIdx === undefined ? {} : { refIdx }),
      };
    }
    if (p.type === 'link-reply') {
      const test = this.#tests.get(p.ref);
      return {
        kind: 'link-reply',
        id: p.id,
        from: p.from,
        ref: p.ref,
        ...(test === undefined ? {} : { refIdx: test.idx, rttMs: at - test.at }),
      };
    }
    const { v: _v, type: _t, exercise: _e, seq: _s, sentAt: _a, ...fields } = p;
    if (p.action === 'request') this.#calls.set(p.id, entry.idx);
    const refIdx = p.action === 'request' ? undefined : this.#calls.get(p.ref);
    return { kind: 'call', ...(fields as CallFields), ...(refIdx === undefined ? {} : { refIdx }) };
  }

  relay(entry: Entry): LineEvent {
    const data = entry.data as Record<string, unknown>;
    if (entry.kind === 'link-test') {
      const d = data as LinkTestData;
      this.#tests.set(d.id, { idx: entry.idx, at: Date.parse(entry.at) });
      return { kind: 'link-test', id: d.id, to: d.to, timeoutMs: d.timeoutMs };
    }
    if (entry.kind === 'link-missed') {
      const d = data as LinkMissedData;
      const refIdx = this.#tests.get(d.ref)?.idx;
      return { kind: 'link-missed', ref: d.ref, to: d.to, ...(refIdx === undefined ? {} : { refIdx }) };
    }
    const d = data as CallExpiredData;
    const refIdx = this.#calls.get(d.ref);
    return {
      kind: 'call-expired',
      ref: d.ref,
      awaiting: d.awaiting,
      windowMs: d.windowMs,
      ...(refIdx === undefined ? {} : { refIdx }),
    };
  }
}
