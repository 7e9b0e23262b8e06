// The report's head and its first sections: the exercise (title, marking, scenario, period, who ran it) and
// its stations with their operators and keys.
import { classificationLevel, markingText } from '../classification.js';
import { formatExerciseTime } from '../exercise-clock.js';
import { durationText } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import { LANG_LABEL, section, table, utc } from './render-parts.js';

export function marking(model: ReportModel): SafeHtml {
  const m = model.exercise.classification;
  return html`<p class="marking level-${classificationLevel(m)}">${markingText(m)}</p>`;
}

export function head(model: ReportModel): SafeHtml {
  const e = model.exercise;
  const v = model.verification;
  return html`<header class="report-head">
    ${marking(model)}
    <p class="kicker">Hotline · After-action report</p>
    <h1>${e.title}</h1>
    <p class="subtitle">
      Exercise <code>${e.id}</code> ·
      ${e.stations.map((s) => s.name).join(' ⇄ ')}${model.scenario ? html` · Scenario “${model.scenario.title}”` : ''}
    </p>
    <p class="verified-banner">
      <strong>Verified.</strong> Computed from the exercise log alone after it verified in full: ${v.entries} entries,
      ${v.signatures} console signatures, ${v.privateOpened} private entries opened, sealed by the relay’s checkpoint at
      entry ${v.checkpoint.idx}${v.sealedByEndex ? ' after ENDEX' : ''}. See <a href="#verification">Verification</a>.
    </p>
  </header>`;
}

/** "1 note", "2 notes". */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pausedMs(model: ReportModel): number {
  return model.period.pauses.reduce((sum, p) => sum + ((p.until ?? model.verification.checkpoint.at) - p.at), 0);
}

/** Call requests, translations and link tests (with the missed ones), or nothing when the log has none. */
function lineCounts(model: ReportModel): string[] {
  const { line } = model;
  const tests = line.links.reduce((n, l) => n + l.tests, 0);
  const missed = line.links.reduce((n, l) => n + l.missed, 0);
  const translations = line.translations.reduce((n, t) => n + t.count, 0);
  if (line.calls.length + tests + translations === 0) return [];
  return [
    count(line.calls.length, 'call request'),
    count(translations, 'translation'),
    `${count(tests, 'link test')} (${missed} missed)`,
  ];
}

export function overview(model: ReportModel): SafeHtml {
  const p = model.period;
  const fired = model.injects.filter((i) => i.status === 'fired').length;
  const row = (k: string, v: SafeHtml | string) =>
    html`<div>
      <dt>${k}</dt>
      <dd>${v}</dd>
    </div>`;
  const facts = [
    row('Title', model.exercise.title),
    row('Exercise id', html`<code>${model.exercise.id}</code>`),
    row('Classification', model.exercise.classification || '(none)'),
    row(
      'Scenario',
      model.scenario
        ? html`“${model.scenario.title}”, ${model.scenario.injects} injects, loaded by ${model.scenario.by} at
          ${utc(model.scenario.at)} (entry ${model.scenario.idx})`
        : 'No scenario was loaded.',
    ),
    ...(model.scenario?.summary ? [row('Scenario summary', model.scenario.summary)] : []),
    row('STARTEX', p.startex === undefined ? 'The exercise was never started.' : utc(p.startex)),
    row('ENDEX', p.endex === undefined ? 'Not ended when the log was exported.' : utc(p.endex)),
    row(
      'Duration',
      p.startex === undefined
        ? '—'
        : `${durationText((p.endex ?? model.verification.checkpoint.at) - p.startex)} real time; exercise time reached ${formatExerciseTime(p.exerciseMs)}`,
    ),
    row('Time compression', p.compressions.length ? p.compressions.map((c) => `${c}×`).join(', ') : '—'),
    row(
      'Pauses',
      p.pauses.length
        ? `${p.pauses.length} (${durationText(pausedMs(model))} in all), by ${[...new Set(p.pauses.map((x) => x.by))].join(', ')}`
        : 'None',
    ),
    row('Exercise control', model.control.length ? model.control.join(', ') : 'Nobody is named in the log.'),
    row(
      'In the log',
      [
        count(model.verification.entries, 'entry', 'entries'),
        count(model.verification.messages, 'message'),
        count(model.verification.receipts, 'receipt'),
        `${fired} of ${count(model.injects.length, 'inject')} fired`,
        count(model.notes.length, 'note'),
        count(model.timeline.filter((t) => t.kind === 'alarm').length, 'relay alarm'),
        // The line's procedures, when the log has any (section 5 has their figures).
        ...lineCounts(model),
      ].join(', '),
    ),
    row('First and last entry', html`${utc(p.firstAt)} – ${utc(p.lastAt)}`),
  ];
  return section(
    'exercise',
    '1. Exercise',
    html`<dl class="facts">${join(facts)}</dl>
      <p class="note">
        Times are UTC, from the relay’s log. Exercise time (T+HH:MM:SS) counts from STARTEX, runs at the compression in
        force and stands still while paused; “T−” is before STARTEX.
      </p>`,
  );
}

export function stations(model: ReportModel): SafeHtml {
  const body = model.stations.map((s) =>
    table(
      html`${s.name} <span class="muted">(<code>${s.id}</code>, console language ${LANG_LABEL[s.lang]})</span>`,
      [{ head: 'Operator' }, { head: 'Key (kid)' }, { head: 'Enrolled' }, { head: 'Revoked' }],
      s.keys.map(
        (k) =>
          html`<tr>
            <td>${k.operator}</td>
            <td><code class="hash">${k.kid}</code></td>
            <td>${utc(k.enrolled.at)}<br /><span class="muted">entry ${k.enrolled.idx}</span></td>
            <td>
              ${
                k.revoked
                  ? html`${utc(k.revoked.at)}<br /><span class="muted"
                        >entry ${k.revoked.idx}: ${k.revoked.reason}</span
                      >`
                  : 'No'
              }
            </td>
          </tr>`,
      ),
    ),
  );
  return section('stations', '2. Stations, operators and keys', join(body));
}
