// The exercise's lifecycle and its clock, computed from the log's exercise-state entries alone, so the
// relay, both consoles, the trainer, the replay and the report all read the same time from the same log.
// STARTEX (the first `running`) is exercise time zero; while running, exercise time advances `compression`
// times as fast as UTC; while paused or after ENDEX it stands still.
import { ACK_DEADLINE_MS, type AckDeadlines } from './precedence.js';

export const EXERCISE_STATES = ['running', 'paused', 'ended'] as const;
export type ExerciseState = (typeof EXERCISE_STATES)[number];
/** `planned` is the state before any exercise-state entry: the line is open, the clock has not started. */
export type Phase = 'planned' | ExerciseState;

/** Which transitions are allowed, from each phase. */
export const TRANSITIONS: Readonly<Record<Phase, readonly ExerciseState[]>> = {
  planned: ['running', 'ended'],
  running: ['paused', 'ended'],
  paused: ['running', 'ended'],
  ended: [],
};

export const MAX_COMPRESSION = 60;

export interface Transition {
  /** The entry's `at`, in ms since the epoch. */
  at: number;
  idx: number;
  state: ExerciseState;
  /** Exercise seconds per real second from here on (running only). */
  compression: number;
  by: string;
}

/** The clock's state at one moment. */
export interface ClockReading {
  phase: Phase;
  /** Milliseconds of exercise time since STARTEX; null before STARTEX. */
  exerciseMs: number | null;
  compression: number;
}

export class ExerciseClock {
  readonly transitions: Transition[] = [];
  /**
   * The exercise's acknowledgement deadlines, which line time is measured against (shared/deadlines.ts): the
   * defaults unless a `procedures` entry, before STARTEX, set others. Whoever applies the log's entries to
   * the clock sets it (the chain verifier, the relay's ExerciseRun, clockOf).
   */
  deadlines: AckDeadlines = ACK_DEADLINE_MS;

  get phase(): Phase {
    return this.transitions[this.transitions.length - 1]?.state ?? 'planned';
  }

  /** When STARTEX was, in ms since the epoch; undefined before it. */
  get startex(): number | undefined {
    return this.transitions.find((t) => t.state === 'running')?.at;
  }

  get endex(): number | undefined {
    return this.transitions.find((t) => t.state === 'ended')?.at;
  }

  get compression(): number {
    for (let i = this.transitions.length - 1; i >= 0; i--) {
      const t = this.transitions[i]!;
      if (t.state === 'running') return t.compression;
    }
    return 1;
  }

  /** Whether `state` may follow the current phase. */
  allows(state: ExerciseState): boolean {
    return TRANSITIONS[this.phase].includes(state);
  }

  /** Adds a transition in log order; returns false (and changes nothing) if it is not allowed. */
  apply(t: Transition): boolean {
    if (!this.allows(t.state)) return false;
    this.transitions.push(t);
    return true;
  }

  /** Exercise time at real time `now` (ms); null before STARTEX. */
  exerciseMs(now: number): number | null {
    let total = 0;
    let started = false;
    for (let i = 0; i < this.transitions.length; i++) {
      const t = this.transitions[i]!;
      if (t.at > now) break;
      if (t.state !== 'running') continue;
      started = true;
      const end = Math.min(now, this.transitions[i + 1]?.at ?? now);
      total += Math.max(0, end - t.at) * t.compression;
    }
    return started ? total : null;
  }

  read(now: number): ClockReading {
    let phase: Phase = 'planned';
    for (const t of this.transitions) if (t.at <= now) phase = t.state;
    return { phase, exerciseMs: this.exerciseMs(now), compression: this.compression };
  }

  /**
   * How much line time passed between two real times: real time before STARTEX (so deadlines run on an
   * open line that has no exercise clock yet), exercise time after it, nothing while paused or ended.
   */
  lineElapsed(from: number, to: number): number {
    if (to <= from) return 0;
    let total = 0;
    let rate = 1;
    let cursor = from;
    for (const t of this.transitions) {
      if (t.at >= to) break;
      if (t.at > cursor) {
        total += (t.at - cursor) * rate;
        cursor = t.at;
      }
      rate = t.state === 'running' ? t.compression : 0;
    }
    return total + (to - cursor) * rate;
  }

  /** The real time (ms) at which exercise time reaches `exerciseMs`, if the clock runs now; else undefined. */
  realTimeOf(exerciseMs: number, now: number): number | undefined {
    const last = this.transitions[this.transitions.length - 1];
    if (last?.state !== 'running') return undefined;
    const at = this.exerciseMs(last.at) ?? 0;
    return Math.max(now, last.at + (exerciseMs - at) / last.compression);
  }
}

/** Exercise time as the consoles show it: "T+01:05:09" (hours grow past 24), or "T−" before STARTEX. */
export function formatExerciseTime(ms: number | null): string {
  if (ms === null) return 'T−';
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `T+${hh}:${mm}:${ss}`;
}

/** "01:05:09" or "5:00" or "300" (seconds) as milliseconds; undefined when it is none of them. */
export function parseOffset(text: string): number | undefined {
  const m = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)$/.exec(text);
  if (m) return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
  return /^\d{1,6}$/.test(text) ? Number(text) * 1000 : undefined;
}
