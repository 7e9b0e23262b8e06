// A LineBook followed over a log that was verified already (the replay: the whole export passed the chain
// verifier before it plays), entry by entry up to a moment: apply* only, since every check passed when the
// log was verified. Keeps what the translations refer to (messages by id) and the exercise's line settings.
import type { Applied } from '../../../shared/chain.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import { LineBook, type MessageRef } from '../../../shared/line-book.js';
import {
  withLineDefaults,
  type CallExpiredData,
  type LineSettingsInput,
  type LinkMissedData,
  type LinkTestData,
} from '../../../shared/line-entries.js';

export class LineFollower {
  readonly book: LineBook;
  readonly #messages = new Map<string, MessageRef>();

  constructor(clock: ExerciseClock) {
    this.book = new LineBook(clock);
  }

  apply({ entry, item }: Pick<Applied, 'entry' | 'item'>): void {
    const place = { idx: entry.idx, hash: entry.hash, at: Date.parse(entry.at) };
    const data = entry.data ?? {};
    if (entry.kind === 'procedures')
      this.book.settings = withLineDefaults(data['line'] as LineSettingsInput | undefined);
    else if (entry.kind === 'link-test') this.book.applyLinkTest(data as LinkTestData, place);
    else if (entry.kind === 'link-missed') this.book.applyMissed(data as LinkMissedData, place);
    else if (entry.kind === 'call-expired') this.book.applyExpiry(data as CallExpiredData, place);
    const p = item?.payload;
    if (!item || !p) return;
    switch (p.type) {
      case 'message':
        this.#messages.set(p.id, { ...place, to: p.to, lang: p.lang });
        return;
      case 'call':
        return this.book.applyCall(p, place);
      case 'link-reply':
        return this.book.applyLinkReply(p, item.kid, place);
      case 'translation': {
        const message = this.#messages.get(p.ref);
        if (message) this.book.applyTranslation(p, item.kid, message, place);
        return;
      }
      case 'receipt':
        return;
    }
  }
}
