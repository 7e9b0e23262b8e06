// Fixed-window counters: how many times something happened in the current window. One counter bounds a
// connection's rejected frames; a keyed set of them bounds failed attempts per remote address, with a
// bounded number of addresses so nothing a client can grow is unbounded.
import { HotlineError } from '../shared/errors.js';

export class WindowCounter {
  #start = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one event at `now`; false once the window holds more than `limit` events. */
  count(now: number): boolean {
    if (now - this.#start >= this.windowMs) {
      this.#start = now;
      this.#count = 0;
    }
    this.#count++;
    return this.#count <= this.limit;
  }

  /** True while the current window already holds `limit` events: the next one would be over. */
  full(now: number): boolean {
    return now - this.#start < this.windowMs && this.#count >= this.limit;
  }

  /** Milliseconds until the current window ends (0 when it has ended). */
  remainingMs(now: number): number {
    return Math.max(0, this.#start + this.windowMs - now);
  }

  /** The window has ended: the counter holds nothing worth keeping. */
  expired(now: number): boolean {
    return now - this.#start >= this.windowMs;
  }
}

export interface AddressLimiterOptions {
  /** Failures allowed per address in one window. */
  limit: number;
  windowMs: number;
  /** Most addresses remembered; past it the oldest entry is forgotten. */
  maxAddresses: number;
  now: () => number;
}

/** Failed attempts per remote address: once an address has used up its window, every attempt is refused. */
export class AddressLimiter {
  readonly #counters = new Map<string, WindowCounter>();

  constructor(private readonly options: AddressLimiterOptions) {}

  /** Throws RATE_LIMITED (with the seconds to wait) when `address` has no attempt left in this window. */
  check(address: string): void {
    const now = this.options.now();
    const counter = this.#counters.get(address);
    if (!counter?.full(now)) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(counter.remainingMs(now) / 1000));
    throw new HotlineError('RATE_LIMITED', undefined, { retryAfterSeconds });
  }

  /** Records one failed attempt from `address`. */
  fail(address: string): void {
    const now = this.options.now();
    let counter = this.#counters.get(address);
    if (!counter || counter.expired(now)) {
      // Re-inserted at a new window, so the map stays in order of window start: the first entry is the oldest.
      this.#counters.delete(address);
      counter = new WindowCounter(this.options.limit, this.options.windowMs);
      this.#counters.set(address, counter);
    }
    counter.count(now);
    this.#prune(now);
  }

  get size(): number {
    return this.#counters.size;
  }

  /** Entries are in order of window start: forgets from the front those expired, and any past the bound. */
  #prune(now: number): void {
    for (const [address, counter] of this.#counters) {
      if (this.#counters.size <= this.options.maxAddresses && !counter.expired(now)) return;
      this.#counters.delete(address);
    }
  }
}
