// The state of the line's procedures (docs/PROTOCOL.md section 16), followed entry by entry in log order:
// call requests and their answers, link tests and their outcomes, translations. One set of rules for every
// reader: the relay checks a console's item against it before admitting it, the chain verifier (consoles,
// `hotline verify`, the replay) refuses a log that breaks them, and the views read their state from it.
// Each check* throws the HotlineError the relay answers with and changes nothing; each apply* follows an
// entry that passed its check.
import { HotlineError } from './errors.js';
import type { ExerciseClock } from './exercise-clock.js';
import { lineDueAt } from './deadlines.js';
import { LIMITS, type CallPayload, type Lang, type LinkReplyPayload, type TranslationPayload } from './items.js';
import type {
  CallView,
  CallStep,
  LinkHealth,
  LinkTestView,
  LogPlace,
  MessageRef,
  TranslationView,
} from './line-views.js';
import {
  withLineDefaults,
  type CallExpiredData,
  type LineSettings,
  type LinkMissedData,
  type LinkTestData,
} from './line-entries.js';

export type {
  CallState,
  CallStep,
  CallView,
  LinkHealth,
  LinkTestView,
  LogPlace,
  MessageRef,
  TranslationView,
} from './line-views.js';

function state(message: string): HotlineError {
  return new HotlineError('PROCEDURE_STATE', message);
}

export class LineBook {
  settings: LineSettings = withLineDefaults(undefined);
  readonly calls = new Map<string, CallView>();
  readonly tests = new Map<string, LinkTestView>();
  /** Translations by the id of the message they translate: one per message. */
  readonly translations = new Map<string, TranslationView>();
  /** Each station's latest link test, so the relay's scheduler and open-test checks need no scan. */
  readonly #lastTest = new Map<string, LinkTestView>();

  constructor(private readonly clock: ExerciseClock) {}

  /** The real time (ms) a call's current window closes, or undefined while line time stands still. */
  callDueAt(call: CallView, asOf?: number): number | undefined {
    return lineDueAt(this.clock, call.windowFrom, this.settings.callWindowMs, asOf);
  }

  /** Line time left in a call's window at `now` (negative once passed). */
  callLeftMs(call: CallView, now: number): number {
    return this.settings.callWindowMs - this.clock.lineElapsed(call.windowFrom, now);
  }

  openCalls(station?: string): CallView[] {
    return [...this.calls.values()].filter(
      (c) => c.state === 'awaiting' && (station === undefined || c.from === station || c.to === station),
    );
  }

  /** Checks a call item logged at `at` (ms); returns the call it answers (undefined for a request). */
  checkCall(p: CallPayload, at: number): CallView | undefined {
    if (p.action === 'request') {
      const open = [...this.calls.values()].filter((c) => c.state === 'awaiting' && c.from === p.from).length;
      if (open >= LIMITS.openCalls)
        throw state(`${p.from} already has ${open} call requests open; the limit is ${LIMITS.openCalls}.`);
      return undefined;
    }
    const call = this.calls.get(p.ref);
    if (!call || (call.from !== p.from && call.to !== p.from))
      throw new HotlineError('UNKNOWN_REF', `No call request ${p.ref} between ${p.from} and ${p.to}.`);
    if (call.place.hash !== p.refHash)
      throw new HotlineError('REF_HASH_MISMATCH', `refHash is not the hash of call request entry ${call.place.idx}.`);
    if (call.state !== 'awaiting') throw state(`Call request ${p.ref} is ${call.state}: it takes no more answers.`);
    if (call.awaiting !== p.from)
      throw state(`Call request ${p.ref} awaits ${call.awaiting}'s answer, not ${p.from}'s.`);
    if (this.callLeftMs(call, at) <= 0) throw state(`The window to answer call request ${p.ref} has closed.`);
    return call;
  }

  applyCall(p: CallPayload, place: LogPlace): void {
    const step: CallStep = { idx: place.idx, at: place.at, action: p.action, by: p.from };
    if (p.action === 'request') {
      this.calls.set(p.id, {
        id: p.id,
        place,
        from: p.from,
        to: p.to,
        level: p.level,
        subject: p.subject,
        proposedAt: p.proposedAt,
        state: 'awaiting',
        awaiting: p.to,
        windowFrom: place.at,
        steps: [{ ...step, proposedAt: p.proposedAt }],
      });
      return;
    }
    const call = this.calls.get(p.ref)!;
    if (p.action === 'propose') {
      Object.assign(call, { proposedAt: p.proposedAt, awaiting: p.to, windowFrom: place.at });
      call.steps.push({ ...step, proposedAt: p.proposedAt, ...(p.note === undefined ? {} : { note: p.note }) });
    } else if (p.action === 'accept') {
      Object.assign(call, { state: 'accepted', callAt: p.callAt, awaiting: undefined });
      call.steps.push({ ...step, callAt: p.callAt });
    } else {
      Object.assign(call, { state: 'declined', awaiting: undefined });
      call.steps.push({ ...step, ...(p.note === undefined ? {} : { note: p.note }) });
    }
  }

