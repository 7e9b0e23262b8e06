// The relay's LineBook follows the log (shared/line-book.ts): every call, translation, link reply, link
// test, miss and expiry, in idx order, as each commits and again when a restarted relay rebuilds its runs
// from the control entries. The entries were checked before they were appended, so this only applies them.
// Messages are not control entries: a translation's message is known when the relay admitted it (noted by
// the admission), and a rebuilt run that never saw it uses the translation itself as a stand-in (the relay
// keeps only which messages are translated; the delay is for the log's readers, who have the message).
import type { Entry } from '../shared/entry.js';
import type { LineBook, LogPlace, MessageRef } from '../shared/line-book.js';
import { callExpiredData, linkMissedData, linkTestData } from '../shared/line-entries.js';
import { inspectItem } from '../shared/signed.js';
import { LANGS } from '../shared/items.js';
import type { KeyRole } from '../shared/entry-data.js';
import { keyEnrolledData, keyRevokedData } from '../shared/entry-data.js';

export interface RunKey {
  station: string;
  role: KeyRole;
  enrolledAt: number;
  revoked: boolean;
}

/** What a run knows of the line besides its LineBook: keys (who is tested) and the messages being translated. */
export class RunLine {
  readonly keys = new Map<string, RunKey>();
  /** Messages whose translation was admitted and not yet applied, by message id. */
  readonly translating = new Map<string, MessageRef>();
  /** When the latest procedures entry was logged (ms): the line settings in force since then. */
  settingsAt = 0;

  constructor(readonly book: LineBook) {}

  /** Stations with at least one enrolled, unrevoked key, each with the time its first key was enrolled. */
  testedStations(): Map<string, number> {
    const out = new Map<string, number>();
    for (const k of this.keys.values()) {
      if (k.revoked) continue;
      const first = out.get(k.station);
      if (first === undefined || k.enrolledAt < first) out.set(k.station, k.enrolledAt);
    }
    return out;
  }

  /** Follows one committed entry of the line (keys, calls, translations, link tests and their outcomes). */
  apply(entry: Entry): void {
    const place: LogPlace = { idx: entry.idx, hash: entry.hash, at: Date.parse(entry.at) };
    const kind = entry.kind;
    if (kind === 'key-enrolled') {
      const d = keyEnrolledData.parse(entry.data);
      this.keys.set(d.kid, { station: d.station, role: d.role ?? 'operator', enrolledAt: place.at, revoked: false });
    } else if (kind === 'key-revoked') {
      const key = this.keys.get(keyRevokedData.parse(entry.data).kid);
      if (key) key.revoked = true;
    } else if (kind === 'link-test') this.book.applyLinkTest(linkTestData.parse(entry.data), place);
    else if (kind === 'link-missed') this.book.applyMissed(linkMissedData.parse(entry.data), place);
    else if (kind === 'call-expired') this.book.applyExpiry(callExpiredData.parse(entry.data), place);
    else if (kind === 'call' || kind === 'translation' || kind === 'link-reply') this.#item(entry, place);
  }

  #item(entry: Entry, place: LogPlace): void {
    const { kid, payload: p } = inspectItem(entry.jws!);
    if (p.type === 'call') this.book.applyCall(p, place);
    else if (p.type === 'link-reply') this.book.applyLinkReply(p, kid, place);
    else if (p.type === 'translation') {
      const other = LANGS.find((l) => l !== p.lang) ?? p.lang;
      const message = this.translating.get(p.ref) ?? { ...place, to: p.from, lang: other };
      this.translating.delete(p.ref);
      this.book.applyTranslation(p, kid, message, place);
    }
  }
}
