// One connection's submits on their way into the log: each is verified as soon as it arrives (the signature
// checks of several run concurrently), but admitted strictly in arrival order, and its answer (the accepted
// frame or a refusal) goes back on the connection. The submit guard (submit-guard.ts) counts it in flight
// until it is answered. On the hot path (no earlier submit waiting, a message or receipt the verifier can
// decide at once) the item goes to the commit without a single promise hop: verifyNow.
import { inspectItem, type InspectedItem } from '../shared/signed.js';
import type { Metrics } from './metrics.js';
import type { AppendRequest } from './store/types.js';
import type { SubmitGuard } from './submit-guard.js';
import type { Identity } from './verifier.js';

export interface SubmitQueueDeps {
  /** Every check of a submitted item that needs no log position (the relay's verifySubmission). */
  verify: (who: Identity, jws: string, inspected?: InspectedItem) => Promise<AppendRequest>;
  /** The same checks without waiting, or undefined when they need to wait (the relay's verifySubmissionNow). */
  verifyNow?: (who: Identity, jws: string, inspected: InspectedItem) => AppendRequest | undefined;
  /** Commits a checked item; resolves with its accepted frame, already encoded, or with undefined when
   * the answer goes inside the item's entry frame (version 2). */
  admit: (req: AppendRequest) => Promise<string | undefined>;
  metrics: Metrics;
  guard: SubmitGuard;
  /** Refuses one submit; the connection stays open. */
  reject: (err: unknown, id?: string, seq?: number) => void;
  sendText: (text: string) => void;
  /** Answering a submit failed (the socket broke under the send): the connection cannot go on. */
  broken: (err: unknown) => void;
}

export class SubmitQueue {
  #admission: Promise<void> = Promise.resolve();
  /** Submits in the admission chain not yet handed to admit: while there are any, a new one queues behind. */
  #waiting = 0;

  constructor(private readonly deps: SubmitQueueDeps) {}

  submit(who: Identity, jws: string): void {
    const { deps } = this;
    let inspected: InspectedItem | undefined;
    try {
      inspected = inspectItem(jws);
    } catch {
      // The full check below reports the precise error.
    }
    const id = inspected?.payload.id;
    const seq = inspected?.payload.seq;
    const started = performance.now();
    deps.guard.started();
    if (this.#waiting === 0 && inspected && deps.verifyNow) {
      let request;
      try {
        request = deps.verifyNow(who, jws, inspected);
      } catch (err) {
        deps.reject(err, id, seq);
        deps.guard.answered();
        return;
      }
      if (request) return this.#admit(request, started, id, seq);
    }
    this.#waiting++;
    const verified = deps.verify(who, jws, inspected);
    // Handled in arrival order below; this only keeps an early rejection from counting as unhandled.
    verified.catch(() => undefined);
    this.#admission = this.#admission
      .then(async () => {
        let request;
        try {
          request = await verified;
        } catch (err) {
          deps.reject(err, id, seq);
          deps.guard.answered();
          return;
        } finally {
          this.#waiting--;
        }
        this.#admit(request, started, id, seq);
      })
      // The chain must never stay rejected: every later submit would be skipped, and the rejection would
      // reach the process as unhandled.
      .catch((err: unknown) => deps.broken(err));
  }

  /** Hands a checked item to the commit and answers it when that settles. Not awaited: the next submit
   * must be able to join the same commit batch. */
  #admit(request: AppendRequest, started: number, id: string | undefined, seq: number | undefined): void {
    const { deps } = this;
    deps
      .admit(request)
      .then(
        (frame) => {
          deps.metrics.roundTrip.observe((performance.now() - started) / 1000);
          if (frame !== undefined) deps.sendText(frame);
          deps.guard.answered();
        },
        (err: unknown) => {
          deps.reject(err, id, seq);
          deps.guard.answered();
        },
      )
      .catch((err: unknown) => deps.broken(err));
  }
}
