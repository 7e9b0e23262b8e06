// The exercise clock as the trainer's run panel shows it, from the relay's RunState: a reading carries the
// exercise time at the relay's `at`, and the panel advances it locally (compression times real time, only
// while running) so the clock ticks every second between readings. Pure: no DOM, no timers.
import { formatExerciseTime, MAX_COMPRESSION, type Phase, type Transition } from '../../../shared/exercise-clock.js';
import type { RunState } from '../../../shared/http-api.js';

/** The banner's word for each phase, as exercise control says it. */
export const PHASE_LABEL: Readonly<Record<Phase, string>> = {
  planned: 'PLANNED',
  running: 'RUNNING',
  paused: 'PAUSED',
  ended: 'ENDEX',
};

/** The compressions offered at STARTEX (any number from 1 to MAX_COMPRESSION may be typed instead). */
export const COMPRESSIONS = [1, 2, 6, 12, 60] as const;

export type ClockReading = Pick<RunState, 'phase' | 'at' | 'exerciseMs' | 'compression'>;

/** Exercise time (ms) at relay time `now`: the reading's, advanced while running; null before STARTEX. */
export function exerciseMsAt(reading: ClockReading, now: number): number | null {
  if (reading.exerciseMs === null) return null;
  if (reading.phase !== 'running') return reading.exerciseMs;
  return reading.exerciseMs + Math.max(0, now - Date.parse(reading.at)) * reading.compression;
}

/** The exercise time to show: "T+01:05:09", or "T−" before STARTEX. */
export function exerciseTimeText(reading: ClockReading, now: number): string {
  return formatExerciseTime(exerciseMsAt(reading, now));
}

/** "6x", "1.5x". */
export function compressionText(compression: number): string {
  return `${Number(compression.toFixed(2))}x`;
}

/** What a compression means to a trainer planning the session: "6x: one exercise hour every 10 min". */
export function compressionMeaning(compression: number): string {
  if (compression === 1) return '1x: real time';
  const minutes = 60 / compression;
  const every = minutes >= 1 ? `${Number(minutes.toFixed(1))} min` : `${Number((minutes * 60).toFixed(1))} s`;
  return `${compressionText(compression)}: one exercise hour every ${every}`;
}

/** A typed compression ("6", "6x", "1.5"), from 1 to MAX_COMPRESSION; undefined for anything else. */
export function parseCompression(text: string): number | undefined {
  const m = /^\s*(\d{1,2}(?:\.\d{1,2})?)\s*[x×]?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= MAX_COMPRESSION ? n : undefined;
}

/** A lifecycle transition as exercise control names it: the first running is STARTEX, a later one RESUMED. */
export function transitionLabel(
  t: Pick<Transition, 'idx' | 'state'>,
  all: readonly Pick<Transition, 'idx' | 'state'>[],
): string {
  if (t.state === 'paused') return 'PAUSED';
  if (t.state === 'ended') return 'ENDEX';
  return all.find((x) => x.state === 'running')?.idx === t.idx ? 'STARTEX' : 'RESUMED';
}

/** A lifecycle change as a marker in the live view's console columns. */
export interface StateMarker {
  idx: number;
  at: string;
  label: string;
  by: string;
  /** On STARTEX and RESUMED: the exercise seconds per real second from here on. */
  compression?: number;
}

export function stateMarkers(transitions: readonly Transition[]): StateMarker[] {
  return transitions.map((t) => ({
    idx: t.idx,
    at: new Date(t.at).toISOString(),
    label: transitionLabel(t, transitions),
    by: t.by,
    ...(t.state === 'running' ? { compression: t.compression } : {}),
  }));
}
