// One console in the replay, as its operator saw it at T: the console panel the live view draws (messages,
// the injects addressed to this station as EXERCISE INJECT cards from their simulated originator, and the
// lifecycle changes), with the exercise's state and clock in its banner; and, in log order among them, each
// inject addressed to the other station as this console truly received it: a private entry passed, its
// content withheld, and the other station's receipts for it.
import { formatExerciseTime, type Phase, type Transition } from '../../../shared/exercise-clock.js';
import { consolePanel, type PanelInput } from './console-panel.js';
import { h } from './dom.js';
import { dtg, shortName, zuluTime } from './format.js';
import type { PrivatePassage } from './replay-private.js';
import { PHASE_LABEL, stateMarkers } from './run-clock.js';

export interface ReplayConsoleInput extends PanelInput {
  passages: readonly PrivatePassage[];
  /** The lifecycle transitions logged by T. */
  transitions: readonly Transition[];
  phase: Phase;
  exerciseMs: number | null;
  /** Exercise time at a moment (ISO), when the exercise had started by then. */
  exerciseTime: (at: string) => string | undefined;
}

/** The banner's exercise state: "RUNNING T+00:12:00". */
export function stateText(phase: Phase, exerciseMs: number | null): string {
  return `${PHASE_LABEL[phase]}${exerciseMs === null ? '' : ` ${formatExerciseTime(exerciseMs)}`}`;
}

function passage(p: PrivatePassage, input: ReplayConsoleInput): HTMLElement {
  const to = shortName(input.def, p.to);
  const receipts = [
    p.states.delivered && `delivered ${zuluTime(p.states.delivered)}`,
    p.states.acknowledged && `acknowledged ${zuluTime(p.states.acknowledged)}`,
  ].filter(Boolean);
  const tplus = input.exerciseTime(p.at);
  return h(
    'li',
    { class: 'private-entry', 'data-idx': p.idx, 'data-to': p.to },
    h(
      'p',
      { class: 'msg-head' },
      h('span', { class: 'private-badge' }, 'PRIVATE ENTRY'),
      h('span', { class: 'private-what' }, `Exercise inject for ${to}`),
      h('time', { class: 'dtg', datetime: p.at }, dtg(p.at)),
      tplus && h('span', { class: 'tplus', title: 'Exercise time' }, tplus),
      h('span', { class: 'idx' }, `entry ${p.idx}`),
    ),
    h(
      'p',
      { class: 'withheld' },
      `Content withheld from this console: it received the commitment ${p.commit.slice(0, 10)}… only.`,
    ),
    receipts.length > 0 && h('p', { class: 'private-receipts' }, `${to}: ${receipts.join(', ')}`),
  );
}

export function replayConsole(input: ReplayConsoleInput): HTMLElement {
  const panel = consolePanel({ ...input, markers: stateMarkers(input.transitions) });
  const head = panel.querySelector('.console-head');
  head?.insertBefore(
    h('span', { class: `ex-state phase-tag phase-${input.phase}` }, stateText(input.phase, input.exerciseMs)),
    head.querySelector('.count'),
  );
  // In the player each console scrolls inside itself: its list takes the keyboard focus to scroll by keys.
  panel.querySelector('ol.messages')?.setAttribute('tabindex', '0');
  if (input.passages.length === 0) return panel;
  let list = panel.querySelector<HTMLOListElement>('ol.messages');
  if (!list) {
    list = h('ol', {
      class: 'messages',
      'aria-label': `Messages at ${shortName(input.def, input.station.id)}`,
      tabindex: 0,
    });
    panel.querySelector('.empty')?.remove();
    panel.append(list);
  }
  // Every item the panel drew carries its entry's idx, or (a message) its id; new items go in log order.
  const idxOf = new Map(input.messages.map((m) => [m.id, m.idx ?? Infinity]));
  const at = (li: Element) =>
    li.hasAttribute('data-idx')
      ? Number(li.getAttribute('data-idx'))
      : (idxOf.get(li.getAttribute('data-message-id') ?? '') ?? Infinity);
  const items: [number, Element][] = [...list.children].map((li) => [at(li), li]);
  for (const p of input.passages) items.push([p.idx, passage(p, input)]);
  list.replaceChildren(...items.sort((a, b) => a[0] - b[0]).map(([, li]) => li));
  return panel;
}
