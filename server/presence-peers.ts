// Presence across the relays of one log: each relay tells the others when a station's devices on it go from
// none to some or back, and every few seconds which stations it holds (its state, in parts that fit in a
// PostgreSQL notification). A relay that falls silent (killed, cut off) is forgotten after EXPIRY_MS: its
// stations go offline unless another relay holds them. A relay that starts, or listens again after losing
// its connection, asks the others for their state at once instead of waiting a round.
import type { Logger } from 'pino';
import type { Presence } from './presence.js';

export interface PeerLink {
  /** This relay among those sharing the store. */
  readonly instance: string;
  /** Sends text to every other relay of the store (and to this one, which skips its own). */
  tell(text: string): Promise<void>;
}

type Notice =
  | { t: 'on' | 'off'; r: string; e: string; s: string }
  | { t: 'state'; r: string; n: number; i: number; of: number; p: [string, string][] }
  | { t: 'ask'; r: string };

export interface PeerTiming {
  /** How often a relay sends its state. */
  stateMs: number;
  /** How long a relay may be silent before its stations are forgotten. */
  expiryMs: number;
}

export const PEER_TIMING: PeerTiming = { stateMs: 2_000, expiryMs: 7_000 };

/** Stations per notification: well under PostgreSQL's 8,000-byte payload with the longest ids. */
const PER_PART = 40;
/** Relays heard from at most (other relays, not clients, grow this; bounded all the same). */
const MAX_RELAYS = 256;

export class PresencePeers {
  /** When each other relay was last heard, and the state it is sending in parts. */
  readonly #relays = new Map<string, { heard: number; next?: { n: number; got: [string, string][] } }>();
  #round = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly presence: Presence,
    private readonly link: PeerLink,
    private readonly log: Logger,
    private readonly timing: PeerTiming = PEER_TIMING,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#sendState();
      this.#expire();
    }, this.timing.stateMs);
    this.#timer.unref();
    this.ask();
  }

  /** Asks every other relay for its state (and sends this one's). */
  ask(): void {
    this.#send({ t: 'ask', r: this.link.instance });
    this.#sendState();
  }

  /** A station's devices on this relay went from none to some, or back. */
  local(exercise: string, station: string, online: boolean): void {
    this.#send({ t: online ? 'on' : 'off', r: this.link.instance, e: exercise, s: station });
  }

  heard(text: string): void {
    let n: Notice;
    try {
      n = JSON.parse(text) as Notice;
    } catch {
      return;
    }
    if (typeof n.r !== 'string' || n.r === this.link.instance) return;
    let relay = this.#relays.get(n.r);
    if (!relay) {
      if (this.#relays.size >= MAX_RELAYS) return;
      this.#relays.set(n.r, (relay = { heard: 0 }));
    }
    relay.heard = Date.now();
    if (n.t === 'ask') this.#sendState();
    else if (n.t === 'on' || n.t === 'off') this.presence.remote(n.e, n.s, n.r, n.t === 'on');
    else if (n.t === 'state' && Array.isArray(n.p)) {
      if (n.i === 0 || relay.next?.n !== n.n) relay.next = { n: n.n, got: [] };
      relay.next.got.push(...n.p.slice(0, PER_PART));
      if (n.i === n.of - 1) this.#replace(n.r, relay.next.got);
    }
  }

  /** Makes what this relay holds for another relay exactly its latest state. */
  #replace(relay: string, stations: [string, string][]): void {
    const now = new Set(stations.map(([e, s]) => `${e}\n${s}`));
    for (const [e, s] of this.presence.heldBy(relay))
      if (!now.has(`${e}\n${s}`)) this.presence.remote(e, s, relay, false);
    for (const [e, s] of stations) this.presence.remote(e, s, relay, true);
  }

  #expire(): void {
    const cutoff = Date.now() - this.timing.expiryMs;
    for (const [id, relay] of this.#relays) {
      if (relay.heard >= cutoff) continue;
      this.log.warn({ relay: id }, 'another relay fell silent: its consoles are offline unless seen elsewhere');
      this.#relays.delete(id);
      this.#replace(id, []);
    }
  }

  #sendState(): void {
    const all = this.presence.localStations();
    const n = this.#round++;
    const of = Math.max(1, Math.ceil(all.length / PER_PART));
    for (let i = 0; i < of; i++)
      this.#send({ t: 'state', r: this.link.instance, n, i, of, p: all.slice(i * PER_PART, (i + 1) * PER_PART) });
  }

  #send(n: Notice): void {
    this.link.tell(JSON.stringify(n)).catch((err: unknown) => {
      // The next state round says it again; a relay that cannot reach the database is not ready anyway.
      this.log.debug({ err }, 'cannot tell the other relays');
    });
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
