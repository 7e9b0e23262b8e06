// The relay core: authenticates consoles, checks and admits their items, commits them durably, and
// streams the log (to the connections console-sessions.ts holds), with the commits of other relays sharing
// its store (relay-peers.ts). It knows nothing about sockets or HTTP; ws and express are thin adapters around
// it. What it is composed of: relay-deps.ts.
import type { Logger } from 'pino';
import type { RelayDeps } from './relay-deps.js';
import { HotlineError } from '../shared/errors.js';
import type { ExerciseDef } from '../shared/items.js';
import type { InspectedItem } from '../shared/signed.js';
import { Checkpoints, type Checkpoint } from './checkpoints.js';
import { Committer } from './committer.js';
import { ConsoleSessions } from './console-sessions.js';
import { Answers } from './answers.js';
import { Fanout, type Subscriber } from './fanout.js';
import { CommitFlow } from './commit-flow.js';
import { Presence } from './presence.js';
import { RelayPeers } from './relay-peers.js';
import { storeReadiness } from './readiness.js';
import type { Metrics } from './metrics.js';
import type { RelayKey } from './relay-key.js';
import { ConsoleSession, type SessionHost, type Transport } from './session.js';
import type { AppendRequest, Committed, Store } from './store/types.js';
import { Verifier, type Identity } from './verifier.js';

/** Checks of one line item against a line that keeps changing under it before it is refused (STATE_CHANGED). */
const MAX_CHECKS = 3;

export class Relay implements SessionHost {
  readonly #store: Store;
  readonly #key: RelayKey;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #helloTimeoutMs: number;
  readonly #committer: Committer;
  readonly #fanout: Fanout;
  readonly #verifier: Verifier;
  readonly #checkpoints: Checkpoints;
  readonly #sessions: ConsoleSessions;
  readonly #answers: Answers;
  readonly #flow: CommitFlow;
  readonly #peers: RelayPeers;
  #closing = false;

