// The replay timeline: maps log time to a play position and back, optionally collapsing idle stretches
// (gaps between events longer than a threshold) to a few seconds each. Pure and monotonic.

export interface IdleStretch {
  /** The last event before the gap (ms since the epoch). */
  from: number;
  /** The next event after it. */
  to: number;
}

export interface TimelineOptions {
  /** A gap longer than this counts as idle (default 60 s). */
  idleThresholdMs: number;
  /** How much of each idle stretch is kept when skipping (default 4 s: 2 s after, 2 s before). */
  idleKeepMs: number;
}

export const DEFAULT_TIMELINE: TimelineOptions = { idleThresholdMs: 60_000, idleKeepMs: 4_000 };

export class Timeline {
  readonly idle: readonly IdleStretch[];
  readonly events: readonly number[];
  readonly #keep: number;

  constructor(
    readonly start: number,
    readonly end: number,
    eventTimes: Iterable<number>,
    readonly options: TimelineOptions = DEFAULT_TIMELINE,
  ) {
    if (end < start) throw new RangeError('the timeline ends before it starts');
    this.#keep = Math.min(options.idleKeepMs, options.idleThresholdMs);
    const times = [...new Set([start, ...eventTimes, end])].filter((t) => t >= start && t <= end).sort((a, b) => a - b);
    this.events = times;
    const idle: IdleStretch[] = [];
    for (let i = 1; i < times.length; i++) {
      const from = times[i - 1]!;
      const to = times[i]!;
      if (to - from > options.idleThresholdMs) idle.push({ from, to });
    }
    this.idle = idle;
  }

  /** Real time that a stretch drops when skipping. */
  #saved(s: IdleStretch): number {
    return s.to - s.from - this.#keep;
  }

  /** Where the collapsed part of a stretch begins. */
  #cut(s: IdleStretch): number {
    return s.from + this.#keep / 2;
  }

  clamp(t: number): number {
    return Math.min(this.end, Math.max(this.start, t));
  }

  /** Length of the play range in ms of play time. */
  duration(skipIdle: boolean): number {
    return this.position(this.end, skipIdle);
  }

  /** Play position (ms from the start) of log time `t`. */
  position(t: number, skipIdle: boolean): number {
    const c = this.clamp(t);
    let pos = c - this.start;
    if (!skipIdle) return pos;
    for (const s of this.idle) pos -= Math.min(Math.max(c - this.#cut(s), 0), this.#saved(s));
    return pos;
  }

  /** Log time at play position `pos` (the inverse of position). */
  time(pos: number, skipIdle: boolean): number {
    let t = this.start + Math.max(0, pos);
    if (skipIdle) {
      for (const s of this.idle) if (t > this.#cut(s)) t += this.#saved(s);
    }
    return this.clamp(t);
  }

  /** The idle stretch `t` lies strictly inside, if any. */
  idleAt(t: number): IdleStretch | undefined {
    return this.idle.find((s) => t > s.from && t < s.to);
  }

  /** The first event strictly after `t`, or undefined at the end. */
  nextEvent(t: number): number | undefined {
    return this.events.find((e) => e > t);
  }

  /** The last event strictly before `t`. */
  previousEvent(t: number): number | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]! < t) return this.events[i];
    return undefined;
  }

  /** Total idle time (ms) that skipping removes. */
  get idleSaved(): number {
    return this.idle.reduce((sum, s) => sum + this.#saved(s), 0);
  }
}
