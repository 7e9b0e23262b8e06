// One console connection, independent of the socket library: challenge, signed hello, then submits.
// Submits are verified concurrently but admitted to the log strictly in arrival order (submit-queue.ts).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { closeCodeFor, HotlineError, toHotlineError } from '../shared/errors.js';
import { parseClientFrame, type ClientFrame, type ServerFrame } from '../shared/protocol.js';
import type { InspectedItem } from '../shared/signed.js';
import { LIMITS } from '../shared/items.js';
import type { Audience } from '../shared/private.js';
import type { Subscriber } from './fanout.js';
import { encodeFrame, errorFrame, rejectedFrame } from './frames.js';
import type { Metrics } from './metrics.js';
import type { Member } from './presence.js';
import type { AppendRequest } from './store/types.js';
import { MAX_REJECTIONS, REJECTION_WINDOW_MS, SubmitGuard } from './submit-guard.js';
import { SubmitQueue } from './submit-queue.js';
import type { Identity } from './verifier.js';

/** What the relay needs from a socket; the ws adapter provides it, tests a fake. */
export interface Transport {
  /** The text of one frame, or that text already encoded as UTF-8. */
  send(text: string | Buffer): void;
  /** The connection speaks version 2: a new item's answer rides inside its entry frame. */
  readonly entryAnswers?: boolean;
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  /** The hello or observe succeeded: the socket no longer counts as half-open. */
  established?(): void;
  /** Stops reading frames from the socket until resume(): back-pressure on a client that sends too fast. */
  pause?(): void;
  resume?(): void;
}

/** What a session asks of the relay. The relay implements it; the session never sees the relay itself. */
export interface SessionHost {
  /** Checks a hello JWS, including that it answers this connection's challenge `nonce`. */
  authenticate(helloJws: string, nonce: string): Promise<Identity>;
  /** Checks a trainer token and that the exercise to observe exists; says when the token expires (ms). */
  authorizeObserver(token: string, exercise: string): Promise<{ expiresAt: number }>;
  /** Every check of a submitted item that needs no log position. */
  verifySubmission(who: Identity, jws: string, inspected?: InspectedItem): Promise<AppendRequest>;
  /** The same checks without a wait, when they need none; undefined otherwise (verifier.ts submissionNow). */
  verifySubmissionNow?(who: Identity, jws: string, inspected: InspectedItem): AppendRequest | undefined;
  /** Commits a checked item; resolves with its accepted frame, already encoded, or with undefined when the
   * answer went inside the entry frame streamed to `origin` (version 2). */
  admit(req: AppendRequest, origin?: Subscriber): Promise<string | undefined>;
  /** Sends the welcome (after announcing presence) and starts streaming the log from `since`. */
  welcome(session: ConsoleSession, since: number): Promise<void>;
  /** Sends `observing` and starts streaming the log from `since`. */
  observe(session: ConsoleSession, since: number): Promise<void>;
  /** The session is closed: forget it. */
  leave(session: ConsoleSession): void;
}

export interface SessionDeps {
  host: SessionHost;
  /** Named in the challenge, so a console can check whom it talks to. */
  relayKid: string;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  helloTimeoutMs: number;
}

const NOBODY: Identity = { exercise: '', station: '', kid: '' };

