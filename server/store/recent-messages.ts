// The messages committed most recently, kept in memory by the store that committed them. Nearly every
// receipt refers to one of them, so the relay's reference check needs no SQLite read on the main thread,
// where that read was a visible share of the relay's busy time under load. Entries never change once
// committed, so a hit is always right; a miss falls through to the store.
import type { AppendRequest, AppendResult, MessageRecord } from './types.js';

export class RecentMessages {
  readonly #byKey = new Map<string, MessageRecord>();

  constructor(private readonly capacity = 8192) {}

  static key(exercise: string, id: string): string {
    return `${exercise}\n${id}`;
  }

  get(exercise: string, id: string): MessageRecord | undefined {
    return this.#byKey.get(RecentMessages.key(exercise, id));
  }

  /** Records the messages a commit added (duplicates are already known or were evicted: either is fine). */
  remember(requests: readonly AppendRequest[], results: readonly AppendResult[]): void {
    results.forEach((r, i) => {
      const req = requests[i];
      const item = req?.item;
      if (!r.ok || r.value.duplicate || !item || item.type !== 'message') return;
      this.#byKey.set(RecentMessages.key(req.exercise, item.id), {
        idx: r.value.entry.idx,
        hash: r.value.entry.hash,
        from: item.from,
        to: item.to,
      });
    });
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const key of this.#byKey.keys()) {
      if (this.#byKey.size <= this.capacity) break;
      this.#byKey.delete(key);
    }
  }
}
