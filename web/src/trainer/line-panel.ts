// The live view's "Line" panel: the line's procedures as the trainer follows them. Every call request (who
// asked whom, at what level and about what, the time proposed or agreed, its state, whose turn it is, the
// line time left to answer, every answer with its time); each station's link health (tests, answered,
// missed, the last test with its round trip, the last miss); and each station's translations (how many,
// median and max time to translate). Rendered from lineSummary (line-model.ts), so the replay can use it too.
import './line.css';
import { h, fill } from './dom.js';
import { duration, shortName, zuluTime } from './format.js';
import type { CallRow, LineSummary, LinkHealthRow, TranslationRow } from './line-model.js';
import { lineSettingsText } from '../../../shared/line-text.js';
import { CALL_ACTION, CALL_LEVEL, CALL_STATE } from './line-words.js';
import { scrollRegion } from './scroll-region.js';
import type { ExerciseDef } from '../../../shared/items.js';

const at = (ms: number) => h('time', { datetime: new Date(ms).toISOString() }, zuluTime(new Date(ms)));

function callRow(def: ExerciseDef, c: CallRow): HTMLElement {
  const name = (s: string) => shortName(def, s);
  const window =
    c.state !== 'awaiting'
      ? '—'
      : `${duration(Math.max(0, c.leftMs ?? 0))} left${c.dueAt === undefined ? ' (on hold)' : ` (by ${zuluTime(new Date(c.dueAt))})`}`;
  return h(
    'tr',
    { class: `call call-${c.state}`, 'data-call': c.id, 'data-idx': c.idx },
    h('td', { class: 'num' }, String(c.idx)),
    h('th', { scope: 'row' }, `${name(c.from)} → ${name(c.to)}`),
    h('td', {}, CALL_LEVEL[c.level]),
    h('td', { class: 'call-subject' }, c.subject),
    h(
      'td',
      { class: 'mono' },
      c.callAt === undefined ? `proposed ${zuluTime(c.proposedAt)}` : `agreed ${zuluTime(c.callAt)}`,
    ),
    h('td', {}, h('span', { class: `call-state state-${c.state}` }, CALL_STATE[c.state])),
    h('td', {}, c.awaiting === undefined ? '—' : `${name(c.awaiting)}’s`),
    h('td', { class: 'mono call-left' }, window),
    h(
      'td',
      {},
      h(
        'ol',
        { class: 'call-steps' },
        ...c.steps.map((s) =>
          h(
            'li',
            {},
            at(s.at),
            ` ${s.by === 'relay' ? 'relay:' : name(s.by)} ${CALL_ACTION[s.action] ?? s.action}`,
            s.action === 'propose' && s.proposedAt ? ` ${zuluTime(s.proposedAt)}` : '',
            s.action === 'accept' && s.callAt ? ` for ${zuluTime(s.callAt)}` : '',
            s.note ? `: “${s.note}”` : '',
          ),
        ),
      ),
    ),
  );
}

function callsTable(def: ExerciseDef, calls: readonly CallRow[]): HTMLElement {
  if (calls.length === 0) return h('p', { class: 'muted' }, 'No call requests yet.');
  const cols = ['Entry', 'Caller → called', 'Level', 'Subject', 'Time', 'State', 'Whose turn', 'Window left', 'Steps'];
  return scrollRegion(
    'Call requests',
    h(
      'table',
      { class: 'calls' },
      h('caption', { class: 'visually-hidden' }, 'Call requests, newest first'),
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...calls.map((c) => callRow(def, c))),
    ),
  );
}

function healthItem(def: ExerciseDef, r: LinkHealthRow): HTMLElement {
  const last = r.last;
  const outcome = last?.outcome === 'missed' ? 'MISSED' : last?.outcome === 'open' ? 'awaiting reply' : 'answered';
  return h(
    'li',
    { class: `link-health${r.missed > 0 ? ' has-missed' : ''}`, 'data-station': r.station },
    h('strong', {}, shortName(def, r.station)),
    `: ${r.tests} test${r.tests === 1 ? '' : 's'}, ${r.answered} answered, `,
    h('span', { class: r.missed > 0 ? 'missed-count bad' : 'missed-count' }, `${r.missed} missed`),
    last ? h('span', {}, '. Last test ', at(last.at), ` ${outcome}`) : '. No test yet',
    r.lastRttMs === undefined ? '' : `; last round trip ${duration(r.lastRttMs)}`,
    r.lastMissAt === undefined ? '' : h('span', {}, '; last miss ', at(r.lastMissAt)),
    '.',
  );
}

function translationItem(def: ExerciseDef, r: TranslationRow): HTMLElement {
  const n = `${r.count} message${r.count === 1 ? '' : 's'}`;
  return h(
    'li',
    { class: 'translations', 'data-station': r.station },
    h('strong', {}, shortName(def, r.station)),
    r.count === 0
      ? ' translated no message yet.'
      : ` translated ${n}: median ${duration(r.medianMs)}, max ${duration(r.maxMs)} from the message’s entry to the translation’s.`,
  );
}

export interface LinePanel {
  el: HTMLElement;
  render(summary: LineSummary): void;
}

export function linePanel(def: ExerciseDef, id = 'line'): LinePanel {
  const settings = h('p', { class: 'muted line-settings' });
  const calls = h('div', { class: 'line-calls' });
  const health = h('ul', { class: 'line-health', 'aria-label': 'Link health per station' });
  const translations = h('ul', { class: 'line-translations', 'aria-label': 'Translations per station' });
  const el = h(
    'section',
    { class: 'card line-panel', 'aria-labelledby': `${id}-title`, id },
    h('h3', { id: `${id}-title` }, 'Line procedures'),
    settings,
    h('h4', {}, 'Call requests'),
    calls,
    h(
      'div',
      { class: 'line-two' },
      h('div', {}, h('h4', {}, 'Link health'), health),
      h('div', {}, h('h4', {}, 'Translations'), translations),
    ),
  );
  let shown = '';
  return {
    el,
    render(s) {
      // Redrawn only when something shown changed (the window countdown included, to the second).
      const key = JSON.stringify([s, s.calls.map((c) => Math.floor((c.leftMs ?? 0) / 1000))]);
      if (key === shown) return;
      shown = key;
      settings.textContent = `This exercise: ${lineSettingsText(s.settings)}. The call window runs on line time; link tests on real time.`;
      fill(calls, callsTable(def, s.calls));
      fill(health, ...s.health.map((r) => healthItem(def, r)));
      fill(translations, ...s.translations.map((r) => translationItem(def, r)));
    },
  };
}
