// Who is connected to each exercise: consoles by station, and trainers watching. A station is online while
// at least one of its devices is connected, here or on another relay of the same log (told by
// presence-peers.ts); only its offline <-> online transitions are announced.
import { encodeFrame } from './frames.js';

export interface Member {
  readonly exercise: string;
  readonly station: string;
  /** Sends text made by encodeFrame: one announcement is serialised once for every member. */
  sendText(text: string): void;
}

/** Called when a station's devices on this relay go from none to some, or back. */
export type LocalChange = (exercise: string, station: string, online: boolean) => void;

/** Stations other relays report online at most (a bound on what peers can make this map hold). */
export const MAX_REMOTE = 100_000;

const keyOf = (exercise: string, station: string) => `${exercise}\n${station}`;

export class Presence {
  readonly #consoles = new Map<string, Map<string, Set<Member>>>();
  readonly #watchers = new Map<string, Set<Member>>();
  /** exercise\nstation -> the other relays holding one of its devices. */
  readonly #remote = new Map<string, Set<string>>();

  constructor(private readonly onLocal?: LocalChange) {}

  #devices(exercise: string, station: string): Set<Member> {
    let stations = this.#consoles.get(exercise);
    if (!stations) this.#consoles.set(exercise, (stations = new Map<string, Set<Member>>()));
    let set = stations.get(station);
    if (!set) stations.set(station, (set = new Set()));
    return set;
  }

  #local(exercise: string, station: string): boolean {
    return (this.#consoles.get(exercise)?.get(station)?.size ?? 0) > 0;
  }

  online(exercise: string, station: string): boolean {
    return this.#local(exercise, station) || (this.#remote.get(keyOf(exercise, station))?.size ?? 0) > 0;
  }

  join(m: Member): void {
    const before = this.online(m.exercise, m.station);
    const set = this.#devices(m.exercise, m.station);
    set.add(m);
    if (set.size !== 1) return;
    this.onLocal?.(m.exercise, m.station, true);
    if (!before) this.#announce(m.exercise, m.station, true);
  }

  watch(m: Member): void {
    let set = this.#watchers.get(m.exercise);
    if (!set) this.#watchers.set(m.exercise, (set = new Set()));
    set.add(m);
  }

  /** Forgets a member; true when it was a console that had joined. */
  leave(m: Member): boolean {
    this.#watchers.get(m.exercise)?.delete(m);
    const set = this.#consoles.get(m.exercise)?.get(m.station);
    if (!set?.delete(m)) return false;
    if (set.size === 0) {
      this.#consoles.get(m.exercise)?.delete(m.station);
      this.onLocal?.(m.exercise, m.station, false);
      if (!this.online(m.exercise, m.station)) this.#announce(m.exercise, m.station, false);
    }
    return true;
  }

  /** Every station with a device on this relay: what it tells the others it holds. */
  localStations(): [exercise: string, station: string][] {
    const out: [string, string][] = [];
    for (const [exercise, stations] of this.#consoles)
      for (const [station, set] of stations) if (set.size > 0) out.push([exercise, station]);
    return out;
  }

  /** Another relay holds a device of this station, or no longer does. */
  remote(exercise: string, station: string, relay: string, online: boolean): void {
    const key = keyOf(exercise, station);
    const before = this.online(exercise, station);
    let set = this.#remote.get(key);
    if (online) {
      if (!set && this.#remote.size >= MAX_REMOTE) return;
      if (!set) this.#remote.set(key, (set = new Set()));
      set.add(relay);
    } else {
      set?.delete(relay);
      if (set?.size === 0) this.#remote.delete(key);
    }
    const after = this.online(exercise, station);
    if (after !== before) this.#announce(exercise, station, after);
  }

  /** The stations another relay holds, as this relay last heard. */
  heldBy(relay: string): [exercise: string, station: string][] {
    const out: [string, string][] = [];
    for (const [key, set] of this.#remote) if (set.has(relay)) out.push(key.split('\n') as [string, string]);
    return out;
  }

  #announce(exercise: string, station: string, online: boolean): void {
    const frame = encodeFrame({ type: 'presence', station, online });
    for (const set of this.#consoles.get(exercise)?.values() ?? []) for (const s of set) s.sendText(frame);
    for (const s of this.#watchers.get(exercise) ?? []) s.sendText(frame);
  }
}
