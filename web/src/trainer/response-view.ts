// The response-times screen: the after-action summary (counts by precedence and by responding station,
// median and maximum acknowledgement times, overdue count), the chart, and the figures per message.
import type { Applied } from '../../../shared/chain.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { clockOf } from '../../../shared/replay-events.js';
import { deadlineList, deadlineText, type AckDeadlines } from '../../../shared/precedence.js';
import { responseChart } from './charts.js';
import { scrollRegion } from './scroll-region.js';
import { h } from './dom.js';
import { dtg, duration, precedenceClass, shortName } from './format.js';
import { responseRows, summarize, type ResponseRow, type Summary } from './response-times.js';
import { OUT_STATE } from './state-words.js';
import type { View } from './view.js';

/** "Overdue (FLASH > 10 min, IMMEDIATE > 30 min, PRIORITY > 3 h, ROUTINE > 6 h)": the exercise's objectives (clock.deadlines)
 * the overdue count is measured against. */
const overdueLabel = (table: AckDeadlines) =>
  `Overdue (${deadlineList(table)
    .map(([p, ms]) => `${p} > ${deadlineText(ms)}`)
    .join(', ')})`;

function table(caption: string, head: string[], rows: (string | Node)[][], cls = ''): HTMLElement {
  return scrollRegion(
    caption,
    h(
      'table',
      { class: cls },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...rows.map((r) => h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))),
      ),
    ),
  );
}

function status(r: ResponseRow): HTMLElement {
  if (r.overdue)
    return h(
      'span',
      { class: 'tag tag-bad' },
      r.acknowledgedAt === undefined ? '⚠ OVERDUE, not acknowledged' : '⚠ Acknowledged late',
    );
  if (r.acknowledgedAt !== undefined) return h('span', { class: 'tag tag-ok' }, `✓ ${OUT_STATE.acknowledged}`);
  if (r.deliveredAt !== undefined)
    return h('span', { class: 'tag tag-wait' }, `○ ${OUT_STATE.delivered}; not acknowledged yet`);
  return h('span', { class: 'tag tag-wait' }, `○ ${OUT_STATE.accepted}; their console has not verified it yet`);
}

/** The summary in plain text, as a trainer pastes it into an after-action report. */
export function summaryText(def: ExerciseDef, s: Summary): string {
  const lines = [
    `${def.title} (${def.id}): response times`,
    `Messages: ${s.total}; delivered ${s.delivered}; acknowledged ${s.acknowledged}; unacknowledged ${s.unacknowledged}; overdue ${s.overdue}.`,
    `Acknowledgement time: median ${duration(s.ack.median)}, max ${duration(s.ack.max)}. Delivery: median ${duration(s.deliver.median)}.`,
    ...s.byPrecedence
      .filter((p) => p.count > 0)
      .map(
        (p) =>
          `${p.precedence}: ${p.count} sent, ${p.acknowledged} acknowledged, median ack ${duration(p.ack.median)}, max ${duration(p.ack.max)}, overdue ${p.overdue}.`,
      ),
    ...s.byStation.map(
      (b) =>
        `${shortName(def, b.station)} acknowledged ${b.acknowledged} of ${b.received} received, median ${duration(b.ack.median)}, overdue ${b.overdue}.`,
    ),
  ];
  return lines.join('\n');
}

/** Real time, and the line time beside it where the exercise clock made them differ. */
function ackText(r: ResponseRow): string {
  const real = duration(r.ackMs);
  const line = duration(r.ackLineMs);
  return real === line ? real : `${real} (${line} line time)`;
}

/** The screen, and the rows it shows (the live tab reads when the next of them falls due). */
export interface ResponseTimesView extends View {
  rows: readonly ResponseRow[];
}

