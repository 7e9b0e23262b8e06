// Who is connected to each exercise: consoles by station, and trainers watching. A station is online
// while at least one of its devices is connected; only the 0 <-> 1 transitions are announced.
import { encodeFrame } from './frames.js';

export interface Member {
  readonly exercise: string;
  readonly station: string;
  /** Sends text made by encodeFrame: one announcement is serialised once for every member. */
  sendText(text: string): void;
}

export class Presence {
  readonly #consoles = new Map<string, Map<string, Set<Member>>>();
  readonly #watchers = new Map<string, Set<Member>>();

  #devices(exercise: string, station: string): Set<Member> {
    let stations = this.#consoles.get(exercise);
    if (!stations) this.#consoles.set(exercise, (stations = new Map<string, Set<Member>>()));
    let set = stations.get(station);
    if (!set) stations.set(station, (set = new Set()));
    return set;
  }

  online(exercise: string, station: string): boolean {
    return (this.#consoles.get(exercise)?.get(station)?.size ?? 0) > 0;
  }

  join(m: Member): void {
    const set = this.#devices(m.exercise, m.station);
    set.add(m);
    if (set.size === 1) this.#announce(m.exercise, m.station, true);
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
    if (set.size === 0) this.#announce(m.exercise, m.station, false);
    return true;
  }

  #announce(exercise: string, station: string, online: boolean): void {
    const frame = encodeFrame({ type: 'presence', station, online });
    for (const set of this.#consoles.get(exercise)?.values() ?? []) for (const s of set) s.sendText(frame);
    for (const s of this.#watchers.get(exercise) ?? []) s.sendText(frame);
  }
}
