// For each inject: what the scenario expected beside what happened, one row each.
import { formatExerciseTime } from '../exercise-clock.js';
import { durationText } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { InjectOutcome } from './injects.js';
import type { ReportModel } from './model.js';
import { dayNote, precedence, section, station, table, texts, utcIn } from './render-parts.js';

const DEADLINE: Readonly<Record<string, string>> = {
  met: 'within its deadline',
  late: 'after its deadline (missed)',
  missed: 'never: its deadline passed (missed)',
  open: 'not yet: its deadline had not passed at the end',
  none: '',
};

function happened(model: ReportModel, i: InjectOutcome): SafeHtml {
  const utc = utcIn(model);
  const lines: SafeHtml[] = [];
  const f = i.fired;
  const controls = i.controls.filter((c) => c.action !== 'fire');
  if (f) {
    const how = f.trigger === 'timer' ? 'by the timer' : f.by ? `manually by ${f.by}` : 'manually';
    lines.push(html`Fired ${how} at ${utc(f.at)} (${formatExerciseTime(f.exerciseMs)}, entry ${f.idx}).`);
    const t = i.timing;
    lines.push(t?.delivered ? html`Delivered after ${durationText(t.delivered.ms)}.` : html`No delivery receipt.`);
    if (t?.acknowledged) {
      const d = DEADLINE[t.outcome];
      lines.push(
        html`Acknowledged after ${durationText(t.acknowledged.ms)} (line time
        ${durationText(t.acknowledged.lineMs)})${d ? `, ${d}` : ''}.`,
      );
    } else lines.push(html`Not acknowledged${t && DEADLINE[t.outcome] ? ` (${DEADLINE[t.outcome]})` : ''}.`);
    const r = i.firstReply;
    lines.push(
      r
        ? html`First message from ${station(model.exercise, i.to)} after it: entry ${r.idx} at ${utc(r.at)},
            <strong>${durationText(r.ms)}</strong> later (line time ${durationText(r.lineMs)}),
            ${r.precedence}${r.subject ? html` “${r.subject}”` : ''}.`
        : html`No message from ${station(model.exercise, i.to)} after it.`,
    );
  } else if (i.status === 'skipped') {
    const s = [...i.controls].reverse().find((c) => c.action === 'skip');
    lines.push(html`<strong>Skipped</strong>${s ? html` by ${s.by} at ${utc(s.at)}` : ''}; never fired.`);
  } else if (i.status === 'held') {
    const s = [...i.controls].reverse().find((c) => c.action === 'hold');
    lines.push(
      html`<strong>Held</strong>${s ? html` by ${s.by} at ${utc(s.at)}` : ''} and never released; never fired.`,
    );
  } else {
    lines.push(html`<strong>Never fired.</strong>`);
  }
  for (const c of controls)
    lines.push(html`<span class="muted">${c.action} by ${c.by} at ${utc(c.at)} (entry ${c.idx})</span>`);
  return join(
    lines.map((l) => html`<li>${l}</li>`),
    '',
  );
}

function row(model: ReportModel, i: InjectOutcome): SafeHtml {
  const lang = model.exercise.stations.find((s) => s.id === i.to)?.lang ?? 'en';
  const when = i.offsetMs === undefined ? 'manual (contingency)' : formatExerciseTime(i.offsetMs);
  const source = i.source === 'added' ? ' · added during play' : i.source === 'unknown' ? ' · not in the MSEL' : '';
  return html`<tr id="inject-${i.id}" class="inject-${i.status.replace(' ', '-')}">
    <th scope="row">
      <strong>${i.id}</strong><br />${precedence(i.precedence)}<br />to ${station(model.exercise, i.to)}<br /><span
        class="muted"
        >${when}${source}</span
      >
    </th>
    <td>
      ${i.subject ? html`<p class="inj-subject">${texts(i.subject, lang)}</p>` : ''}
      <p class="muted">from ${texts(i.from, lang)}</p>
    </td>
    <td>
      ${i.expectedAction ?? html`<span class="muted">Not known.</span>`}${i.controllerNotes ? html`<p class="muted">Controller notes: ${i.controllerNotes}</p>` : ''}
    </td>
    <td>
      <ul class="happened">
        ${happened(model, i)}
      </ul>
    </td>
  </tr>`;
}

export function injectsSection(model: ReportModel): SafeHtml {
  const fired = model.injects.filter((i) => i.fired);
  const replies = fired.filter((i) => i.firstReply).length;
  return section(
    'injects',
    '6. Injects: expected and observed',
    html`<p class="note">
        ${model.injects.length} injects: ${fired.length} fired,
        ${model.injects.filter((i) => i.status === 'skipped').length} skipped,
        ${model.injects.filter((i) => i.status === 'held').length} held,
        ${model.injects.filter((i) => i.status === 'not fired').length} never fired; ${replies} of the fired were
        followed by a message from their station. The expected action is the scenario’s (as edited or added by exercise
        control in the log); the time to the station’s first message runs from the inject’s entry to that message’s
        entry.
      </p>
      ${table(
        `Each inject: the expected action beside what happened (${dayNote(model)})`,
        [
          { head: 'Inject' },
          { head: 'Subject and originator' },
          { head: 'Expected action' },
          { head: 'What happened' },
        ],
        model.injects.map((i) => row(model, i)),
        'injects',
      )}`,
  );
}
