// One operator console as its operator sees it: station banner, presence, enrolled devices, and every
// message in log order with its precedence (label and colour), DTG, direction, verification, the time of
// each state in the consoles' own words (state-words.ts) and its acknowledgement deadline on line time, as
// the console counts it. Exercise injects addressed to the station sit among them in log order,
// unmistakably marked as injects from their simulated originator (never as traffic from the other station),
// with their deadlines too, and the exercise's lifecycle changes as markers across the column, and the
// line's procedures (call requests, and each message's translation: console-line.ts). Used by the live view
// and by the replay player.
import type { MessageView } from '../../../client/conversation.js';
import { textAndLang, type InjectView } from '../../../client/injects.js';
import type { ExerciseDef, StationDef } from '../../../shared/items.js';
import { LANG_NAMES } from '../../../shared/stations.js';
import type { LineBook } from '../../../shared/line-book.js';
import { callCard, stationCalls, translationBlock } from './console-line.js';
import { deadlineNote, type DeadlineClock } from './deadline-note.js';
import { h } from './dom.js';
import { dtg, precedenceClass, shortKid, shortName, zuluTime } from './format.js';
import type { OperatorInfo } from './replay-model.js';
import { compressionText, type StateMarker } from './run-clock.js';
import { IN_STATE, OUT_STATE } from './state-words.js';

export interface PanelInput {
  def: ExerciseDef;
  station: StationDef;
  /** 0 or 1: which side of the exercise (for the banner colour). */
  side: number;
  messages: readonly MessageView[];
  /** true/false when known (live); undefined in replay, where presence is not logged. */
  online?: boolean;
  operators: readonly OperatorInfo[];
  /** The ids of the messages and injects whose acknowledgement deadline was missed. */
  overdue: ReadonlySet<string>;
  /** What acknowledgement deadlines run on (line time); without it no deadline is shown. */
  deadlines?: DeadlineClock;
  /** Injects fired to this station, with their receipts. */
  injects?: readonly InjectView[];
  /** The exercise's lifecycle changes, shown in both columns. */
  markers?: readonly StateMarker[];
  /** The exercise time of a moment (ISO), when the exercise has started by then. */
  exerciseTime?: (at: string) => string | undefined;
  /** The line's procedures as far as shown: call requests and translations. */
  line?: LineBook;
}

/** A receipt's steps in order, each ticked with its time once reached or marked pending. */
function stateList(ariaLabel: string, steps: readonly (readonly [string, string, string | undefined])[]): HTMLElement {
  const list = h('ol', { class: 'states', 'aria-label': ariaLabel });
  for (const [s, label, at] of steps) {
    list.append(
      at
        ? h(
            'li',
            { class: `state done state-${s}` },
            h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'),
            `${label} `,
            h('time', { datetime: at }, zuluTime(at)),
          )
        : h(
            'li',
            { class: `state pending state-${s}` },
            h('span', { class: 'tick', 'aria-hidden': 'true' }, '○'),
            `${label}: pending`,
          ),
    );
  }
  return list;
}

function states(v: MessageView): HTMLElement {
  const order =
    v.direction === 'out'
      ? (['queued', 'accepted', 'delivered', 'acknowledged'] as const)
      : (['accepted', 'delivered', 'acknowledged'] as const);
  return stateList(
    'Message states',
    order.map((s) => [s, s !== 'queued' && v.direction === 'in' ? IN_STATE[s] : OUT_STATE[s], v.states[s]] as const),
  );
}

function message(v: MessageView, input: PanelInput): HTMLElement {
  const other = shortName(input.def, v.direction === 'out' ? v.to : v.from);
  const overdue = input.overdue.has(v.id);
  const head = h(
    'p',
    { class: 'msg-head' },
    h('span', { class: `prec ${precedenceClass(v.precedence)}` }, v.precedence),
    h('span', { class: 'dir' }, v.direction === 'out' ? `OUT → ${other}` : `IN ← ${other}`),
    h('time', { class: 'dtg', datetime: v.sentAt, title: 'Date-time group (when signed)' }, dtg(v.sentAt)),
    v.idx !== undefined && h('span', { class: 'idx' }, `entry ${v.idx}`),
    v.verified && h('span', { class: 'verified' }, h('span', { 'aria-hidden': 'true' }, '✔ '), 'signature verified'),
  );
  return h(
    'li',
    { class: `msg prec-border-${v.precedence.toLowerCase()}${overdue ? ' is-overdue' : ''}`, 'data-message-id': v.id },
    head,
    v.subject && h('p', { class: 'subject', lang: v.lang }, v.subject),
    h('p', { class: 'body', lang: v.lang }, v.body),
    states(v),
    translationBlock(input.def, v, input.line),
    v.ackNote && h('p', { class: 'ack-note' }, 'Acknowledgement note: ', h('q', {}, v.ackNote)),
    v.states.accepted &&
      deadlineNote(v.precedence, v.states.accepted, overdue, !!v.states.acknowledged, input.deadlines),
  );
}

// Logging an inject is firing it: the trainer's word for it (as in the MSEL); the station's receipts in its own.
const INJECT_STATES = [
  ['accepted', 'Fired'],
  ['delivered', IN_STATE.delivered],
  ['acknowledged', IN_STATE.acknowledged],
] as const;

