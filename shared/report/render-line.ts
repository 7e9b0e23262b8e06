// The report's "Line procedures" section: the settings the exercise ran with; every call request with its
// answers, outcome and the line time each answer took; link tests per station (answered, missed, round trip
// median, p90, max); translations per translating station (count, median and max time to translate).
import { settingText } from '../line-text.js';
import type { CallStep } from '../line-book.js';
import { durationText, utcClock } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { CallReport } from './line.js';
import type { ReportModel } from './model.js';
import { dayNote, section, station, table, utcIn } from './render-parts.js';

const LEVEL: Readonly<Record<string, string>> = {
  principal: 'principals',
  deputy: 'deputies',
  working: 'working level',
};
const OUTCOME: Readonly<Record<CallReport['outcome'], string>> = {
  accepted: 'accepted',
  declined: 'declined',
  expired: 'EXPIRED: no answer in time',
  awaiting: 'still awaiting an answer at the end of the log',
};
const ACTION: Readonly<Record<CallStep['action'], string>> = {
  request: 'requested',
  accept: 'accepted',
  propose: 'proposed another time',
  decline: 'declined',
  expired: 'expired (relay)',
};

/** An ISO instant (a proposed or agreed time) as the consoles show it: HH:MM:SSZ. */
const zulu = (iso: string) => utcClock(Date.parse(iso));

function callRow(model: ReportModel, c: CallReport, at: (ms: number) => SafeHtml): SafeHtml {
  const name = (s: string) => (s === 'relay' ? 'relay' : station(model.exercise, s));
  const steps = c.steps.map(
    (s) =>
      html`<li>
        ${at(s.at)} (entry ${s.idx}) ${name(s.by)}
        ${ACTION[s.action]}${
          s.proposedAt && s.action === 'propose' ? ` ${zulu(s.proposedAt)}` : ''
        }${s.callAt ? ` for ${zulu(s.callAt)}` : ''}${s.note ? `: “${s.note}”` : ''}${
          s.lineMs === undefined ? '' : html`, after <span class="num">${durationText(s.lineMs)}</span> of line time`
        }
      </li>`,
  );
  return html`<tr class="call-${c.outcome}">
    <td class="num">${c.idx}</td>
    <td>${station(model.exercise, c.from)} → ${station(model.exercise, c.to)}</td>
    <td>${LEVEL[c.level] ?? c.level}</td>
    <td>${c.subject}</td>
    <td class="time">${c.callAt === undefined ? `proposed ${zulu(c.proposedAt)}` : `agreed ${zulu(c.callAt)}`}</td>
    <td>${OUTCOME[c.outcome]}</td>
    <td>
      <ol class="steps">
        ${join(steps)}
      </ol>
    </td>
  </tr>`;
}

function linkRows(model: ReportModel): SafeHtml[] {
  return model.line.links.map(
    (l) =>
      html`<tr id="link-${l.station}">
        <th scope="row">${station(model.exercise, l.station)}</th>
        <td class="num">${l.tests}</td>
        <td class="num">${l.answered}</td>
        <td class="num">${l.missed}</td>
        <td class="num">${l.open}</td>
        <td class="num">${durationText(l.rtt.median)}</td>
        <td class="num">${durationText(l.rtt.p90)}</td>
        <td class="num">${durationText(l.rtt.max)}</td>
      </tr>`,
  );
}

function translationRows(model: ReportModel): SafeHtml[] {
  return model.line.translations.map(
    (t) =>
      html`<tr id="translations-${t.station}">
        <th scope="row">${station(model.exercise, t.station)}</th>
        <td class="num">${t.received}</td>
        <td class="num">${t.count}</td>
        <td class="num">${durationText(t.delay.median)}</td>
        <td class="num">${durationText(t.delay.max)}</td>
      </tr>`,
  );
}

export function lineSection(model: ReportModel): SafeHtml {
  const { line } = model;
  const t = line.totals;
  const at = utcIn(model);
  const source = line.set
    ? `set for this exercise by ${line.set.by} (entry ${line.set.idx})`
    : 'the defaults (a 48 h DTL call window, an hourly link test)';
  return section(
    'line',
    '5. Line procedures',
    html`<p class="note">
        Call request window ${settingText(line.settings.callWindowMs)} of line time; a link test every
        ${settingText(line.settings.linkTestIntervalMs)} of real time, to be answered within
        ${settingText(line.settings.linkTestTimeoutMs)}: ${source}. Times to answer a call request are line time, from
        the request or the latest counter-proposal to the answer; round trips and times to translate are real time
        between the relay’s timestamps.
      </p>
      <p class="note" id="call-totals">
        ${t.requests} call requests: ${t.accepted} accepted, ${t.declined} declined, ${t.expired} expired, ${t.open}
        still open at the end; ${t.proposals} counter-proposals. Time to answer (${t.answer.count} answers): median
        ${durationText(t.answer.median)}, p90 ${durationText(t.answer.p90)}, max ${durationText(t.answer.max)} of line
        time.
      </p>
      ${table(
        `Every call request with its answers (${dayNote(model)})`,
        [
          { head: 'Entry', cls: 'num' },
          { head: 'Caller → called' },
          { head: 'Level' },
          { head: 'Subject' },
          { head: 'Time' },
          { head: 'Outcome' },
          { head: 'Steps' },
        ],
        line.calls.map((c) => callRow(model, c, at)),
        'calls',
      )}
      ${table(
        'Link tests per station (round trip: the test’s entry to the reply’s)',
        [
          { head: 'Station' },
          { head: 'Tests', cls: 'num' },
          { head: 'Answered', cls: 'num' },
          { head: 'Missed', cls: 'num' },
          { head: 'Open at the end', cls: 'num' },
          { head: 'Round trip median', cls: 'num' },
          { head: 'p90', cls: 'num' },
          { head: 'max', cls: 'num' },
        ],
        linkRows(model),
        'links',
      )}
      ${table(
        'Translations per translating station (the message’s entry to the translation’s)',
        [
          { head: 'Station' },
          { head: 'Messages received', cls: 'num' },
          { head: 'Translated', cls: 'num' },
          { head: 'Median', cls: 'num' },
          { head: 'Max', cls: 'num' },
        ],
        translationRows(model),
        'translations',
      )}`,
  );
}
