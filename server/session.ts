// One console connection, independent of the socket library: challenge, signed hello, then submits.
// Submits are verified concurrently but admitted to the log strictly in arrival order.
import { randomBytes } from 'node:crypto';
import { HotlineError, toHotlineError } from '../shared/errors.js';
import { parseClientFrame, type ClientFrame } from '../shared/protocol.js';
import { inspectItem, type InspectedItem } from '../shared/signed.js';
import { LIMITS } from '../shared/items.js';
import type { Subscriber } from './fanout.js';
import type { Relay } from './relay.js';

/** What the relay needs from a socket; the ws adapter provides it. */
export interface Transport {
  send(text: string): void;
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

const HELLO_MAX_SKEW_S = 300;

export class ConsoleSession implements Subscriber {
  readonly nonce = randomBytes(24).toString('base64url');
  exercise = '';
  station = '';
  kid = '';
  cursor = 0;
  pumping = false;
  closed = false;
  #state: 'challenged' | 'verifying' | 'open' | 'observing' = 'challenged';
  #admission: Promise<void> = Promise.resolve();
  readonly #helloTimer: NodeJS.Timeout;

  constructor(
    private readonly relay: Relay,
    private readonly transport: Transport,
    helloTimeoutMs: number,
  ) {
    this.#helloTimer = setTimeout(() => this.fail(new HotlineError('HELLO_TIMEOUT')), helloTimeoutMs);
    this.send({ type: 'challenge', nonce: this.nonce, relayKid: relay.key.kid });
  }

  get open(): boolean {
    return this.#state === 'open' && !this.closed;
  }

  send(frame: object): void {
    this.sendText(JSON.stringify(frame));
  }

  sendText(text: string): void {
    if (!this.closed) this.transport.send(text);
  }

  buffered(): number {
    return this.transport.bufferedAmount();
  }

  drop(): void {
    this.relay.metrics.dropped.inc({ reason: 'slow_consumer' });
    this.fail(new HotlineError('SLOW_CONSUMER'));
  }

  /** Ends the connection with an error frame and the code's close code. */
  fail(err: HotlineError, closeCode = err.closeCode ?? 1008): void {
    if (this.closed) return;
    this.send({ type: 'error', code: err.code, message: err.message });
    this.transport.close(closeCode, err.code);
    this.onClose();
  }

  reject(err: unknown, id?: string, seq?: number): void {
    const e = toHotlineError(err);
    if (e.code === 'INTERNAL') this.relay.log.error({ err }, 'internal error handling a frame');
    this.relay.metrics.rejected.inc({ code: e.code });
    const frame: Record<string, unknown> = { type: 'rejected', code: e.code, message: e.message };
    if (id !== undefined) frame['id'] = id;
    if (seq !== undefined) frame['seq'] = seq;
    if (typeof e.details['expectedSeq'] === 'number') frame['expectedSeq'] = e.details['expectedSeq'];
    this.send(frame);
  }

  receive(text: string): void {
    if (this.closed) return;
    let frame: ClientFrame;
    try {
      if (text.length > LIMITS.frameBytes)
        throw new HotlineError('FRAME_TOO_LARGE', `Frames are limited to ${LIMITS.frameBytes} bytes.`);
      frame = parseClientFrame(text);
    } catch (err) {
      this.reject(err);
      return;
    }
    if (frame.type === 'ping') {
      this.send({
        type: 'pong',
        id: frame.id,
        ...(frame.t === undefined ? {} : { t: frame.t }),
        at: new Date().toISOString(),
      });
      return;
    }
    if (frame.type === 'hello' || frame.type === 'observe') {
      if (this.#state !== 'challenged')
        this.reject(new HotlineError('BAD_FRAME', 'Only one hello or observe per connection.'));
      else if (frame.type === 'hello') void this.#hello(frame.jws, frame.since ?? -1);
      else void this.#observe(frame.token, frame.exercise, frame.since ?? -1);
      return;
    }
    if (this.#state === 'observing') {
      this.reject(new HotlineError('NOT_AUTHENTICATED', 'Observers cannot submit items.'));
      return;
    }
    if (!this.open) {
      this.reject(new HotlineError('NOT_AUTHENTICATED'));
      return;
    }
    this.#submit(frame.jws);
  }

  async #hello(jws: string, since: number): Promise<void> {
    this.#state = 'verifying';
    try {
      const { kid, payload, key } = await this.relay.verifyHello(jws);
      if (payload.nonce !== this.nonce)
        throw new HotlineError('HELLO_INVALID', "The hello does not answer this connection's challenge.");
      if (Math.abs(payload.iat - Date.now() / 1000) > HELLO_MAX_SKEW_S)
        throw new HotlineError('HELLO_INVALID', 'The hello iat is too far from the relay clock.');
      if (payload.exercise !== key.exercise) throw new HotlineError('WRONG_EXERCISE');
      if (payload.station !== key.station) throw new HotlineError('WRONG_STATION');
      if (this.closed) return;
      clearTimeout(this.#helloTimer);
      this.exercise = key.exercise;
      this.station = key.station;
      this.kid = kid;
      this.#state = 'open';
      await this.relay.welcome(this, since);
    } catch (err) {
      const e = toHotlineError(err);
      this.relay.metrics.rejected.inc({ code: e.code });
      this.fail(e, e.closeCode ?? 4401);
    }
  }

  async #observe(token: string, exercise: string, since: number): Promise<void> {
    this.#state = 'verifying';
    try {
      await this.relay.key.verifyToken(token);
      await this.relay.exercise(exercise);
      if (this.closed) return;
      clearTimeout(this.#helloTimer);
      this.exercise = exercise;
      this.#state = 'observing';
      await this.relay.observe(this, since);
    } catch (err) {
      const e = toHotlineError(err);
      this.relay.metrics.rejected.inc({ code: e.code });
      this.fail(e, 4401);
    }
  }

  #submit(jws: string): void {
    let inspected: InspectedItem | undefined;
    try {
      inspected = inspectItem(jws);
    } catch {
      // The full check below reports the precise error.
    }
    const id = inspected?.payload.id;
    const seq = inspected?.payload.seq;
    const started = performance.now();
    const verified = this.relay.verifySubmission(this, jws, inspected);
    verified.catch(() => undefined);
    this.#admission = this.#admission.then(async () => {
      let request;
      try {
        request = await verified;
      } catch (err) {
        this.reject(err, id, seq);
        return;
      }
      // Not awaited: the next submit must be able to join the same commit batch.
      this.relay.admit(request).then(
        (frame) => {
          this.relay.metrics.roundTrip.observe((performance.now() - started) / 1000);
          this.sendText(frame);
        },
        (err: unknown) => this.reject(err, id, seq),
      );
    });
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.#helloTimer);
    this.relay.leave(this);
  }
}
