// The player's toolbar: the transport controls (start, previous and next event, play/pause, skip an idle
// stretch, speed 1x to 64x, idle collapsing) and the clock readout under them: DTG, UTC, exercise time,
// the exercise's phase, speed, entries shown, and the alarms standing.
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import { h, fill, select, field } from './dom.js';
import { zuluDated } from './format.js';
import type { ReplaySnapshot } from './replay-model.js';
import { PHASE_LABEL } from './run-clock.js';

export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

export interface ToolbarActions {
  start(): void;
  jumpEvent(dir: 1 | -1): void;
  togglePlay(): void;
  skipStretch(): void;
  /** A speed chosen in the list, as its index in SPEEDS. */
  speed(idx: number): void;
  skipIdle(on: boolean): void;
}

export interface Toolbar {
  controls: HTMLElement;
  readout: HTMLElement;
  setPlaying(on: boolean): void;
  setSpeed(idx: number): void;
  setSkipIdle(on: boolean): void;
  show(snap: ReplaySnapshot, shown: { total: number; speed: number; playing: boolean; idle: boolean }): void;
}

const iso = (t: number) => new Date(Math.floor(t)).toISOString();

export function replayToolbar(idleThresholdMs: number, a: ToolbarActions): Toolbar {
  const playBtn = h('button', { type: 'button', class: 'primary play', 'aria-keyshortcuts': 'Space' }, 'Play');
  const speedSel = select(
    SPEEDS.map((s) => [String(s), `${s}x`] as [string, string]),
    '1',
    { id: 'replay-speed', 'aria-keyshortcuts': '+ -' },
  );
  const skipBox = h('input', { type: 'checkbox', id: 'replay-skip-idle', checked: true, 'aria-keyshortcuts': 'I' });
  playBtn.addEventListener('click', () => a.togglePlay());
  speedSel.addEventListener('change', () => a.speed(SPEEDS.indexOf(Number(speedSel.value) as (typeof SPEEDS)[number])));
  skipBox.addEventListener('change', () => a.skipIdle(skipBox.checked));
  const controls = h(
    'div',
    { class: 'controls', role: 'group', 'aria-label': 'Replay controls' },
    h('button', { type: 'button', onclick: () => a.start(), 'aria-keyshortcuts': 'Home' }, '⇤ Start'),
    h(
      'button',
      { type: 'button', onclick: () => a.jumpEvent(-1), 'aria-keyshortcuts': 'Shift+ArrowLeft' },
      '◀ Previous event',
    ),
    playBtn,
    h(
      'button',
      { type: 'button', onclick: () => a.jumpEvent(1), 'aria-keyshortcuts': 'Shift+ArrowRight' },
      'Next event ▶',
    ),
    h('button', { type: 'button', class: 'skip-idle', onclick: () => a.skipStretch() }, 'Skip idle stretch ⇥'),
    field('Speed', speedSel),
    h(
      'div',
      { class: 'check' },
      skipBox,
      h('label', { for: 'replay-skip-idle' }, `Collapse idle stretches (> ${Math.round(idleThresholdMs / 1000)} s)`),
    ),
  );
  const readout = h('p', { class: 'readout', id: 'replay-clock' });
  return {
    controls,
    readout,
    setPlaying(on) {
      playBtn.textContent = on ? 'Pause' : 'Play';
      playBtn.setAttribute('aria-pressed', String(on));
    },
    setSpeed(idx) {
      speedSel.value = String(SPEEDS[idx]);
    },
    setSkipIdle(on) {
      skipBox.checked = on;
    },
    show(snap, shown) {
      const standing = snap.alarms.length;
      fill(
        readout,
        // The moment shown, dated: a replay may be of another day. (A DTG is for messages.)
        h('span', { class: 'zulu', title: 'UTC' }, zuluDated(iso(snap.t))),
        h(
          'span',
          { class: 'extime', title: 'Exercise time' },
          snap.exerciseMs === null ? 'T− before STARTEX' : formatExerciseTime(snap.exerciseMs),
        ),
        h(
          'span',
          { class: `phase-tag phase-${snap.phase}` },
          PHASE_LABEL[snap.phase],
          snap.phase === 'running' && snap.compression !== 1 ? ` ${snap.compression}x` : '',
        ),
        h('span', { class: 'speed' }, `${shown.speed}x ${shown.playing ? 'playing' : 'paused'}`),
        h('span', { class: 'count' }, `${snap.count} of ${shown.total} entries`),
        shown.idle ? h('span', { class: 'idle-note' }, 'idle stretch') : undefined,
        standing > 0
          ? h('span', { class: 'alarm-chip' }, `⚠ ${standing} alarm${standing === 1 ? '' : 's'}`)
          : undefined,
      );
    },
  };
}
