// Streams each exercise's log to its subscribers in idx order, from any `since`, without ever holding more
// than a bounded amount per socket: a subscriber that falls behind is paused and read from the store;
// one that stays stuck past the grace time is dropped and resumes from the log when it reconnects.
// A freshly committed entry is encoded once, into one buffer that every caught-up subscriber is sent; a
// version 2 submitter's entry carries its answer (frames.ts entryFrame), in its place in the stream.
import type { Logger } from 'pino';
import { HotlineError, toHotlineError } from '../shared/errors.js';
import type { Audience } from '../shared/private.js';
import { entryFrame, entryFrameFor, hasReveal } from './frames.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store/types.js';

/** What the fan-out needs from a connection. Its position in the log is the fan-out's, not the connection's. */
export interface Subscriber {
  readonly exercise: string;
  readonly closed: boolean;
  /** Whose view of the log this is: a station's stream carries only commitments of others' private entries. */
  readonly audience: Audience;
  /** Sends a frame made by encodeFrame or entryFrame: its text, or that text already encoded as UTF-8. */
  sendText(text: string | Buffer): void;
  /** Bytes queued on the socket and not yet written. */
  buffered(): number;
  /** Ends the connection with this error. */
  fail(err: HotlineError): void;
}

export interface FanoutDeps {
  store: Store;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  /** A subscriber with more unsent bytes than this is paused. */
  maxBuffered: number;
  /** How long a paused subscriber may take to drain below half the bound before it is dropped. */
  drainGraceMs: number;
}

/** Where a subscriber is in its exercise's log. */
interface Position {
  /** The next idx this subscriber needs. */
  cursor: number;
  /** A pump is sending to it: only one at a time, so entries leave in order. */
  pumping: boolean;
  /** Version 2 answers to this subscriber's own submits, by the idx of their entries (acceptedMember). */
  answers?: Map<number, string>;
}

/** Answers a subscriber may have waiting in its stream; past it the relay answers with `accepted` frames.
 * Only a subscriber that is paused can have many: its answers wait for the entries before them. */
export const MAX_ANSWERS = 1024;

const RECENT = 2048;
const CHUNK = 256;
/** How often a paused subscriber's socket is looked at again. */
const DRAIN_POLL_MS = 5;

interface Recent {
  first: number;
  jsons: string[];
  head: number;
}

export class Fanout {
  readonly #subs = new Map<string, Map<Subscriber, Position>>();
  readonly #recent = new Map<string, Recent>();
  /** The newest idx published while a first subscriber of its exercise was reading the head from the store. */
  readonly #early = new Map<string, number>();
  /** The last entry published, encoded once: every caught-up subscriber is sent it within publish(). */
  #shared: { exercise: string; idx: number; bytes: Buffer } | undefined;

  constructor(private readonly deps: FanoutDeps) {}

