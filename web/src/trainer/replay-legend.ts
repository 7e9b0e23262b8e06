// What the scrubber's colours mean, in words beside each colour (colour is never the only cue: every marker
// also has its label as tooltip and accessible name, and sits in a named lane).
import { PRECEDENCES } from '../../../shared/items.js';
import { h } from './dom.js';
import { precedenceClass } from './format.js';

const KINDS: readonly (readonly [string, string])[] = [
  ['kind-delivered', 'delivered'],
  ['kind-acknowledged', 'acknowledged'],
  ['kind-inject', 'inject'],
  ['kind-line', 'call request, translation, link test'],
  ['kind-state', 'STARTEX, pause, resume, ENDEX'],
  ['kind-note', 'trainer note'],
  ['kind-enrolment', 'enrolment, scenario, inject control'],
  ['kind-overdue', 'alarm (overdue, link test missed, call request expired)'],
  ['kind-paused', 'paused'],
];

export function legend(): HTMLElement {
  return h(
    'section',
    { class: 'replay-legend', 'aria-labelledby': 'replay-legend-title' },
    h('h3', { id: 'replay-legend-title' }, 'Legend'),
    h(
      'ul',
      { class: 'legend' },
      ...PRECEDENCES.map((p) => h('li', { class: `key ${precedenceClass(p)}` }, `${p} message`)),
      ...KINDS.map(([cls, text]) => h('li', { class: `key ${cls}` }, text)),
    ),
  );
}
