// Admission of the line's items (docs/PROTOCOL.md section 16): a call request or answer, a translation, a
// link reply. After the checks every item gets (verifier.ts), the key's role, then the rules of the
// exercise's LineBook as committed, then the race rules: an item already in the log skips the rules (the
// linker answers it as the duplicate it is), and an answer in flight (line-pending.ts) keeps a second answer
// to the same call, test or message out until it settles.
import { HotlineError } from '../shared/errors.js';
import type { LineBook, MessageRef } from '../shared/line-book.js';
import { parseJsonPayload, payloadBytes } from '../shared/jws.js';
import { LIMITS, type ExerciseDef, type Lang } from '../shared/items.js';
import type { SignedItem } from '../shared/signed.js';
import { answerKey, requestPrefix, type PendingAnswers } from './line-pending.js';
import type { RunLine } from './run-line.js';
import type { KeyRecord, Store } from './store/types.js';

/** Where the relay keeps each exercise's line (exercise-runner.ts). */
export interface LineLookup {
  lineOf(exercise: string): RunLine | undefined;
  /** The idx of the last control entry the line was built from (-1: none). */
  appliedControl(exercise: string): number;
}

export interface LineAdmissionDeps {
  store: Store;
  pending: PendingAnswers;
  lines?: LineLookup;
}

/** What an admitted line item holds until it settles. */
export type Release = () => void;

/** A line item checked and marked: its mark's release, and the control state it was checked against, onto
 * which alone it may be appended (another relay may change the line meanwhile: AppendRequest.afterControl). */
export interface Admitted {
  release: Release;
  afterControl: number;
}

export class LineAdmission {
  constructor(private readonly deps: LineAdmissionDeps) {}

  /** Checks the key's role: a translator signs translations and link replies only. */
  static role(key: KeyRecord, type: SignedItem['payload']['type']): void {
    if (key.role === 'translator' && type !== 'translation' && type !== 'link-reply')
      throw new HotlineError('WRONG_ROLE', `Key ${key.kid} is a translator's: it may not sign a ${type}.`);
  }

  /**
   * Checks a line item against the LineBook at `stamp()` (the entry's `at`, taken after every read so the
   * chain verifier sees the same instant) and marks it pending; returns the mark's release, or undefined
   * when the item takes no mark (not a line item, or already in the log or in flight).
   */
  async check(def: ExerciseDef, item: SignedItem, stamp: () => number): Promise<Admitted | undefined> {
    const exercise = def.id;
    const p = item.payload;
    if (p.type !== 'call' && p.type !== 'translation' && p.type !== 'link-reply') return undefined;
    if (p.seq < (await this.deps.store.nextSeq(item.kid))) return undefined;
    const message = p.type === 'translation' ? await this.#message(exercise, p.ref) : undefined;
    // From here on nothing awaits: the check and the mark see one state of the LineBook.
    const at = stamp();
    const run = this.deps.lines?.lineOf(exercise);
    if (!run) throw new HotlineError('NOT_FOUND', `No exercise ${exercise}.`);
    const book: LineBook = run.book;
    const afterControl = this.deps.lines!.appliedControl(exercise);
    const admitted = (release: Release): Admitted => ({ release, afterControl });
    const tag = `${item.kid}:${p.seq}:${item.payloadHash}`;
    const pending = this.deps.pending;
    if (p.type === 'call' && p.action === 'request') {
      const prefix = requestPrefix(exercise, p.from);
      if (pending.holder(prefix + p.id) === tag) return undefined;
      book.checkCall(p, at);
      const open = book.openCalls().filter((c) => c.from === p.from).length + pending.count(prefix);
      if (open >= LIMITS.openCalls)
        throw new HotlineError(
          'PROCEDURE_STATE',
          `${p.from} already has ${open} call requests open or in flight; the limit is ${LIMITS.openCalls}.`,
        );
      return admitted(pending.mark(prefix + p.id, tag));
    }
    const key = answerKey(exercise, p.ref);
    const holder = pending.holder(key);
    if (holder === tag) return undefined;
    let translated: MessageRef | undefined;
    if (p.type === 'call') book.checkCall(p, at);
    else if (p.type === 'link-reply') book.checkLinkReply(p, at);
    else {
      const ownLang = def.stations.find((s) => s.id === p.from)?.lang;
      if (!ownLang) throw new HotlineError('WRONG_STATION', `No station ${p.from} in ${exercise}.`);
      translated = book.checkTranslation(p, message, ownLang);
    }
    if (holder !== undefined)
      throw new HotlineError(
        'PROCEDURE_STATE',
        holder === 'relay'
          ? `The relay is closing ${p.ref} (its window or time has passed).`
          : `Another answer to ${p.ref} is being admitted.`,
      );
    if (translated) run.translating.set(p.ref, translated);
    return admitted(pending.mark(key, tag));
  }

  /** The message a translation refers to, with its language and its entry's time (messages are not in the
   * control table: one read of the entry). */
  async #message(exercise: string, id: string): Promise<MessageRef | undefined> {
    const found = await this.deps.store.findMessage(exercise, id);
    if (!found) return undefined;
    const [c] = await this.deps.store.read(exercise, found.idx, 1);
    if (!c?.entry.jws) return undefined;
    const lang = (parseJsonPayload(payloadBytes(c.entry.jws)) as { lang: Lang }).lang;
    return { idx: found.idx, hash: found.hash, at: Date.parse(c.entry.at), to: found.to, lang };
  }
}