/** `clock`: the exercise clock to judge deadlines by (the live observer's); by default the records' own. */
export function responseTimesView(
  def: ExerciseDef,
  records: readonly Applied[],
  now: number,
  context: string,
  clock?: ExerciseClock,
): ResponseTimesView {
  const line = clock ?? clockOf(records.map((r) => r.entry));
  const rows = responseRows(records, now, line);
  const s = summarize(
    rows,
    def.stations.map((st) => st.id),
  );
  const name = (id: string) => shortName(def, id);
  const figure = (label: string, value: string, cls = '') =>
    h('div', { class: `figure ${cls}` }, h('dt', {}, label), h('dd', {}, value));
  const copyMsg = h('span', { class: 'muted', role: 'status' });
  const copy = h('button', { type: 'button' }, 'Copy summary as text');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(summaryText(def, s)).then(
      () => (copyMsg.textContent = 'Summary copied.'),
      () => (copyMsg.textContent = 'Copying is not allowed here; select the figures instead.'),
    );
  });
  const chart = responseChart(
    rows,
    `Response times per message over the exercise (${rows.length} message${rows.length === 1 ? '' : 's'}).`,
  );
  const el = h(
    'section',
    { class: 'responses', 'aria-labelledby': 'responses-title' },
    h('h2', { id: 'responses-title' }, 'Response times'),
    h('p', { class: 'muted' }, context),
    h(
      'section',
      { class: 'card summary', 'aria-labelledby': 'aar-title' },
      h('h3', { id: 'aar-title' }, 'After-action summary'),
      h(
        'dl',
        { class: 'figures' },
        figure('Messages', String(s.total)),
        figure('Acknowledged', `${s.acknowledged} of ${s.total}`),
        figure('Unacknowledged', String(s.unacknowledged)),
        figure(overdueLabel(line.deadlines), String(s.overdue), s.overdue > 0 ? 'bad' : ''),
        figure('Median acknowledgement', duration(s.ack.median)),
        figure('Max acknowledgement', duration(s.ack.max)),
        figure('Median delivery', duration(s.deliver.median)),
        figure('Median acceptance', duration(s.accept.median)),
      ),
      h(
        'p',
        { class: 'muted' },
        'Delays are real time. Deadlines are judged on line time, as the consoles count them: real time before STARTEX, exercise time after it (shorter under a compression), standing still while paused.',
      ),
      h('p', { class: 'actions' }, copy, ' ', copyMsg),
    ),
    table(
      'By precedence',
      ['Precedence', 'Messages', 'Acknowledged', 'Median ack', 'Max ack', 'Overdue'],
      s.byPrecedence.map((p) => [
        h('span', { class: `prec ${precedenceClass(p.precedence)}` }, p.precedence),
        String(p.count),
        String(p.acknowledged),
        duration(p.ack.median),
        duration(p.ack.max),
        String(p.overdue),
      ]),
    ),
    table(
      'By responding station',
      ['Station', 'Received', 'Acknowledged', 'Median ack', 'Max ack', 'Overdue'],
      s.byStation.map((b) => [
        name(b.station),
        String(b.received),
        String(b.acknowledged),
        duration(b.ack.median),
        duration(b.ack.max),
        String(b.overdue),
      ]),
    ),
    chart.el,
    table(
      'Per message',
      [
        'Entry',
        'DTG',
        'Precedence',
        'From → to',
        'Subject',
        `${OUT_STATE.accepted} after`,
        `${OUT_STATE.delivered} after`,
        `${OUT_STATE.acknowledged} after`,
        'Status',
      ],
      rows.map((r) => [
        String(r.idx),
        dtg(new Date(r.sentAt)),
        h('span', { class: `prec ${precedenceClass(r.precedence)}` }, r.precedence),
        `${name(r.from)} → ${name(r.to)}`,
        r.subject ?? '—',
        duration(r.acceptMs),
        duration(r.deliverMs),
        ackText(r),
        status(r),
      ]),
      'per-message',
    ),
  );
  return { el, rows, destroy: () => chart.destroy() };
}
