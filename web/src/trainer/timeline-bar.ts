// The timeline control: a range input (drag to seek, fully keyboard-accessible) under a track of markers
// (messages by precedence, receipts, enrolments, alarms; click one to seek there) with the idle stretches
// shaded. Positions are set through the CSSOM (allowed by the CSP), never through style attributes.
import { h, fill } from './dom.js';
import { precedenceClass } from './format.js';
import type { Marker, ReplayModel } from './replay-model.js';

const LANE: Record<Marker['kind'], string> = {
  message: 'lane-messages',
  delivered: 'lane-receipts',
  acknowledged: 'lane-receipts',
  created: 'lane-system',
  enrolment: 'lane-system',
  revocation: 'lane-alarms',
  alarm: 'lane-alarms',
  overdue: 'lane-alarms',
  note: 'lane-system',
};

export interface TimelineBar {
  el: HTMLElement;
  /** Lays the markers out again (after idle skipping was switched). */
  layout(skipIdle: boolean): void;
  /** Moves the thumb; `text` is what a screen reader hears for the position. */
  show(pos: number, text: string): void;
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
  const track = h('div', { class: 'track' });
  const lanes = h(
    'div',
    { class: 'lane-labels', 'aria-hidden': 'true' },
    h('span', {}, 'Messages'),
    h('span', {}, 'Receipts'),
    h('span', {}, 'System'),
    h('span', {}, 'Alarms'),
  );
  const el = h('div', { class: 'timeline' }, lanes, h('div', { class: 'track-wrap' }, track, range));
  range.addEventListener('input', () => onSeek(Number(range.value)));
  let duration = 1;
  const head = h('div', { class: 'playhead', 'aria-hidden': 'true' });

  return {
    el,
    layout(skipIdle) {
      const tl = model.timeline;
      duration = Math.max(1, tl.duration(skipIdle));
      range.max = String(Math.ceil(duration));
      const pct = (t: number) => `${((tl.position(t, skipIdle) / duration) * 100).toFixed(3)}%`;
      const items: HTMLElement[] = [];
      for (const s of tl.idle) {
        const idle = h('div', { class: 'idle', title: 'Idle stretch' });
        idle.style.left = pct(s.from);
        idle.style.width = `${(((tl.position(s.to, skipIdle) - tl.position(s.from, skipIdle)) / duration) * 100).toFixed(3)}%`;
        items.push(idle);
      }
      for (const m of model.markers) {
        const cls = `marker ${LANE[m.kind]} kind-${m.kind}${m.precedence ? ` ${precedenceClass(m.precedence)}` : ''}`;
        const b = h('button', {
          type: 'button',
          class: cls,
          tabindex: -1,
          title: m.label,
          'aria-label': `Seek to ${m.label}`,
          'data-kind': m.kind,
          ...(m.idx === undefined ? {} : { 'data-idx': m.idx }),
        });
        b.style.left = pct(m.t);
        b.addEventListener('click', () => onMarker(m));
        items.push(b);
      }
      fill(track, ...items, head);
    },
    show(pos, text) {
      range.value = String(Math.round(pos));
      head.style.left = `${((pos / duration) * 100).toFixed(3)}%`;
      range.setAttribute('aria-valuetext', text);
    },
  };
}
