// Group commit: every append requested in one turn of the event loop goes into one durable transaction
// (one fsync), then all of them are answered. Under heavy load (items arriving during a commit at
// HEAVY_LOAD's rate or more) the next commit also waits up to the commit window for more to join: a commit
// and its checkpoint signatures cost about the same for one item or many, so bigger batches cut the
// CPU per item (PostgreSQL's commit_delay and commit_siblings, for the same reason). The rate, not the
// queue, decides: a longer batch makes a longer commit and a longer queue, so a queue threshold holds
// the window open once it opened. An idle relay commits at once. A store that commits at once (the volatile
// store of `hotline bench --floors`) never finds items queued behind a commit, so the rate of the last few
// arrivals decides there too: a stream at the load rate waits the window before its first commit as well,
// and gets the batches, and the checkpoint signatures per item, that a store whose commits take time gets.
// Nothing resolves before its commit returned; a failed commit rejects the whole batch with
// STORE_UNAVAILABLE and accepts nothing.
import type { Logger } from 'pino';
import { HotlineError } from '../shared/errors.js';
import type { Metrics } from './metrics.js';
import type { AppendRequest, Committed, Store } from './store/types.js';

interface Pending {
  req: AppendRequest;
  resolve: (c: Committed) => void;
  reject: (e: HotlineError) => void;
}

/** Called once per batch, in commit order, with the entries that batch added (no duplicates) and, at the
 * same positions, the requests that made them. */
export type OnCommit = (fresh: Committed[], requests: AppendRequest[]) => Promise<void>;

export interface BatchOptions {
  /** The largest batch; more items wait for the next commit. */
  maxBatch: number;
  /** How long a commit under heavy load waits for more items (0: never). */
  windowMs: number;
  /** Heavy load: at least `items` arrived during a commit, at `ratePerMs` or more. */
  load?: { items: number; ratePerMs: number };
}

/** 3 items/ms is 1,500 msg/s with receipts: a load at which bigger batches pay on the reference machine
 * (docs/performance.md, the commit window). */
const HEAVY_LOAD = { items: 4, ratePerMs: 3 };

/** How many of the latest arrivals tell a stream from a few items at once (their times are kept). */
const ARRIVALS = 8;

export class Committer {
  #queue: Pending[] = [];
  #running = false;
  #healthy = true;
  #idle: (() => void)[] = [];
  /** Ends the commit window early once a full batch is waiting. */
  #full: (() => void) | undefined;
  /** When the latest ARRIVALS items arrived (a ring), and how many arrived in all. */
  readonly #arrivals = new Float64Array(ARRIVALS);
  #arrived = 0;

  constructor(
    private readonly store: Store,
    private readonly onCommit: OnCommit,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly batching: BatchOptions,
  ) {}

  get healthy(): boolean {
    return this.#healthy;
  }

  /** A durable probe write succeeded: commits work again. */
  recovered(): void {
    this.#healthy = true;
  }

  append(req: AppendRequest): Promise<Committed> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ req, resolve, reject });
      const now = performance.now();
      this.#arrivals[this.#arrived++ % ARRIVALS] = now;
      if (this.#full && this.#queue.length >= this.batching.maxBatch) this.#full();
      if (!this.#running) {
        this.#running = true;
        // setImmediate lets every frame already read in this turn join the batch; a stream waits the window.
        if (this.#streaming(now)) void this.#window().then(() => this.#drain());
        else setImmediate(() => void this.#drain());
      }
    });
  }

  /** Resolves once everything queued so far is committed or refused. */
  flushed(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.batching.maxBatch);
      const busy = await this.#commit(batch);
      // Yield so frames that arrived during the commit can join the next batch; under load the window
      // lets more of them join.
      if (this.#queue.length > 0)
        await ((busy || this.#streaming(performance.now())) && this.batching.windowMs > 0
          ? this.#window()
          : new Promise<void>((r) => setImmediate(r)));
    }
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** The latest ARRIVALS items arrived at the load rate or faster (never with a load rate of 0 or no window). */
  #streaming(now: number): boolean {
    const rate = (this.batching.load ?? HEAVY_LOAD).ratePerMs;
    if (this.batching.windowMs <= 0 || rate <= 0 || this.#arrived < ARRIVALS) return false;
    const oldest = this.#arrivals[this.#arrived % ARRIVALS]!;
    return ARRIVALS >= rate * (now - oldest);
  }

  #window(): Promise<void> {
    if (this.#queue.length >= this.batching.maxBatch) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#full?.(), this.batching.windowMs);
      this.#full = () => {
        clearTimeout(timer);
        this.#full = undefined;
        resolve();
      };
    });
  }

  /** Commits a batch and answers it; true when items arrived fast enough while the store worked. */
  async #commit(batch: Pending[]): Promise<boolean> {
    const started = performance.now();
    let results;
    try {
      results = await this.store.append(batch.map((p) => p.req));
    } catch (err) {
      this.#healthy = false;
      this.metrics.commitFailures.inc();
      this.log.error({ err, batch: batch.length }, 'commit failed; nothing in the batch was accepted');
      const refusal = new HotlineError('STORE_UNAVAILABLE');
      for (const p of batch) p.reject(refusal);
      return false;
    }
    // Measured before anyone is answered: an item its caller sends in reaction is not load.
    const queued = this.#queue.length;
    const load = this.batching.load ?? HEAVY_LOAD;
    const busy = queued >= load.items && queued >= load.ratePerMs * (performance.now() - started);
    this.#healthy = true;
    this.metrics.commitSeconds.observe((performance.now() - started) / 1000);
    const fresh: Committed[] = [];
    const requests: AppendRequest[] = [];
    results.forEach((r, i) => {
      if (!r.ok || r.value.duplicate) return;
      fresh.push(r.value);
      requests.push(batch[i]!.req);
    });
    this.metrics.batchSize.observe(fresh.length);
    try {
      await this.onCommit(fresh, requests);
    } catch (err) {
      // The entries are durable: they stay accepted; consoles will still read them from the log.
      this.log.error({ err }, 'post-commit hook failed');
    }
    results.forEach((r, i) => {
      const p = batch[i]!;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.error);
    });
    return busy;
  }
}