  checkExpiry(d: CallExpiredData, at: number): void {
    const call = this.calls.get(d.ref);
    if (!call) throw new HotlineError('UNKNOWN_REF', `call-expired names no call request ${d.ref}.`);
    if (call.place.hash !== d.refHash) throw new HotlineError('REF_HASH_MISMATCH', 'call-expired refHash');
    if (call.state !== 'awaiting' || call.awaiting !== d.awaiting)
      throw state(`Call request ${d.ref} is not awaiting ${d.awaiting}.`);
    if (d.windowMs !== this.settings.callWindowMs) throw state(`call-expired gives a window of ${d.windowMs} ms.`);
    if (this.callLeftMs(call, at) > 0) throw state(`Call request ${d.ref} expired before its window closed.`);
  }

  applyExpiry(d: CallExpiredData, place: LogPlace): void {
    const call = this.calls.get(d.ref)!;
    Object.assign(call, { state: 'expired', awaiting: undefined });
    call.steps.push({ idx: place.idx, at: place.at, action: 'expired', by: 'relay' });
  }

  /** A station's latest link test: its open one if it has one (checkLinkTest allows one at a time). */
  lastTest(station: string): LinkTestView | undefined {
    return this.#lastTest.get(station);
  }

  /** The open link test of a station, if one is waiting for its reply. */
  openTest(station: string): LinkTestView | undefined {
    const t = this.#lastTest.get(station);
    return t && !t.reply && !t.missed ? t : undefined;
  }

  checkLinkTest(d: LinkTestData): void {
    if (this.tests.has(d.id)) throw new HotlineError('ID_CONFLICT', `link test ${d.id} twice`);
    const open = this.openTest(d.to);
    if (open) throw state(`link test ${open.id} to ${d.to} is still open.`);
  }

  applyLinkTest(d: LinkTestData, place: LogPlace): void {
    const test = { id: d.id, place, to: d.to, timeoutMs: d.timeoutMs };
    this.tests.set(d.id, test);
    this.#lastTest.set(d.to, test);
  }

  checkLinkReply(p: LinkReplyPayload, at: number): LinkTestView {
    const test = this.tests.get(p.ref);
    if (!test || test.to !== p.from) throw new HotlineError('UNKNOWN_REF', `No link test ${p.ref} to ${p.from}.`);
    if (test.place.hash !== p.refHash)
      throw new HotlineError('REF_HASH_MISMATCH', `refHash is not the hash of link test entry ${test.place.idx}.`);
    if (test.reply || test.missed) throw state(`Link test ${p.ref} was already ${test.reply ? 'answered' : 'missed'}.`);
    if (at - test.place.at > test.timeoutMs) throw state(`Link test ${p.ref} timed out before this reply.`);
    return test;
  }

  applyLinkReply(p: LinkReplyPayload, kid: string, place: LogPlace): void {
    const test = this.tests.get(p.ref)!;
    test.reply = { idx: place.idx, at: place.at, rttMs: place.at - test.place.at, kid };
  }

  checkMissed(d: LinkMissedData, at: number): void {
    const test = this.tests.get(d.ref);
    if (!test || test.to !== d.to) throw new HotlineError('UNKNOWN_REF', `link-missed names no link test ${d.ref}.`);
    if (test.place.hash !== d.refHash) throw new HotlineError('REF_HASH_MISMATCH', 'link-missed refHash');
    if (test.reply || test.missed) throw state(`Link test ${d.ref} was already ${test.reply ? 'answered' : 'missed'}.`);
    if (at - test.place.at < test.timeoutMs) throw state(`Link test ${d.ref} was called missed before its time.`);
  }

  applyMissed(d: LinkMissedData, place: LogPlace): void {
    this.tests.get(d.ref)!.missed = { idx: place.idx, at: place.at };
  }

  /** Checks a translation against the message it translates (looked up by the caller); a station translates
   * into its own language, `ownLang`. */
  checkTranslation(p: TranslationPayload, message: MessageRef | undefined, ownLang: Lang): MessageRef {
    if (p.lang !== ownLang) throw state(`${p.from} translates into its own language, ${ownLang}, not ${p.lang}.`);
    if (!message || message.to !== p.from)
      throw new HotlineError('UNKNOWN_REF', `No message ${p.ref} addressed to ${p.from} to translate.`);
    if (message.hash !== p.refHash)
      throw new HotlineError('REF_HASH_MISMATCH', `refHash is not the hash of message entry ${message.idx}.`);
    if (message.lang === p.lang) throw state(`Message ${p.ref} is already in ${p.lang}.`);
    if (this.translations.has(p.ref)) throw state(`Message ${p.ref} is already translated.`);
    return message;
  }

  applyTranslation(p: TranslationPayload, kid: string, message: MessageRef, place: LogPlace): void {
    this.translations.set(p.ref, {
      id: p.id,
      idx: place.idx,
      at: place.at,
      ref: p.ref,
      from: p.from,
      lang: p.lang,
      ...(p.subject === undefined ? {} : { subject: p.subject }),
      body: p.body,
      delayMs: place.at - message.at,
      kid,
    });
  }

  /** A station's link health: its last test, the last round trip and miss, how many tests it answered and missed. */
  health(station: string): LinkHealth {
    const h: LinkHealth = { tests: 0, answered: 0, missed: 0 };
    for (const t of this.tests.values()) {
      if (t.to !== station) continue;
      h.tests++;
      h.last = t;
      if (t.reply) {
        h.answered++;
        h.lastRttMs = t.reply.rttMs;
      }
      if (t.missed) {
        h.missed++;
        h.lastMissAt = t.missed.at;
      }
    }
    return h;
  }
}
