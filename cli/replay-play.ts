// The terminal replay's clock: prints each event when the replay time reaches it, `speed` times as fast as
// the log happened, and answers keys while it plays: space pauses and resumes, + and - double and halve the
// speed, → and ← seek to the next or previous event or by a minute, whichever is nearer (so → never jumps
// over an event), n and p to the next and previous event, q quits. Seeking back prints the events again
// from there. Time and timers come from `io`, so tests drive it without waiting.
export interface TimedEvent {
  /** Log time (ms since the epoch). */
  t: number;
  /** What to print, ending with a newline. */
  text: string;
}

export interface PlayerIo {
  write(text: string): void;
  /** The status line on a terminal (replaced each time; undefined clears it); absent when not a terminal. */
  status?: (text: string | undefined) => void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const MIN_SPEED = 1;
export const MAX_SPEED = 4096;
const MINUTE = 60_000;
/** How often the status line's clock is redrawn while playing (ms of real time). */
const STATUS_MS = 250;

export type Ending = 'end' | 'quit';

export class TerminalPlayer {
  #i = 0;
  #base: number;
  #baseReal = 0;
  #paused = false;
  #timer: unknown;
  #finish: (how: Ending) => void = () => undefined;
  #over = false;

  constructor(
    readonly events: readonly TimedEvent[],
    public speed: number,
    private readonly io: PlayerIo,
    /** How the status line names a log time ("09:03:12Z T+00:13:12"). */
    private readonly timeText: (t: number) => string = (t) => new Date(t).toISOString(),
  ) {
    this.#base = events[0]?.t ?? 0;
  }

  /** The replay time now. */
  get position(): number {
    return this.#paused ? this.#base : this.#base + (this.io.now() - this.#baseReal) * this.speed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Plays from the first event; resolves when the last was printed, or on quit. */
  play(): Promise<Ending> {
    this.#baseReal = this.io.now();
    const done = new Promise<Ending>((resolve) => (this.#finish = resolve));
    this.#step();
    return done;
  }

  #step(): void {
    if (this.#over) return;
    this.io.clearTimer(this.#timer);
    const pos = this.position;
    while (this.#i < this.events.length && this.events[this.#i]!.t <= pos) {
      this.io.status?.(undefined);
      this.io.write(this.events[this.#i]!.text);
      this.#i++;
    }
    if (this.#i >= this.events.length) return this.#end('end');
    this.#showStatus(pos);
    if (this.#paused) return;
    const wait = (this.events[this.#i]!.t - pos) / this.speed;
    this.#timer = this.io.setTimer(() => this.#step(), Math.max(0, this.io.status ? Math.min(wait, STATUS_MS) : wait));
  }

  #end(how: Ending): void {
    this.#over = true;
    this.io.clearTimer(this.#timer);
    this.io.status?.(undefined);
    this.#finish(how);
  }

  #showStatus(pos: number): void {
    const state = this.#paused ? '❚❚ paused' : `▶ ${this.speed}x`;
    this.io.status?.(
      `${state}  ${this.timeText(pos)}  ${this.#i}/${this.events.length}   space pause · +/- speed · ←/→ seek · n/p event · q quit`,
    );
  }

  /** Moves the replay time to `t`: the events from there on are (again) still to print. */
  #seek(t: number): void {
    const back = t < this.position;
    this.#base = t;
    this.#baseReal = this.io.now();
    const from = this.events.findIndex((e) => e.t >= t);
    const i = from < 0 ? this.events.length : from;
    if (back && i < this.#i) {
      this.io.status?.(undefined);
      this.io.write(`── back to ${this.timeText(t)} ──\n`);
    }
    this.#i = i;
    this.#step();
  }

  #next(): number | undefined {
    return this.events[this.#i]?.t;
  }

  #previous(): number | undefined {
    const pos = this.position;
    for (let j = Math.min(this.#i, this.events.length) - 1; j >= 0; j--)
      if (this.events[j]!.t < pos) return this.events[j]!.t;
    return undefined;
  }

  /** One key (as a terminal in raw mode sends it). Returns false for a key it does not know. */
  key(k: string): boolean {
    if (this.#over) return false;
    const pos = this.position;
    switch (k) {
      case ' ':
        if (this.#paused) {
          this.#paused = false;
          this.#baseReal = this.io.now();
        } else {
          this.#base = pos;
          this.#paused = true;
        }
        this.#step();
        return true;
      case '+':
      case '=':
      case '-':
      case '_':
        this.#base = pos;
        this.#baseReal = this.io.now();
        this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, k === '+' || k === '=' ? this.speed * 2 : this.speed / 2));
        this.#step();
        return true;
      case '\u001b[C':
      case '\u001bOC':
        this.#seek(Math.min(this.#next() ?? Infinity, pos + MINUTE));
        return true;
      case '\u001b[D':
      case '\u001bOD':
        this.#seek(Math.max(this.#previous() ?? -Infinity, pos - MINUTE));
        return true;
      case 'n':
      case '\u001b[1;2C': {
        const next = this.#next();
        if (next !== undefined) this.#seek(next);
        return true;
      }
      case 'p':
      case '\u001b[1;2D': {
        const prev = this.#previous();
        if (prev !== undefined) this.#seek(prev);
        return true;
      }
      case 'q':
      case 'Q':
      case '\u0003':
        this.#end('quit');
        return true;
      default:
        return false;
    }
  }
}
