// The scrubber: a range input (drag to seek, fully keyboard-accessible) under a track of markers in five
// lanes (messages by precedence, receipts, injects, control: lifecycle, notes, enrolments; alarms), each a
// button that seeks to its moment, with its label as tooltip. Above the track, the exercise's phases
// (running, paused, ended); below it, a time axis in UTC and in exercise time. Idle stretches are shaded.
// Positions are set through the CSSOM (allowed by the CSP), never through style attributes.
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import { h, fill } from './dom.js';
import { precedenceClass, zuluTime } from './format.js';
import { LANES, type Marker } from './replay-markers.js';
import type { ReplayModel } from './replay-model.js';

/** How many labelled ticks the time axis carries. */
const TICKS = 6;

export interface TimelineBar {
  el: HTMLElement;
  /** Lays the markers out again (after idle skipping was switched). */
  layout(skipIdle: boolean): void;
  /** Moves the thumb; `text` is what a screen reader hears for the position. */
  show(pos: number, text: string): void;
}

const PHASE_TEXT = { running: 'RUNNING', paused: 'PAUSED', ended: 'ENDEX' } as const;

function markerButton(m: Marker, onMarker: (m: Marker) => void): HTMLButtonElement {
  const cls = `marker lane-${m.lane} kind-${m.kind}${m.precedence ? ` ${precedenceClass(m.precedence)}` : ''}${m.state ? ` state-${m.state.toLowerCase()}` : ''}`;
  const b = h('button', {
    type: 'button',
    class: cls,
    tabindex: -1,
    title: m.label,
    'aria-label': `Seek to ${m.label}`,
    'data-kind': m.kind,
    ...(m.idx === undefined ? {} : { 'data-idx': m.idx }),
  });
  b.addEventListener('click', () => onMarker(m));
  return b;
}

export function timelineBar(
  model: ReplayModel,
  onSeek: (pos: number) => void,
  onMarker: (m: Marker) => void,
): TimelineBar {
  const range = h('input', {
    type: 'range',
    min: 0,
    step: 1,
    value: 0,
    id: 'replay-position',
    class: 'scrubber',
    'aria-label': 'Replay position (drag to seek)',
  });
  const band = h('div', { class: 'phase-band', 'aria-hidden': 'true' });
  const track = h('div', { class: 'track' });
  const axis = h('div', { class: 'time-axis', 'aria-hidden': 'true' });
  const lanes = h(
    'div',
    { class: 'lane-labels', 'aria-hidden': 'true' },
    h('span', { class: 'band-label' }, 'Exercise'),
    ...LANES.map(([, label]) => h('span', {}, label)),
    h('span', { class: 'axis-label' }, 'UTC', h('br'), 'Ex. time'),
  );
  const el = h('div', { class: 'timeline' }, lanes, h('div', { class: 'track-wrap' }, band, track, axis, range));
  range.addEventListener('input', () => onSeek(Number(range.value)));
  let duration = 1;
  const head = h('div', { class: 'playhead', 'aria-hidden': 'true' });

  return {
    el,
    layout(skipIdle) {
      const tl = model.timeline;
      duration = Math.max(1, tl.duration(skipIdle));
      range.max = String(Math.ceil(duration));
      const frac = (t: number) => tl.position(t, skipIdle) / duration;
      const pct = (f: number) => `${(f * 100).toFixed(3)}%`;
      const span = (el: HTMLElement, from: number, to: number) => {
        el.style.left = pct(frac(from));
        el.style.width = pct(frac(to) - frac(from));
        return el;
      };
      const items: HTMLElement[] = tl.idle.map((s) =>
        span(h('div', { class: 'idle', title: 'Idle stretch' }), s.from, s.to),
      );
      // The exercise's phases, from each transition to the next (or to the end of the log).
      const transitions = model.clock.transitions;
      const phases = transitions.map((t, i) => {
        const to = Math.max(t.at, Math.min(transitions[i + 1]?.at ?? model.end, model.end));
        const text = t.state === 'running' && t.compression !== 1 ? `RUNNING ${t.compression}x` : PHASE_TEXT[t.state];
        return span(h('div', { class: `phase band-${t.state}`, title: text }, text), t.at, to);
      });
      fill(band, ...phases);
      for (const t of transitions) {
        if (t.state !== 'paused') continue;
        const next = transitions.find((x) => x.at > t.at && x.state !== 'paused')?.at ?? model.end;
        items.push(span(h('div', { class: 'paused-span' }), t.at, next));
      }
      for (const m of model.markers) {
        if (m.state) {
          const line = h('div', { class: `state-line state-${m.state.toLowerCase()}`, 'aria-hidden': 'true' });
          line.style.left = pct(frac(m.t));
          items.push(line);
        }
      }
      for (const m of model.markers) {
        const b = markerButton(m, onMarker);
        b.style.left = pct(frac(m.t));
        items.push(b);
      }
      fill(track, ...items, head);
      const ticks: HTMLElement[] = [];
      for (let i = 0; i < TICKS; i++) {
        const f = i / (TICKS - 1);
        const t = tl.time(f * duration, skipIdle);
        const ms = model.exerciseAt(t);
        const edge = i === 0 ? ' first' : i === TICKS - 1 ? ' last' : '';
        const tick = h(
          'span',
          { class: `tick${edge}` },
          h('span', { class: 'utc' }, zuluTime(new Date(Math.floor(t)))),
          h('span', { class: 'extime' }, ms === null ? 'T−' : formatExerciseTime(ms)),
        );
        tick.style.left = pct(f);
        ticks.push(tick);
      }
      fill(axis, ...ticks);
    },
    show(pos, text) {
      range.value = String(Math.round(pos));
      head.style.left = `${((pos / duration) * 100).toFixed(3)}%`;
      range.setAttribute('aria-valuetext', text);
    },
  };
}
