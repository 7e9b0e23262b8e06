// Hands every committed entry of each exercise to the relay once, in idx order, whoever committed it: this
// relay (its commits, with the requests that made them) or another relay on the same database (told by the
// store's watch, then read from the log). The two interleave: a local commit can follow another relay's
// commit this relay has not read yet, so its entries wait until the gap before them is read. A relay alone
// on its store sees only its own commits, always next in line, and hands them on at once.
import type { Logger } from 'pino';
import type { AppendRequest, Committed, LogWatcher, Store } from './store/types.js';

/** Receives each entry once, in order; `req` only for this relay's own commits. Must not throw. */
export type Deliver = (c: Committed, req: AppendRequest | undefined) => void;

export interface FollowerDeps {
  store: Pick<Store, 'read' | 'listExercises'>;
  log: Logger;
  deliver: Deliver;
  /** Whether anyone here streams this exercise: without, another relay's messages need not be read. */
  streamed: (exercise: string) => boolean;
  /** How long a local commit waits for the gap before it (its answers then go apart); tests shorten it. */
  gapWaitMs?: number;
}

interface Tail {
  /** The last idx handed on. */
  seen: number;
  /** The highest idx known committed. */
  target: number;
  /** This relay's own entries that wait for a gap before them. */
  ahead: Map<number, { c: Committed; req: AppendRequest }>;
  reading: boolean;
  waiters: { idx: number; done: () => void }[];
}

const CHUNK = 256;
/** Local entries held behind a gap at most; past it they are read from the log like anyone's. */
const MAX_AHEAD = 4096;
const RETRY_MS = 250;

export class LogFollower implements Pick<LogWatcher, 'committed' | 'resync'> {
  readonly #tails = new Map<string, Tail>();
  /** Heads told before start() read where every exercise is; replayed then. */
  #early: Map<string, number> | undefined = new Map();

  constructor(private readonly deps: FollowerDeps) {}

  /** Starts from every exercise's head: what came before is what the relay reads at start. Start watching
   * the store first, so that nothing committed meanwhile is missed. */
  async start(): Promise<void> {
    for (const { def, head } of await this.deps.store.listExercises()) this.#tail(def.id, head.idx);
    const early = this.#early ?? new Map<string, number>();
    this.#early = undefined;
    for (const [exercise, head] of early) this.committed(exercise, head, true);
  }

  #tail(exercise: string, seen: number): Tail {
    let t = this.#tails.get(exercise);
    if (!t) this.#tails.set(exercise, (t = { seen, target: seen, ahead: new Map(), reading: false, waiters: [] }));
    return t;
  }

  /** This relay's commit, in commit order. Resolves when all of it was handed on (at once, unless a gap
   * before it is being read; then after that read, or after gapWaitMs at most). */
  local(fresh: Committed[], requests: AppendRequest[]): Promise<void> {
    const waits: Promise<void>[] = [];
    fresh.forEach((c, i) => {
      const { idx } = c.entry;
      // An exercise this relay has not seen yet: made here (idx 0), or by another relay before this commit.
      const t = this.#tail(c.exercise, -1);
      if (idx <= t.seen) return; // Already read from the log: its answer goes apart.
      t.target = Math.max(t.target, idx);
      if (idx === t.seen + 1) {
        t.seen = idx;
        this.deps.deliver(c, requests[i]);
        this.#drainAhead(t);
        return;
      }
      if (t.ahead.size < MAX_AHEAD) t.ahead.set(idx, { c, req: requests[i]! });
      waits.push(new Promise<void>((done) => t.waiters.push({ idx, done })));
      this.#read(c.exercise, t);
    });
    if (waits.length === 0) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, this.deps.gapWaitMs ?? 2_000)));
    return Promise.race([Promise.all(waits).then(() => undefined), late]).finally(() => clearTimeout(timer));
  }

  /** Another relay committed to `exercise` up to `head`. */
  committed(exercise: string, head: number, control: boolean): void {
    if (this.#early) {
      // Bounded by the exercises of the database, which listExercises reads whole anyway.
      this.#early.set(exercise, Math.max(head, this.#early.get(exercise) ?? -1));
      return;
    }
    const t = this.#tail(exercise, -1);
    if (head <= t.target) return;
    t.target = head;
    // Nothing here needs messages and receipts nobody streams: skip them unless a control entry is among them.
    if (!control && !t.reading && t.ahead.size === 0 && !this.deps.streamed(exercise)) {
      t.seen = head;
      this.#release(t);
      return;
    }
    this.#read(exercise, t);
  }

  /** Resolves once everything up to `idx` was handed on (reading it from the log if need be). */
  reach(exercise: string, idx: number): Promise<void> {
    this.committed(exercise, idx, true);
    const t = this.#tail(exercise, -1);
    if (t.seen >= idx) return Promise.resolve();
    return new Promise<void>((done) => t.waiters.push({ idx, done }));
  }

  /** Notifications were lost: every head is read again (exercises made meanwhile too). */
  resync(): void {
    if (this.#early) return; // start() reads every head anyway.
    this.deps.store.listExercises().then(
      (all) => {
        for (const { def, head } of all) this.committed(def.id, head.idx, true);
      },
      (err: unknown) => {
        this.deps.log.warn({ err }, 'cannot read the heads after listening again; retrying');
        setTimeout(() => this.resync(), RETRY_MS).unref();
      },
    );
  }

  #read(exercise: string, t: Tail): void {
    if (t.reading) return;
    t.reading = true;
    this.#catchUp(exercise, t)
      .catch((err: unknown) => {
        this.deps.log.warn({ err, exercise, from: t.seen + 1 }, 'cannot read the entries of other relays; retrying');
        return new Promise<boolean>((r) => setTimeout(() => r(true), RETRY_MS).unref());
      })
      .then((again) => {
        t.reading = false;
        if (again && t.seen < t.target) this.#read(exercise, t);
      })
      .catch(() => undefined);
  }

  /** Reads from the log up to the target, in chunks; false when done. */
  async #catchUp(exercise: string, t: Tail): Promise<boolean> {
    while (t.seen < t.target) {
      const from = t.seen + 1;
      const rows = await this.deps.store.read(exercise, from, Math.min(CHUNK, t.target - t.seen));
      if (rows.length === 0) return false; // Told of more than is there (should not happen): the next notice reads it.
      for (const row of rows) {
        if (row.entry.idx !== t.seen + 1) break;
        const own = t.ahead.get(row.entry.idx);
        t.ahead.delete(row.entry.idx);
        t.seen = row.entry.idx;
        // This relay's own entry, with its request: its submitter can still be answered in its stream.
        if (own) this.deps.deliver(own.c, own.req);
        else this.deps.deliver(row, undefined);
      }
      this.#release(t);
    }
    return false;
  }

  /** This relay's entries that were waiting and are now next in line. */
  #drainAhead(t: Tail): void {
    for (let next = t.ahead.get(t.seen + 1); next; next = t.ahead.get(t.seen + 1)) {
      t.ahead.delete(t.seen + 1);
      t.seen += 1;
      this.deps.deliver(next.c, next.req);
    }
    this.#release(t);
  }

  #release(t: Tail): void {
    for (const idx of [...t.ahead.keys()]) if (idx <= t.seen) t.ahead.delete(idx);
    if (t.waiters.length === 0) return;
    const still: Tail['waiters'] = [];
    for (const w of t.waiters) {
      if (w.idx <= t.seen) w.done();
      else still.push(w);
    }
    t.waiters = still;
  }
}
