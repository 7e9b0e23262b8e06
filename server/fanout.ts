// Streams each exercise's log to its subscribers in idx order, from any `since`, without ever holding more
// than a bounded amount per socket: a subscriber that falls behind is paused and read from the store;
// one that stays stuck past the grace time is dropped and resumes from the log when it reconnects.
import type { Store } from './store/types.js';

export interface Subscriber {
  readonly exercise: string;
  /** The next idx this subscriber needs. */
  cursor: number;
  pumping: boolean;
  sendText(text: string): void;
  buffered(): number;
  drop(): void;
  readonly closed: boolean;
}

const RECENT = 2048;
const CHUNK = 256;

interface Recent {
  first: number;
  jsons: string[];
  head: number;
}

export function entryFrame(json: string): string {
  return `{"type":"entry","entry":${json}}`;
}

export class Fanout {
  readonly #subs = new Map<string, Set<Subscriber>>();
  readonly #recent = new Map<string, Recent>();

  constructor(
    private readonly store: Store,
    private readonly maxBuffered: number,
    private readonly drainGraceMs = 10_000,
  ) {}

  async subscribe(sub: Subscriber, since: number): Promise<void> {
    let set = this.#subs.get(sub.exercise);
    if (!set) this.#subs.set(sub.exercise, (set = new Set()));
    set.add(sub);
    if (!this.#recent.has(sub.exercise)) {
      const head = await this.store.head(sub.exercise);
      if (!this.#recent.has(sub.exercise)) {
        const idx = head?.idx ?? -1;
        this.#recent.set(sub.exercise, { first: idx + 1, jsons: [], head: idx });
      }
    }
    sub.cursor = since + 1;
    void this.#pump(sub);
  }

  unsubscribe(sub: Subscriber): void {
    this.#subs.get(sub.exercise)?.delete(sub);
  }

  /** Called in commit order with freshly committed entries of one exercise. */
  publish(exercise: string, idx: number, json: string): void {
    const r = this.#recent.get(exercise);
    if (!r) return; // Nobody has subscribed yet: the store has it for whoever comes.
    if (idx !== r.head + 1) {
      // Out of step with the store (should not happen); fall back to reading the store.
      this.#recent.set(exercise, { first: idx + 1, jsons: [], head: idx });
    } else {
      r.jsons.push(json);
      r.head = idx;
      if (r.jsons.length > RECENT) {
        const cut = r.jsons.length - RECENT / 2;
        r.jsons.splice(0, cut);
        r.first += cut;
      }
    }
    for (const sub of this.#subs.get(exercise) ?? []) if (!sub.pumping) void this.#pump(sub);
  }

  async #pump(sub: Subscriber): Promise<void> {
    if (sub.pumping) return;
    sub.pumping = true;
    try {
      for (;;) {
        const r = this.#recent.get(sub.exercise);
        if (!r || sub.closed || sub.cursor > r.head) return;
        if (sub.buffered() > this.maxBuffered && !(await this.#drained(sub))) {
          sub.drop();
          return;
        }
        if (sub.cursor >= r.first) {
          const end = Math.min(r.head, sub.cursor + CHUNK - 1);
          for (let i = sub.cursor; i <= end; i++) sub.sendText(entryFrame(r.jsons[i - r.first]!));
          sub.cursor = end + 1;
        } else {
          const rows = await this.store.read(sub.exercise, sub.cursor, Math.min(CHUNK, r.first - sub.cursor));
          if (rows.length === 0 || sub.closed) return;
          for (const row of rows) sub.sendText(entryFrame(row.json));
          sub.cursor = rows[rows.length - 1]!.entry.idx + 1;
        }
      }
    } finally {
      sub.pumping = false;
    }
  }

  /** Waits for the socket to drain below half the bound; false when it stays stuck. */
  async #drained(sub: Subscriber): Promise<boolean> {
    const deadline = Date.now() + this.drainGraceMs;
    while (!sub.closed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
      if (sub.buffered() <= this.maxBuffered / 2) return true;
    }
    return false;
  }
}
