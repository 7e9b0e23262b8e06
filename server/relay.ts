// The relay core: authenticates consoles, checks and admits their items, commits them durably, and
// streams the log. It knows nothing about sockets or HTTP; ws and express are thin adapters around it.
import type { Logger } from 'pino';
import { HotlineError } from '../shared/errors.js';
import { KeyCache } from '../shared/jws.js';
import { otherStation, type ExerciseDef } from '../shared/items.js';
import { verifyHello, verifyItem, type InspectedItem } from '../shared/signed.js';
import { Committer } from './committer.js';
import type { Config } from './config.js';
import { Fanout } from './fanout.js';
import { NODE_CRYPTO } from './node-crypto.js';
import type { Metrics } from './metrics.js';
import type { RelayKey } from './relay-key.js';
import { Presence } from './presence.js';
import { ConsoleSession, type Transport } from './session.js';
import type { AppendRequest, Committed, KeyRecord, Store } from './store/types.js';

export class Relay {
  readonly committer: Committer;
  readonly fanout: Fanout;
  readonly #sessions = new Set<ConsoleSession>();
  readonly presence = new Presence();
  readonly #checkpoints = new Map<string, { idx: number; jws: string }>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #keyCache = new KeyCache();
  readonly #exercises = new Map<string, ExerciseDef>();
  #closing = false;