function inject(v: InjectView, input: PanelInput): HTMLElement {
  const lang = input.station.lang;
  const from = textAndLang(v.from, lang);
  const subject = v.subject && textAndLang(v.subject, lang);
  const body = textAndLang(v.body, lang);
  const tplus = input.exerciseTime?.(v.states.accepted);
  const overdue = input.overdue.has(v.id);
  const list = stateList(
    'Inject states',
    INJECT_STATES.map(([s, label]) => [s, label, v.states[s]] as const),
  );
  return h(
    'li',
    {
      class: `inject prec-border-${v.precedence.toLowerCase()}${overdue ? ' is-overdue' : ''}`,
      'data-inject-id': v.id,
      'data-inject': v.inject,
      'data-idx': v.idx,
    },
    h(
      'p',
      { class: 'inject-banner' },
      h('span', { class: 'inject-badge' }, 'EXERCISE INJECT'),
      h('span', { class: 'inject-from' }, 'from ', h('span', { lang: from.lang }, from.text)),
      h('span', { class: 'inject-id', title: 'The MSEL inject it fires' }, `MSEL ${v.inject}`),
    ),
    h(
      'p',
      { class: 'msg-head' },
      h('span', { class: `prec ${precedenceClass(v.precedence)}` }, v.precedence),
      h(
        'time',
        { class: 'dtg', datetime: v.states.accepted, title: 'Date-time group (when fired)' },
        dtg(v.states.accepted),
      ),
      tplus && h('span', { class: 'tplus', title: 'Exercise time when fired' }, tplus),
      h('span', { class: 'idx' }, `entry ${v.idx}`),
    ),
    subject && h('p', { class: 'subject', lang: subject.lang }, subject.text),
    h('p', { class: 'body', lang: body.lang }, body.text),
    list,
    v.ackNote && h('p', { class: 'ack-note' }, 'Acknowledgement note: ', h('q', {}, v.ackNote)),
    deadlineNote(v.precedence, v.states.accepted, overdue, !!v.states.acknowledged, input.deadlines),
  );
}

function marker(m: StateMarker): HTMLElement {
  const rate = m.compression === undefined ? '' : ` · ${compressionText(m.compression)}`;
  return h(
    'li',
    { class: `state-marker marker-${m.label.toLowerCase()}`, 'data-idx': m.idx },
    h('span', { class: 'marker-label' }, m.label),
    ' ',
    h('time', { datetime: m.at }, zuluTime(m.at)),
    `${rate} · ${m.by}`,
  );
}

export function consolePanel(input: PanelInput): HTMLElement {
  const { station } = input;
  const titleId = `console-${station.id}-title`;
  const presence =
    input.online === undefined
      ? undefined
      : h(
          'span',
          { class: `presence ${input.online ? 'online' : 'offline'}` },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          input.online ? 'Console online' : 'Console offline',
        );
  const active = input.operators.filter((o) => o.revokedAt === undefined);
  const ops = h(
    'p',
    { class: 'operators' },
    input.operators.length === 0
      ? 'No console enrolled.'
      : `Enrolled: ${input.operators.map((o) => `${o.operator} (${shortKid(o.kid)}${o.revokedAt === undefined ? '' : ', revoked'})`).join('; ')}`,
  );
  const list = h('ol', { class: 'messages', 'aria-label': `Messages at ${shortName(input.def, station.id)}` });
  const injects = input.injects ?? [];
  // The console's own items not yet in the log come last, in the order given (the sort is stable).
  const items: { idx: number; el: HTMLElement }[] = [
    ...input.messages.map((v) => ({ idx: v.idx ?? Infinity, el: message(v, input) })),
    ...injects.map((v) => ({ idx: v.idx, el: inject(v, input) })),
    ...(input.markers ?? []).map((m) => ({ idx: m.idx, el: marker(m) })),
    ...stationCalls(input.line, station.id).map((c) => ({ idx: c.place.idx, el: callCard(input.def, station, c) })),
  ].sort((a, b) => a.idx - b.idx);
  for (const item of items) list.append(item.el);
  const counts = [`${input.messages.length} message${input.messages.length === 1 ? '' : 's'}`];
  if (injects.length > 0) counts.push(`${injects.length} inject${injects.length === 1 ? '' : 's'}`);
  const calls = stationCalls(input.line, station.id).length;
  if (calls > 0) counts.push(`${calls} call request${calls === 1 ? '' : 's'}`);
  return h(
    'section',
    { class: `console side-${input.side}`, 'aria-labelledby': titleId, 'data-station': station.id },
    h(
      'header',
      { class: 'console-head' },
      h('h3', { id: titleId }, station.name),
      h('span', { class: 'lang' }, LANG_NAMES[station.lang]),
      presence,
      h('span', { class: 'count' }, counts.join(' · ')),
    ),
    ops,
    active.length === 0 && input.operators.length > 0
      ? h('p', { class: 'warn' }, 'Every key of this station is revoked.')
      : undefined,
    input.messages.length === 0 &&
      injects.length === 0 &&
      calls === 0 &&
      h('p', { class: 'empty' }, 'No messages yet.'),
    items.length > 0 && list,
  );
}
