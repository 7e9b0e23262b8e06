// The measured figures: per precedence, time to deliver and to acknowledge (count, median, p90, max) and
// deadlines met and missed, for station messages and for injects; the acknowledgement chart; and every
// item's own times, so each figure can be traced to the entries it came from.
import { deadlinesSummary, deadlineText } from '../precedence.js';
import { ackChart, precedenceLegend } from './charts.js';
import type { PrecedenceFigures } from './figures.js';
import { durationText } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import { dayNote, precedence, section, station, table, utcIn } from './render-parts.js';
import type { Stats } from './stats.js';
import type { DeadlineOutcome, ItemTiming } from './timings.js';

const GROUPS = [
  ['messages', 'Messages between the stations'],
  ['injects', 'Injects to the stations'],
] as const;

function name(f: PrecedenceFigures): SafeHtml {
  return f.precedence === 'all' ? html`<strong>All</strong>` : precedence(f.precedence);
}

function statCells(s: Stats): SafeHtml {
  return html`<td class="num">${durationText(s.median)}</td>
    <td class="num">${durationText(s.p90)}</td>
    <td class="num">${durationText(s.max)}</td>`;
}

function groupRows(model: ReportModel, row: (group: string, f: PrecedenceFigures) => SafeHtml, span: number) {
  return join(
    GROUPS.map(
      ([key, label]) =>
        html`<tbody>
          <tr class="group">
            <th scope="rowgroup" colspan="${span}">${label}</th>
          </tr>
          ${join(model.figures[key].map((f) => row(key, f)))}
        </tbody>`,
    ),
  );
}

function timesTable(model: ReportModel): SafeHtml {
  const rows = groupRows(
    model,
    (g, f) =>
      html`<tr id="times-${g}-${f.precedence}">
        <th scope="row">${name(f)}</th>
        <td class="num">${f.count}</td>
        <td class="num">${f.delivered}</td>
        ${statCells(f.deliver)}
        <td class="num">${f.acknowledged}</td>
        ${statCells(f.acknowledge)}
      </tr>`,
    10,
  );
  return html`<table class="data figures">
    <caption>
      Time to deliver and to acknowledge, from the item’s log entry (real time between the relay’s timestamps)
    </caption>
    <thead>
      <tr>
        <th scope="col" rowspan="2">Precedence</th>
        <th scope="col" rowspan="2" class="num">Items</th>
        <th scope="colgroup" colspan="4" class="span">Delivered</th>
        <th scope="colgroup" colspan="4" class="span">Acknowledged</th>
      </tr>
      <tr>
        <th scope="col" class="num">count</th>
        <th scope="col" class="num">median</th>
        <th scope="col" class="num">p90</th>
        <th scope="col" class="num">max</th>
        <th scope="col" class="num">count</th>
        <th scope="col" class="num">median</th>
        <th scope="col" class="num">p90</th>
        <th scope="col" class="num">max</th>
      </tr>
    </thead>
    ${rows}
  </table>`;
}

/** Where the deadlines every figure is judged against came from: the exercise's own, or the defaults. */
function deadlinesSource(model: ReportModel): string {
  const { set } = model.deadlines;
  return set
    ? `These deadlines were set for this exercise by ${set.by} (entry ${set.idx}).`
    : 'These are the ACP 121 defaults.';
}

function deadlineTable(model: ReportModel): SafeHtml {
  const rows = groupRows(
    model,
    (g, f) =>
      html`<tr id="deadlines-${g}-${f.precedence}">
        <th scope="row">${name(f)}</th>
        <td class="num">
          ${f.deadlineMs === undefined ? (f.precedence === 'all' ? '' : 'none') : deadlineText(f.deadlineMs)}
        </td>
        <td class="num">${f.met}</td>
        <td class="num">${f.late}</td>
        <td class="num">${f.missed}</td>
        <td class="num">${f.open}</td>
      </tr>`,
    6,
  );
  return html`<table class="data figures">
    <caption>
      Acknowledgement deadlines met and missed (judged in line time)
    </caption>
    <thead>
      <tr>
        <th scope="col" rowspan="2">Precedence</th>
        <th scope="col" rowspan="2" class="num">Deadline</th>
        <th scope="col" rowspan="2" class="num">Met</th>
        <th scope="colgroup" colspan="2" class="span">Missed</th>
        <th scope="col" rowspan="2" class="num">Not yet due at the end</th>
      </tr>
      <tr>
        <th scope="col" class="num">late</th>
        <th scope="col" class="num">never acknowledged</th>
      </tr>
    </thead>
    ${rows}
  </table>`;
}

const OUTCOME: Readonly<Record<DeadlineOutcome, string>> = {
  met: 'met',
  late: 'missed (late)',
  missed: 'missed (never acknowledged)',
  open: 'not yet due',
  none: '—',
};

function itemRow(model: ReportModel, i: ItemTiming, at: (ms: number) => SafeHtml): SafeHtml {
  const who =
    i.kind === 'message'
      ? `${station(model.exercise, i.from!)} → ${station(model.exercise, i.to)}`
      : `inject → ${station(model.exercise, i.to)}`;
  return html`<tr class="outcome-${i.outcome}">
    <td class="num">${i.idx}</td>
    <td>${who}</td>
    <td>${precedence(i.precedence)}</td>
    <td class="time">${at(i.acceptedAt)}</td>
    <td class="num">${durationText(i.delivered?.ms)}</td>
    <td class="num">${durationText(i.acknowledged?.ms)}</td>
    <td class="num">${durationText(i.acknowledged?.lineMs)}</td>
    <td class="num">${i.deadlineMs === undefined ? '—' : deadlineText(i.deadlineMs)}</td>
    <td>${OUTCOME[i.outcome]}</td>
  </tr>`;
}

export function figures(model: ReportModel): SafeHtml {
  const itemColumns = [
    { head: 'Entry', cls: 'num' },
    { head: 'From → to' },
    { head: 'Precedence' },
    { head: 'Logged' },
    { head: 'Delivered after', cls: 'num' },
    { head: 'Acknowledged after', cls: 'num' },
    { head: 'Line time to ack.', cls: 'num' },
    { head: 'Deadline', cls: 'num' },
    { head: 'Outcome' },
  ];
  const at = utcIn(model);
  return section(
    'figures',
    '4. Measured figures',
    html`<p class="note">
        Time to deliver runs from the item’s entry to the entry of the receiving console’s <em>delivered</em> receipt;
        time to acknowledge, to its <em>acknowledged</em> receipt. Both are real time between the relay’s own
        timestamps. Deadlines (${deadlinesSummary(model.deadlines.ackDeadlinesMs)} from the entry) are judged in
        <em>line time</em>, as the consoles count them: exercise time while the exercise runs (so a compression shortens
        them in real time), nothing while it is paused, real time before STARTEX. An acknowledgement exactly on the
        deadline meets it. ${deadlinesSource(model)}
      </p>
      ${timesTable(model)} ${deadlineTable(model)}
      <figure class="chart-figure">
        <figcaption>Line time to acknowledge each item, by when it was logged (UTC), against the deadlines.</figcaption>
        ${ackChart(model)} ${precedenceLegend()}
      </figure>
      ${table(
        `Every message and inject (${dayNote(model)})`,
        itemColumns,
        model.items.map((i) => itemRow(model, i, at)),
        'items',
      )}`,
  );
}