  constructor(
    readonly store: Store,
    readonly key: RelayKey,
    readonly config: Config,
    readonly metrics: Metrics,
    readonly log: Logger,
  ) {
    this.committer = new Committer(store, (fresh) => this.#onCommit(fresh), metrics, log, {
      maxBatch: config.maxBatch,
      windowMs: config.commitWindowMs,
    });
    this.fanout = new Fanout(store, config.maxBufferedBytes, config.slowConsumerGraceMs);
  }

  /** Ready when not closing and the store proves it can commit (a durable probe write). */
  async checkReady(): Promise<boolean> {
    if (this.#closing) return false;
    try {
      await this.store.probe();
    } catch (err) {
      this.log.warn({ err }, 'readiness probe failed: the store cannot commit');
      return false;
    }
    this.committer.recovered();
    return true;
  }

  connect(transport: Transport): ConsoleSession {
    const session = new ConsoleSession(this, transport, this.config.helloTimeoutMs);
    this.#sessions.add(session);
    if (this.#closing) session.fail(new HotlineError('SHUTTING_DOWN'));
    return session;
  }

  async exercise(id: string): Promise<ExerciseDef> {
    let def = this.#exercises.get(id);
    if (!def) {
      def = (await this.store.getExercise(id))?.def;
      if (!def) throw new HotlineError('NOT_FOUND', `No exercise ${id}.`);
      this.#exercises.set(id, def);
    }
    return def;
  }

  async #key(kid: string): Promise<KeyRecord | undefined> {
    let rec = this.#keys.get(kid);
    if (!rec) {
      rec = await this.store.getKey(kid);
      if (rec) this.#keys.set(kid, rec);
    }
    return rec;
  }

  async verifyHello(jws: string) {
    let rec: KeyRecord | undefined;
    const hello = await verifyHello(jws, async (kid) => {
      rec = await this.#key(kid);
      return rec && this.#keyCache.get(kid, rec.publicJwk);
    });
    if (rec!.revokedIdx !== null) throw new HotlineError('KEY_REVOKED');
    return { ...hello, key: rec! };
  }

  /** Every check that needs no log position; the store checks seq and ids at commit. */
  async verifySubmission(session: ConsoleSession, jws: string, inspected?: InspectedItem): Promise<AppendRequest> {
    let rec: KeyRecord | undefined;
    const resolve = async (kid: string) => {
      rec = await this.#key(kid);
      return rec && this.#keyCache.get(kid, rec.publicJwk);
    };
    const item = await verifyItem(jws, resolve, NODE_CRYPTO, inspected);
    const key = rec!;
    const p = item.payload;
    if (key.revokedIdx !== null) throw new HotlineError('KEY_REVOKED');
    if (key.exercise !== session.exercise || p.exercise !== session.exercise) throw new HotlineError('WRONG_EXERCISE');
    if (key.station !== session.station)
      throw new HotlineError('WRONG_STATION', 'The item is signed by a key of the other station.');
    if (item.kid !== session.kid) throw new HotlineError('KEY_MISMATCH');
    if (p.from !== session.station) throw new HotlineError('WRONG_STATION', `from must be ${session.station}.`);
    if (p.to !== otherStation(await this.exercise(session.exercise), session.station))
      throw new HotlineError('WRONG_RECIPIENT');
    if (p.type === 'receipt') {
      const ref = await this.store.findMessage(session.exercise, p.ref);
      if (!ref || ref.to !== p.from) throw new HotlineError('UNKNOWN_REF');
      if (ref.hash !== p.refHash) throw new HotlineError('REF_HASH_MISMATCH');
    }
    return {
      exercise: session.exercise,
      kind: p.type,
      at: new Date().toISOString(),
      jws,
      item: {
        kid: item.kid,
        seq: p.seq,
        id: p.id,
        type: p.type,
        payloadHash: item.payloadHash,
        from: p.from,
        to: p.to,
      },
    };
  }

  /** Commits a checked item; resolves with the accepted frame, already serialized. */
  async admit(req: AppendRequest): Promise<string> {
    if (this.#closing) throw new HotlineError('SHUTTING_DOWN');
    const item = req.item!;
    try {
      const c = await this.committer.append(req);
      const checkpoint = (this.#checkpoints.get(req.exercise) ?? (await this.checkpoint(req.exercise)))?.jws;
      const { idx, hash, at } = c.entry;
      return JSON.stringify({ type: 'accepted', id: item.id, seq: item.seq, idx, hash, at, checkpoint });
    } catch (err) {
      if (err instanceof HotlineError && err.code === 'SEQ_CONFLICT') {
        this.log.warn(
          { kid: item.kid, seq: item.seq, exercise: req.exercise },
          'seq conflict: same key and seq, different payload',
        );
        const data = { code: 'SEQ_CONFLICT', kid: item.kid, seq: item.seq, payloadHash: item.payloadHash };
        this.append({ exercise: req.exercise, kind: 'alarm', at: new Date().toISOString(), data }).catch(
          () => undefined,
        );
      }
      throw err;
    }
  }

  /** Relay-authored appends (exercise creation, enrolment, revocation, alarms). */
  append(req: AppendRequest): Promise<Committed> {
    if (this.#closing) return Promise.reject(new HotlineError('SHUTTING_DOWN'));
    return this.committer.append(req);
  }

  /** The newest checkpoint of an exercise, signed on demand when none was made since start. */
  async checkpoint(exercise: string): Promise<{ idx: number; jws: string } | null> {
    const held = this.#checkpoints.get(exercise);
    const head = await this.store.head(exercise);
    if (!head) return null;
    if (held && held.idx >= head.idx) return held;
    return this.#sign(exercise, head.idx, head.hash);
  }

  /** Signs a checkpoint and keeps it when no newer one was kept meanwhile (signing is asynchronous). */
  async #sign(exercise: string, idx: number, hash: string): Promise<{ idx: number; jws: string }> {
    const signed = { idx, jws: await this.key.signCheckpoint({ exercise, idx, hash, at: new Date().toISOString() }) };
    const held = this.#checkpoints.get(exercise);
    if (!held || held.idx < idx) this.#checkpoints.set(exercise, signed);
    return signed;
  }

  async #onCommit(fresh: Committed[]): Promise<void> {
    const last = new Map<string, Committed>();
    for (const c of fresh) {
      const exercise = c.exercise;
      this.fanout.publish(exercise, c.entry.idx, c.json);
      this.metrics.accepted.inc({ kind: c.entry.kind });
      last.set(exercise, c);
      if (c.entry.kind === 'key-revoked') this.#revoked((c.entry.data as { kid: string }).kid, c.entry.idx);
    }
    // One relay signature per exercise per batch: its cost is shared by the whole batch.
    await Promise.all([...last].map(([exercise, c]) => this.#sign(exercise, c.entry.idx, c.entry.hash)));
  }

  #revoked(kid: string, idx: number): void {
    const rec = this.#keys.get(kid);
    if (rec) rec.revokedIdx = idx;
    for (const s of this.#sessions) if (s.kid === kid) s.fail(new HotlineError('KEY_REVOKED'), 4403);
  }

  async welcome(session: ConsoleSession, since: number): Promise<void> {
    const def = await this.exercise(session.exercise);
    const peer = otherStation(def, session.station)!;
    const [head, checkpoint, nextSeq] = await Promise.all([
      this.store.head(session.exercise),
      this.checkpoint(session.exercise),
      this.store.nextSeq(session.kid),
    ]);
    if (session.closed) return;
    this.presence.join(session);
    const online = this.presence.online(session.exercise, peer);
    const welcome = {
      type: 'welcome',
      exercise: session.exercise,
      station: session.station,
      kid: session.kid,
      peer: { station: peer, online },
      head,
      checkpoint: checkpoint?.jws ?? null,
      nextSeq,
    };
    session.send(welcome);
    this.metrics.sockets.inc({ state: 'open' });
    this.log.info(
      { exercise: session.exercise, station: session.station, kid: session.kid, since },
      'console connected',
    );
    await this.fanout.subscribe(session, Math.min(since, head?.idx ?? -1));
  }

  /** A trainer's read-only view: the whole log from `since`, and presence of both stations. */
  async observe(session: ConsoleSession, since: number): Promise<void> {
    const def = await this.exercise(session.exercise);
    const [head, checkpoint] = await Promise.all([
      this.store.head(session.exercise),
      this.checkpoint(session.exercise),
    ]);
    if (session.closed) return;
    const online: Record<string, boolean> = {};
    for (const st of def.stations) online[st.id] = this.presence.online(session.exercise, st.id);
    this.presence.watch(session);
    session.send({ type: 'observing', exercise: session.exercise, head, checkpoint: checkpoint?.jws ?? null, online });
    await this.fanout.subscribe(session, Math.min(since, head?.idx ?? -1));
  }

  leave(session: ConsoleSession): void {
    this.#sessions.delete(session);
    this.fanout.unsubscribe(session);
    if (this.presence.leave(session)) {
      this.metrics.sockets.dec({ state: 'open' });
      this.log.info({ exercise: session.exercise, station: session.station, kid: session.kid }, 'console disconnected');
    }
  }

  /** Stops accepting, lets queued commits finish, then closes every console with 1001. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.committer.flushed();
    for (const s of [...this.#sessions]) s.fail(new HotlineError('SHUTTING_DOWN'), 1001);
  }
}
