// How the chain verifier (shared/chain.ts) follows the line's procedures: each call, translation and link
// reply item, and each relay entry (link test, miss, expiry), checked against the LineBook's rules and then
// applied to it. A fault names the entry it was found at.
import type { Entry } from './entry.js';
import { HotlineError } from './errors.js';
import {
  otherStation,
  type CallPayload,
  type ExerciseDef,
  type LinkReplyPayload,
  type TranslationPayload,
} from './items.js';
import type { LineBook } from './line-book.js';
import { callExpiredData, linkMissedData, linkTestData } from './line-entries.js';
import type { LogPlace, MessageRef } from './line-views.js';
import { validate } from './protocol.js';

/** Runs `check`; a HotlineError it throws is named after the entry it was found at. */
export function atEntry<T>(entry: Entry, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw err instanceof HotlineError
      ? new HotlineError(err.code, `entry ${entry.idx}: ${err.message}`, { idx: entry.idx })
      : err;
  }
}

export function placeOf(entry: Entry): LogPlace {
  return { idx: entry.idx, hash: entry.hash, at: Date.parse(entry.at) };
}

/** A console's call, translation or link reply, signed by key `kid`; `message` finds a translated message. */
export function followLineItem(
  line: LineBook,
  def: ExerciseDef | undefined,
  entry: Entry,
  p: CallPayload | TranslationPayload | LinkReplyPayload,
  kid: string,
  message: (id: string) => MessageRef | undefined,
): void {
  const place = placeOf(entry);
  atEntry(entry, () => {
    if (p.type === 'call') {
      line.checkCall(p, place.at);
      line.applyCall(p, place);
    } else if (p.type === 'translation') {
      const own = def?.stations.find((st) => st.id === p.from)?.lang ?? p.lang;
      const translated = line.checkTranslation(p, message(p.ref), own);
      line.applyTranslation(p, kid, translated, place);
    } else {
      line.checkLinkReply(p, place.at);
      line.applyLinkReply(p, kid, place);
    }
  });
}

/** The relay's own procedure entries: a link test, a missed one, an expired call request. */
export function followLineEntry(line: LineBook, def: ExerciseDef | undefined, entry: Entry): void {
  const place = placeOf(entry);
  atEntry(entry, () => {
    if (entry.kind === 'link-test') {
      const d = validate(linkTestData, entry.data);
      if (!def || otherStation(def, d.to) === undefined) throw new HotlineError('WRONG_STATION', `no station ${d.to}`);
      line.checkLinkTest(d);
      line.applyLinkTest(d, place);
    } else if (entry.kind === 'link-missed') {
      const d = validate(linkMissedData, entry.data);
      line.checkMissed(d, place.at);
      line.applyMissed(d, place);
    } else {
      const d = validate(callExpiredData, entry.data);
      line.checkExpiry(d, place.at);
      line.applyExpiry(d, place);
    }
  });
}