  async subscribe(sub: Subscriber, since: number): Promise<void> {
    let subs = this.#subs.get(sub.exercise);
    if (!subs) this.#subs.set(sub.exercise, (subs = new Map<Subscriber, Position>()));
    // Placed before the store is read: an entry published meanwhile must not start it from idx 0.
    const pos: Position = { cursor: since + 1, pumping: false };
    subs.set(sub, pos);
    if (!this.#recent.has(sub.exercise)) {
      const head = await this.deps.store.head(sub.exercise);
      if (!this.#recent.has(sub.exercise)) {
        // An entry published during the read may be past the head read: the pump reads it from the store.
        const idx = Math.max(head?.idx ?? -1, this.#early.get(sub.exercise) ?? -1);
        this.#early.delete(sub.exercise);
        this.#recent.set(sub.exercise, { first: idx + 1, jsons: [], head: idx });
      }
    }
    this.#start(sub, pos);
  }

  unsubscribe(sub: Subscriber): void {
    const subs = this.#subs.get(sub.exercise);
    if (!subs?.delete(sub) || subs.size > 0) return;
    // Nobody streams it: its recent entries would go stale (no one need tell this relay of other relays'
    // messages now), and the next subscriber reads the head again.
    this.#subs.delete(sub.exercise);
    this.#recent.delete(sub.exercise);
    this.#early.delete(sub.exercise);
  }

  /** Whether anyone here streams this exercise (or is about to). */
  streamed(exercise: string): boolean {
    return this.#subs.has(exercise);
  }

  /**
   * Called in commit order with freshly committed entries of one exercise. `answer`: the submitter's
   * answer (acceptedMember), sent inside its copy of this entry. True when it will be; false when the
   * submitter is not streaming this exercise or has too many answers waiting, and must be answered apart.
   */
  publish(exercise: string, idx: number, json: string, answer?: { to: Subscriber; text: string }): boolean {
    let placed = false;
    if (answer) {
      const pos = this.#subs.get(exercise)?.get(answer.to);
      // The cursor cannot be past an entry published just now: the check is against a bug, not a race.
      if (pos && pos.cursor <= idx && (pos.answers?.size ?? 0) < MAX_ANSWERS) {
        (pos.answers ??= new Map()).set(idx, answer.text);
        placed = true;
      }
    }
    const r = this.#recent.get(exercise);
    if (!r) {
      // Nobody has subscribed yet: the store has it for whoever comes.
      if (this.#subs.has(exercise)) this.#early.set(exercise, Math.max(idx, this.#early.get(exercise) ?? -1));
      return placed;
    }
    if (idx <= r.head) return placed; // Read from the store already (a subscriber started past it).
    if (idx !== r.head + 1) {
      // A gap (entries nobody here was told of): the subscribers read them from the store.
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
    for (const [sub, pos] of this.#subs.get(exercise) ?? []) this.#start(sub, pos);
    return placed;
  }

  /** The frame of entry `idx` for this subscriber: its answer inside, or the shared bytes when none. */
  #frame(sub: Subscriber, pos: Position, idx: number, json: string): string | Buffer {
    const answer = pos.answers?.get(idx);
    if (answer !== undefined) {
      pos.answers!.delete(idx);
      return entryFrameFor(json, sub.audience, answer);
    }
    const s = this.#shared;
    if (s && s.idx === idx && s.exercise === sub.exercise) return s.bytes;
    if (hasReveal(json)) return entryFrameFor(json, sub.audience);
    const bytes = Buffer.from(entryFrame(json));
    this.#shared = { exercise: sub.exercise, idx, bytes };
    return bytes;
  }

  /** Starts a pump unless one runs; a pump that fails ends that subscriber's connection, nothing else.
   * A store failure was logged by #read; only an unexpected error is logged here. */
  #start(sub: Subscriber, pos: Position): void {
    if (pos.pumping) return;
    this.#pump(sub, pos).catch((err: unknown) => {
      const e = toHotlineError(err);
      if (e.code === 'INTERNAL')
        this.deps.log.error({ err, exercise: sub.exercise }, 'internal error streaming the log');
      sub.fail(e);
    });
  }

  /** A store read that fails (a damaged page, an I/O error) is STORE_UNAVAILABLE whatever the store threw. */
  async #read(exercise: string, from: number, limit: number) {
    try {
      return await this.deps.store.read(exercise, from, limit);
    } catch (err) {
      this.deps.log.error({ err, exercise, from }, 'the log store cannot be read');
      if (err instanceof HotlineError) throw err;
      throw new HotlineError('STORE_UNAVAILABLE', 'The log store cannot be read.');
    }
  }

  async #pump(sub: Subscriber, pos: Position): Promise<void> {
    pos.pumping = true;
    try {
      for (;;) {
        const r = this.#recent.get(sub.exercise);
        if (!r || sub.closed || pos.cursor > r.head) return;
        if (sub.buffered() > this.deps.maxBuffered && !(await this.#drained(sub))) {
          this.deps.metrics.dropped.inc({ reason: 'slow_consumer' });
          sub.fail(new HotlineError('SLOW_CONSUMER'));
          return;
        }
        if (pos.cursor >= r.first) {
          const end = Math.min(r.head, pos.cursor + CHUNK - 1);
          // Entry by entry: a chunk stops at the bound instead of taking the socket far past it (ws.ts drops
          // a socket whose queue any frame would take past twice the bound).
          while (pos.cursor <= end && sub.buffered() <= this.deps.maxBuffered) {
            const idx = pos.cursor++;
            sub.sendText(this.#frame(sub, pos, idx, r.jsons[idx - r.first]!));
          }
        } else {
          const rows = await this.#read(sub.exercise, pos.cursor, Math.min(CHUNK, r.first - pos.cursor));
          if (rows.length === 0 || sub.closed) return;
          for (const row of rows) {
            if (sub.buffered() > this.deps.maxBuffered) break;
            sub.sendText(this.#frame(sub, pos, row.entry.idx, row.json));
            pos.cursor = row.entry.idx + 1;
          }
        }
      }
    } finally {
      pos.pumping = false;
    }
  }

  /** Waits for the socket to drain below half the bound; false when it stays stuck. */
  async #drained(sub: Subscriber): Promise<boolean> {
    const deadline = this.deps.now() + this.deps.drainGraceMs;
    while (!sub.closed && this.deps.now() < deadline) {
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
      if (sub.buffered() <= this.deps.maxBuffered / 2) return true;
    }
    return false;
  }
}