  constructor(deps: RelayDeps) {
    const { store, key, metrics, log, now, options } = deps;
    this.#store = store;
    this.#key = key;
    this.#metrics = metrics;
    this.#log = log;
    this.#now = now;
    this.#helloTimeoutMs = options.helloTimeoutMs;
    this.#committer = new Committer(store, (fresh, reqs) => this.#flow.committed(fresh, reqs), metrics, log, {
      maxBatch: options.maxBatch,
      windowMs: options.commitWindowMs,
    });
    this.#fanout = new Fanout({
      store,
      metrics,
      log,
      now,
      maxBuffered: options.maxBufferedBytes,
      drainGraceMs: options.slowConsumerGraceMs,
    });
    const runs = deps.runs;
    this.#verifier = new Verifier({
      store,
      now,
      ...(runs ? { injects: runs, lines: runs, pending: runs.pending } : {}),
      ...(deps.crypto ? { crypto: deps.crypto } : {}),
    });
    this.#checkpoints = new Checkpoints({ store, key, now });
    this.#answers = new Answers(this.#fanout, this.#checkpoints);
    this.#flow = new CommitFlow({
      store,
      log,
      metrics,
      checkpoints: this.#checkpoints,
      answers: this.#answers,
      fanout: this.#fanout,
      ...(runs ? { control: (c: Committed) => runs.committed(c) } : {}),
      revoked: (kid, idx) => this.#verifier.revoked(kid, idx),
      disconnect: (kid) => this.#sessions.revoked([kid]),
    });
    const presence = new Presence((exercise, station, online) => this.#peers.local(exercise, station, online));
    this.#peers = new RelayPeers({ store, log, follower: this.#flow.follower, presence });
    this.#sessions = new ConsoleSessions({
      presence,
      store,
      metrics,
      log,
      fanout: this.#fanout,
      exercise: (id) => this.exercise(id),
      checkpoint: (exercise) => this.checkpoint(exercise),
    });
  }

  /** Follows the log from here on: this relay's commits, and those of other relays when the store is shared
   * (its watch). Called once, before the exercise runner reads the log, so nothing committed between is missed. */
  follow(): Promise<void> {
    return this.#peers.start();
  }

  /** False while the relay cannot hear the other relays of its store (their commits): new consoles go elsewhere. */
  get following(): boolean {
    return this.#peers.live;
  }

  /** Resolves once this relay has followed the exercise's log up to its head as it is now. */
  caughtUp(exercise: string): Promise<void> {
    return this.#peers.caughtUp(exercise);
  }

  /** Ready when not closing, following the other relays of its store, and the store is (readiness.ts). */
  async checkReady(): Promise<boolean> {
    if (this.#closing) return false;
    if (!this.#peers.live) {
      this.#log.warn('not ready: not listening for the commits of other relays');
      return false;
    }
    const store = await storeReadiness(this.#store, this.#log);
    // The probe committed: commits work again, whatever the log's reads say.
    if (store !== 'commit') this.#committer.recovered();
    return store === 'ok';
  }

  connect(transport: Transport): ConsoleSession {
    const session = new ConsoleSession(transport, {
      host: this,
      relayKid: this.#key.kid,
      metrics: this.#metrics,
      log: this.#log,
      now: this.#now,
      helloTimeoutMs: this.#helloTimeoutMs,
    });
    this.#sessions.add(session);
    if (this.#closing) session.fail(new HotlineError('SHUTTING_DOWN'));
    return session;
  }

  exercise(id: string): Promise<ExerciseDef> {
    return this.#verifier.exercise(id);
  }

  authenticate(helloJws: string, nonce: string): Promise<Identity> {
    return this.#verifier.authenticate(helloJws, nonce);
  }

  async authorizeObserver(token: string, exercise: string): Promise<{ expiresAt: number }> {
    const { exp } = await this.#key.verifyToken(token);
    await this.exercise(exercise);
    return { expiresAt: exp * 1000 };
  }

  verifySubmission(who: Identity, jws: string, inspected?: InspectedItem): Promise<AppendRequest> {
    return this.#verifier.submission(who, jws, inspected);
  }

  verifySubmissionNow(who: Identity, jws: string, inspected: InspectedItem): AppendRequest | undefined {
    return this.#verifier.submissionNow(who, jws, inspected);
  }

  /** Commits a checked item; resolves with the accepted frame, encoded once, or with undefined when the
   * answer went inside the entry frame of the item (version 2; `origin`: the submitter's connection;
   * `attempt`: how many times a line item was checked). */
  async admit(req: AppendRequest, origin?: Subscriber, attempt = 1): Promise<string | undefined> {
    if (this.#closing) {
      this.#verifier.settled(req);
      throw new HotlineError('SHUTTING_DOWN');
    }
    const item = req.item!;
    if (origin) this.#answers.expect(req, origin);
    try {
      const c = await this.#committer.append(req).finally(() => this.#verifier.settled(req));
      return await this.#answers.frame(req, c);
    } catch (err) {
      // A line item checked against a line another relay has changed since: check it again against the change.
      if (err instanceof HotlineError && err.code === 'STATE_CHANGED' && attempt < MAX_CHECKS) {
        await this.#peers.caughtUp(req.exercise);
        const who = { exercise: req.exercise, station: item.from, kid: item.kid };
        return this.admit(await this.#verifier.submission(who, req.jws!), origin, attempt + 1);
      }
      if (err instanceof HotlineError && err.code === 'SEQ_CONFLICT') {
        this.#log.warn(
          { kid: item.kid, seq: item.seq, exercise: req.exercise },
          'seq conflict: same key and seq, different payload',
        );
        const data = { code: 'SEQ_CONFLICT', kid: item.kid, seq: item.seq, payloadHash: item.payloadHash };
        const at = new Date(this.#now()).toISOString();
        // A failed alarm commit was logged by the committer; the refusal itself still reaches the console.
        this.append({ exercise: req.exercise, kind: 'alarm', at, data }).catch(() => undefined);
      }
      throw err;
    }
  }

  /** Relay-authored appends (exercise creation, enrolment, revocation, alarms). */
  append(req: AppendRequest): Promise<Committed> {
    if (this.#closing) return Promise.reject(new HotlineError('SHUTTING_DOWN'));
    return this.#committer.append(req);
  }

  /** The newest checkpoint of an exercise, signed on demand when none was made since start. */
  checkpoint(exercise: string): Promise<Checkpoint | null> {
    return this.#checkpoints.latest(exercise);
  }

  welcome(session: ConsoleSession, since: number): Promise<void> {
    return this.#sessions.welcome(session, since);
  }

  /** A trainer's read-only view: the whole log from `since`, and presence of both stations. */
  observe(session: ConsoleSession, since: number): Promise<void> {
    return this.#sessions.observe(session, since);
  }

  leave(session: ConsoleSession): void {
    this.#sessions.leave(session);
  }

  /** Stops accepting, lets queued commits finish, then closes every console (SHUTTING_DOWN). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#committer.flushed();
    await this.#peers.close();
    this.#sessions.failAll(new HotlineError('SHUTTING_DOWN'));
  }
}