export class ConsoleSession implements Subscriber, Member, Identity {
  readonly nonce = randomBytes(24).toString('base64url');
  #who: Identity = NOBODY;
  #closed = false;
  #state: 'challenged' | 'verifying' | 'open' | 'observing' = 'challenged';
  readonly #helloTimer: NodeJS.Timeout;
  readonly #guard: SubmitGuard;
  readonly #submits: SubmitQueue;
  /** An observer's token expiry: the token was checked once, so the session ends when it runs out. */
  #tokenTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly deps: SessionDeps,
  ) {
    this.#guard = new SubmitGuard(transport);
    this.#submits = new SubmitQueue({
      verify: (who, jws, inspected) => deps.host.verifySubmission(who, jws, inspected),
      ...(deps.host.verifySubmissionNow
        ? { verifyNow: (who: Identity, jws: string, i: InspectedItem) => deps.host.verifySubmissionNow!(who, jws, i) }
        : {}),
      admit: (req) => (transport.entryAnswers ? deps.host.admit(req, this) : deps.host.admit(req)),
      metrics: deps.metrics,
      guard: this.#guard,
      reject: (err, id, seq) => this.reject(err, id, seq),
      sendText: (text) => this.sendText(text),
      broken: (err) => this.fail(this.#hotline(err, 'answering a submit')),
    });
    this.#helloTimer = setTimeout(() => this.fail(new HotlineError('HELLO_TIMEOUT')), deps.helloTimeoutMs);
    this.send({ type: 'challenge', nonce: this.nonce, relayKid: deps.relayKid });
  }

  get exercise(): string {
    return this.#who.exercise;
  }

  get station(): string {
    return this.#who.station;
  }

  get kid(): string {
    return this.#who.kid;
  }

  /** A trainer observing reads every private entry; a console reads only what is addressed to its station. */
  get audience(): Audience {
    return this.#state === 'observing' ? 'control' : { station: this.#who.station };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get open(): boolean {
    return this.#state === 'open' && !this.#closed;
  }

  /** Every frame the relay sends to this connection goes through here or, already encoded, sendText. */
  send(frame: ServerFrame): void {
    this.sendText(encodeFrame(frame));
  }

  /** Text made by encodeFrame or entryFrame, for frames encoded once and sent to many or later. */
  sendText(text: string | Buffer): void {
    if (!this.#closed) this.transport.send(text);
  }

  buffered(): number {
    return this.transport.bufferedAmount();
  }

  /** Ends the connection with an error frame and the error's close code (shared/errors.ts closeCodeFor). */
  fail(err: HotlineError): void {
    if (this.#closed) return;
    this.send(errorFrame(err));
    this.transport.close(closeCodeFor(err), err.code);
    this.onClose();
  }

  /** Refuses one frame; the connection stays open. */
  reject(err: unknown, id?: string, seq?: number): void {
    const e = this.#hotline(err, 'handling a frame');
    this.deps.metrics.rejected.inc({ code: e.code });
    this.send(rejectedFrame(e, id, seq));
    if (this.#closed || this.#guard.refused(e.code, this.deps.now())) return;
    this.deps.metrics.dropped.inc({ reason: 'too_many_rejections' });
    const why = `More than ${MAX_REJECTIONS} frames were refused within ${REJECTION_WINDOW_MS / 1000} s.`;
    this.fail(new HotlineError('TOO_MANY_REJECTIONS', why));
  }

  receive(text: string): void {
    if (this.#closed) return;
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
      const at = new Date(this.deps.now()).toISOString();
      this.send({ type: 'pong', id: frame.id, ...(frame.t === undefined ? {} : { t: frame.t }), at });
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
    this.#submits.submit(this.#who, frame.jws);
  }

  /** Any failure as a HotlineError; an internal one is logged here, once, with its stack. */
  #hotline(err: unknown, doing: string): HotlineError {
    const e = toHotlineError(err);
    if (e.code === 'INTERNAL') this.deps.log.error({ err }, `internal error ${doing}`);
    return e;
  }

  /** Never rejects: every failure ends the connection. */
  async #hello(jws: string, since: number): Promise<void> {
    this.#state = 'verifying';
    try {
      const who = await this.deps.host.authenticate(jws, this.nonce);
      if (this.#closed) return;
      clearTimeout(this.#helloTimer);
      this.#who = who;
      this.#state = 'open';
      this.transport.established?.();
      await this.deps.host.welcome(this, since);
    } catch (err) {
      const e = this.#hotline(err, 'during hello');
      this.deps.metrics.rejected.inc({ code: e.code });
      this.fail(e);
    }
  }

  /** Never rejects: every failure ends the connection. */
  async #observe(token: string, exercise: string, since: number): Promise<void> {
    this.#state = 'verifying';
    try {
      const { expiresAt } = await this.deps.host.authorizeObserver(token, exercise);
      if (this.#closed) return;
      clearTimeout(this.#helloTimer);
      // Tokens live at most a day, well within setTimeout's range; cleared in onClose.
      const ms = Math.max(0, expiresAt - this.deps.now());
      this.#tokenTimer = setTimeout(() => this.fail(new HotlineError('TOKEN_EXPIRED')), ms);
      this.#who = { ...NOBODY, exercise };
      this.#state = 'observing';
      this.transport.established?.();
      await this.deps.host.observe(this, since);
    } catch (err) {
      const e = this.#hotline(err, 'during observe');
      this.deps.metrics.rejected.inc({ code: e.code });
      this.fail(e);
    }
  }

  /** The socket closed (or the session closed it): forget the session everywhere. */
  onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#helloTimer);
    clearTimeout(this.#tokenTimer);
    this.#guard.resume();
    this.deps.host.leave(this);
  }
}
