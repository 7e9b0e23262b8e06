// The exercise's state and time in the station banner: a pill (PLANNED, RUNNING, PAUSED, ENDEX), the
// exercise time (T+hh:mm:ss, compressed, frozen while paused) next to UTC, and the time compression when it
// is not 1. Everything comes from the console's own verifier; the element is updated in place every second.
import type { ExerciseStatus } from '../../../client/exercise-status.js';
import { formatExerciseTime, type Phase } from '../../../shared/exercise-clock.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { utcTime } from '../common/format.js';
import { t, type Key } from './i18n.js';

export interface ClockReading {
  exercise: ExerciseStatus;
  /** Exercise ms at `now`; null before STARTEX. */
  exerciseMs: number | null;
  now: number;
}

const PHASE: Record<Phase, { label: Key; symbol: string }> = {
  planned: { label: 'phasePlanned', symbol: '○' },
  running: { label: 'phaseRunning', symbol: '▶' },
  paused: { label: 'phasePaused', symbol: '❚❚' },
  ended: { label: 'phaseEnded', symbol: '■' },
};

export class ExerciseClockView {
  readonly element = h('div', { class: 'exercise-clock', role: 'group', 'data-testid': 'exercise-clock' });
  readonly #phase = h('span', { class: 'phase-pill', 'data-testid': 'exercise-phase' });
  readonly #exLabel = h('span', { class: 'clock-label' });
  readonly #exTime = h('span', { class: 'clock-time mono', 'data-testid': 'exercise-time' });
  readonly #compression = h('abbr', { class: 'clock-compression mono', 'data-testid': 'compression' });
  readonly #exGroup = h('span', { class: 'clock-part' }, this.#exLabel, this.#exTime, this.#compression);
  readonly #utcLabel = h('span', { class: 'clock-label' });
  readonly #utc = h('span', { class: 'clock-time mono', 'data-testid': 'utc-time' });
  #last: ClockReading | undefined;

  constructor() {
    replaceChildren(
      this.element,
      this.#phase,
      this.#exGroup,
      h('span', { class: 'clock-part' }, this.#utcLabel, this.#utc),
    );
    this.relabel();
  }

  relabel(): void {
    this.element.setAttribute('aria-label', t('exerciseClock'));
    setText(this.#exLabel, t('exerciseTime'));
    setText(this.#utcLabel, t('utcTime'));
    delete this.#phase.dataset['key'];
    if (this.#last) this.update(this.#last);
  }

  update(r: ClockReading): void {
    this.#last = r;
    const phase = r.exercise.phase;
    this.element.dataset['phase'] = phase;
    const p = PHASE[phase];
    if (this.#phase.dataset['key'] !== `${phase}|${t(p.label)}`) {
      this.#phase.dataset['key'] = `${phase}|${t(p.label)}`;
      this.#phase.className = `phase-pill phase-${phase}`;
      replaceChildren(this.#phase, h('span', { 'aria-hidden': 'true' }, p.symbol), t(p.label));
    }
    // Before STARTEX there is no exercise time to show, only UTC (and PLANNED).
    this.#exGroup.hidden = r.exerciseMs === null;
    setText(this.#exTime, formatExerciseTime(r.exerciseMs));
    const n = r.exercise.compression;
    this.#compression.hidden = n === 1 || r.exerciseMs === null;
    setText(this.#compression, `×${n}`);
    this.#compression.title = t('compression', { n });
    setText(this.#utc, utcTime(r.now));
  }
}
