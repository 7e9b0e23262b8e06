// Answers to the line's procedures that passed their checks but are not settled yet (committed or refused).
// An answer is checked against the committed LineBook when it is verified and joins the log a little later;
// without this mark a second answer to the same call request, link test or message could pass the same
// check in between, or the relay could write the call's expiry or the test's miss under it, and the log
// would break the rules every reader checks (docs/PROTOCOL.md section 16, race rules). The relay's own
// expiry and miss take a mark too, so an answer that arrives while one is being written is refused.

/** A mark is dropped after this long even if nobody settled it: a lost answer cannot block a call forever. */
export const PENDING_TTL_MS = 30_000;

interface Mark {
  holder: string;
  until: number;
}

export class PendingAnswers {
  readonly #marks = new Map<string, Mark>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = PENDING_TTL_MS,
  ) {}

  /** Who holds `key` now (an item's kid:seq:payloadHash, or 'relay'), if anyone. */
  holder(key: string): string | undefined {
    const mark = this.#marks.get(key);
    if (!mark) return undefined;
    if (mark.until <= this.now()) {
      this.#marks.delete(key);
      return undefined;
    }
    return mark.holder;
  }

  /** Marks `key` for `holder`; the returned function settles this mark (and no later one). */
  mark(key: string, holder: string): () => void {
    const mark = { holder, until: this.now() + this.ttlMs };
    this.#marks.set(key, mark);
    return () => {
      if (this.#marks.get(key) === mark) this.#marks.delete(key);
    };
  }

  /** How many live marks start with `prefix` (call requests in flight from one station). */
  count(prefix: string): number {
    let n = 0;
    for (const key of [...this.#marks.keys()]) if (key.startsWith(prefix) && this.holder(key) !== undefined) n++;
    return n;
  }
}

/** The mark of an answer to call request, link test or message `ref` (ids are UUIDv7: one space for all). */
export function answerKey(exercise: string, ref: string): string {
  return `${exercise}\nref\n${ref}`;
}

/** The prefix of the marks of call requests in flight from `station`; the key adds the request's id. */
export function requestPrefix(exercise: string, station: string): string {
  return `${exercise}\nrequest\n${station}\n`;
}
