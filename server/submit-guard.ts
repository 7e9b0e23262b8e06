// The limits one connection's submits live under: refused frames within a window (past them the connection
// is closed), and submits in flight (past the most, the socket is not read until half are answered), so one
// noisy console cannot keep the event loop's signature checks from everyone else's frames.
import type { ErrorCode } from '../shared/errors.js';
import { WindowCounter } from './rate-limit.js';

/** Frames refused on one connection within REJECTION_WINDOW_MS before it is closed with TOO_MANY_REJECTIONS. */
export const MAX_REJECTIONS = 100;
export const REJECTION_WINDOW_MS = 10_000;
/** Submits of one connection not yet answered before its socket stops being read. */
export const MAX_IN_FLIGHT = 64;
/** Refusals caused by the relay's own state: they say nothing about the client and are not counted. */
const RELAY_SIDE = new Set<ErrorCode>(['STORE_UNAVAILABLE', 'SHUTTING_DOWN', 'INTERNAL']);

/** The back-pressure a socket offers: stop and start reading its frames. */
export interface Readable {
  pause?(): void;
  resume?(): void;
}

export class SubmitGuard {
  readonly #rejections = new WindowCounter(MAX_REJECTIONS, REJECTION_WINDOW_MS);
  #inFlight = 0;
  #paused = false;

  constructor(private readonly socket: Readable) {}

  /** Counts a refusal; false when it is one too many and the connection must end. */
  refused(code: ErrorCode, now: number): boolean {
    return RELAY_SIDE.has(code) || this.#rejections.count(now);
  }

  /** A submit arrived: at the most in flight, stop reading until half are answered. */
  started(): void {
    this.#inFlight++;
    if (this.#inFlight >= MAX_IN_FLIGHT && !this.#paused) {
      this.#paused = true;
      this.socket.pause?.();
    }
  }

  answered(): void {
    this.#inFlight--;
    if (this.#inFlight <= MAX_IN_FLIGHT / 2) this.resume();
  }

  /** Reads again; also on close, since a paused socket would never read the client's answer to it. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.socket.resume?.();
  }
}
