// What a relay shares with the other relays of its store, over the store's watch (PostgreSQL LISTEN/NOTIFY):
// their commits, streamed to this relay's connections in order (log-follower.ts), and where their consoles
// are connected (presence-peers.ts). A relay alone on its store (SQLite) has no watch and shares nothing.
import type { Logger } from 'pino';
import type { LogFollower } from './log-follower.js';
import type { Presence } from './presence.js';
import { PresencePeers, type PeerTiming } from './presence-peers.js';
import type { LogWatcher, Store, WatchHandle } from './store/types.js';

export interface RelayPeersDeps {
  store: Pick<Store, 'watch' | 'head'>;
  log: Logger;
  follower: LogFollower;
  presence: Presence;
  timing?: PeerTiming;
}

export class RelayPeers {
  #watch: WatchHandle | undefined;
  #presence: PresencePeers | undefined;

  constructor(private readonly deps: RelayPeersDeps) {}

  /** Watches the store, then reads where every exercise is: nothing another relay commits between is missed. */
  async start(): Promise<void> {
    const { store, log, follower, presence } = this.deps;
    const watcher: LogWatcher = {
      committed: (exercise, head, control) => follower.committed(exercise, head, control),
      resync: () => {
        follower.resync();
        this.#presence?.ask();
      },
      heard: (text) => this.#presence?.heard(text),
    };
    this.#watch = await store.watch?.(watcher);
    if (this.#watch) {
      this.#presence = new PresencePeers(presence, this.#watch, log, this.deps.timing);
      this.#presence.start();
    }
    await follower.start();
  }

  /** Resolves once this relay has followed the exercise's log up to its head as it is now (an exercise
   * another relay made, read before anything is done with it here). */
  async caughtUp(exercise: string): Promise<void> {
    const head = await this.deps.store.head(exercise);
    if (head) await this.deps.follower.reach(exercise, head.idx);
  }

  /** False while the connection that listens to the other relays is being re-established. */
  get live(): boolean {
    return this.#watch?.live ?? true;
  }

  /** A station's devices on this relay went from none to some, or back. */
  local(exercise: string, station: string, online: boolean): void {
    this.#presence?.local(exercise, station, online);
  }

  async close(): Promise<void> {
    this.#presence?.close();
    await this.#watch?.close();
  }
}
