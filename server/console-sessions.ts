// The connections the relay holds: consoles (welcomed with the other station's presence, the log's head,
// the latest checkpoint and the key's next seq) and trainers observing (both stations' presence), each then
// streamed the log from where it resumes; and their end: leaving, a revoked key, the relay shutting down.
import type { Logger } from 'pino';
import { HotlineError } from '../shared/errors.js';
import { otherStation, type ExerciseDef } from '../shared/items.js';
import type { Checkpoint } from './checkpoints.js';
import type { Fanout } from './fanout.js';
import type { Metrics } from './metrics.js';
import type { Presence } from './presence.js';
import type { ConsoleSession } from './session.js';
import type { Store } from './store/types.js';

export interface ConsoleSessionsDeps {
  store: Store;
  metrics: Metrics;
  log: Logger;
  fanout: Fanout;
  /** Shared with the other relays of the store (relay-peers.ts). */
  presence: Presence;
  exercise: (id: string) => Promise<ExerciseDef>;
  /** The newest checkpoint of an exercise, signed on demand when none was made since start. */
  checkpoint: (exercise: string) => Promise<Checkpoint | null>;
}

export class ConsoleSessions {
  readonly #sessions = new Set<ConsoleSession>();
  readonly #presence: Presence;

  constructor(private readonly deps: ConsoleSessionsDeps) {
    this.#presence = deps.presence;
  }

  add(session: ConsoleSession): void {
    this.#sessions.add(session);
  }

  async welcome(session: ConsoleSession, since: number): Promise<void> {
    const { store, metrics, log, fanout } = this.deps;
    const def = await this.deps.exercise(session.exercise);
    const peer = otherStation(def, session.station)!;
    const [head, checkpoint, nextSeq] = await Promise.all([
      store.head(session.exercise),
      this.deps.checkpoint(session.exercise),
      store.nextSeq(session.kid),
    ]);
    if (session.closed) return;
    this.#presence.join(session);
    session.send({
      type: 'welcome',
      exercise: session.exercise,
      station: session.station,
      kid: session.kid,
      peer: { station: peer, online: this.#presence.online(session.exercise, peer) },
      head,
      checkpoint: checkpoint?.jws ?? null,
      nextSeq,
    });
    metrics.sockets.inc({ state: 'open' });
    log.info({ exercise: session.exercise, station: session.station, kid: session.kid, since }, 'console connected');
    await fanout.subscribe(session, Math.min(since, head?.idx ?? -1));
  }

  /** A trainer's read-only view: the whole log from `since`, and presence of both stations. */
  async observe(session: ConsoleSession, since: number): Promise<void> {
    const def = await this.deps.exercise(session.exercise);
    const [head, checkpoint] = await Promise.all([
      this.deps.store.head(session.exercise),
      this.deps.checkpoint(session.exercise),
    ]);
    if (session.closed) return;
    const online: Record<string, boolean> = {};
    for (const st of def.stations) online[st.id] = this.#presence.online(session.exercise, st.id);
    this.#presence.watch(session);
    session.send({ type: 'observing', exercise: session.exercise, head, checkpoint: checkpoint?.jws ?? null, online });
    await this.deps.fanout.subscribe(session, Math.min(since, head?.idx ?? -1));
  }

  leave(session: ConsoleSession): void {
    this.#sessions.delete(session);
    this.deps.fanout.unsubscribe(session);
    if (this.#presence.leave(session)) {
      this.deps.metrics.sockets.dec({ state: 'open' });
      this.deps.log.info(
        { exercise: session.exercise, station: session.station, kid: session.kid },
        'console disconnected',
      );
    }
  }

  /** Closes the connections of revoked keys (KEY_REVOKED). */
  revoked(kids: string[]): void {
    for (const s of this.#sessions) if (kids.includes(s.kid)) s.fail(new HotlineError('KEY_REVOKED'));
  }

  /** Closes every connection with this error. */
  failAll(err: HotlineError): void {
    for (const s of [...this.#sessions]) s.fail(err);
  }
}
