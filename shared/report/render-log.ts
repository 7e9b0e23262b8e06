// The timeline (strip chart and the table of every entry), the trainer notes and the full transcript.
import { formatExerciseTime } from '../exercise-clock.js';
import type { Lang } from '../items.js';
import { durationText } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import {
  dayNote,
  inLang,
  LANG_LABEL,
  precedence,
  section,
  station,
  table,
  texts,
  utcIn,
  when,
} from './render-parts.js';
import { precedenceLegend, timelineStrip } from './charts.js';
import type { TranscriptItem } from './transcript.js';

export function timelineSection(model: ReportModel): SafeHtml {
  const utc = utcIn(model);
  const rows = model.timeline.map(
    (t) =>
      html`<tr class="tl-${t.kind}">
        <td class="num">${t.idx}</td>
        <td class="time">${utc(t.at)}</td>
        <td class="xt">${formatExerciseTime(t.exerciseMs)}</td>
        <td>${t.precedence ? precedence(t.precedence) : ''}</td>
        <td>${t.text}</td>
      </tr>`,
  );
  return section(
    'timeline',
    '3. Timeline',
    html`<figure class="chart-figure">
        <figcaption>
          The exercise at a glance: state changes as vertical lines (paused time shaded), injects, each station’s
          messages (ticks below: its receipts, long for acknowledgements), notes as purple squares, relay alarms as ✕.
        </figcaption>
        ${timelineStrip(model)} ${precedenceLegend()}
      </figure>
      ${table(
        `Every entry of the log, in log order (${dayNote(model)})`,
        [
          { head: 'Entry', cls: 'num' },
          { head: 'UTC' },
          { head: 'Exercise time' },
          { head: 'Prec.' },
          { head: 'What' },
        ],
        rows,
        'timeline',
      )}`,
  );
}

export function notesSection(model: ReportModel): SafeHtml {
  const rows = model.notes.map(
    (n) =>
      html`<tr>
        <td class="num">${n.idx}</td>
        <td>${when(n.at, n.exerciseMs)}</td>
        <td>${n.by}</td>
        <td class="note-text">${n.text}</td>
        <td>${n.ref ? html`entry ${n.ref.idx}: ${n.ref.text}` : '—'}</td>
      </tr>`,
  );
  return section(
    'notes',
    '7. Trainer notes',
    table(
      'Notes written by exercise control during play (private to exercise control)',
      [{ head: 'Entry', cls: 'num' }, { head: 'Time' }, { head: 'By' }, { head: 'Note' }, { head: 'About' }],
      rows,
      'notes',
    ),
  );
}

function receipts(t: TranscriptItem, utc: (ms: number) => SafeHtml): SafeHtml {
  const d = t.timing?.delivered;
  const a = t.timing?.acknowledged;
  return html`<p class="tx-receipts">
    ${d ? html`Delivered ${utc(d.at)} (after ${durationText(d.ms)}, entry ${d.idx})` : 'No delivery receipt'} ·
    ${
      a
        ? html`Acknowledged ${utc(a.at)} (after ${durationText(a.ms)}, entry
          ${a.idx})${a.note ? html`: “${a.note}”` : ''}`
        : 'Not acknowledged'
    }
  </p>`;
}

function langBlocks(t: Extract<TranscriptItem, { kind: 'inject' }>): SafeHtml {
  const order: Lang[] = t.lang === 'zh' ? ['zh', 'en'] : ['en', 'zh'];
  return join(
    order.flatMap((l) =>
      t.body[l] === undefined
        ? []
        : [
            html`<div class="tx-lang">
              <p class="tx-lang-name">${LANG_LABEL[l]}</p>
              ${t.subject?.[l] ? inLang(l, t.subject[l], 'p', 'tx-subject') : ''}${inLang(l, t.body[l], 'p', 'tx-body')}
            </div>`,
          ],
    ),
  );
}

function transcriptItem(model: ReportModel, t: TranscriptItem): SafeHtml {
  const utc = utcIn(model);
  const def = model.exercise;
  if (t.kind === 'message') {
    return html`<article class="tx tx-message" id="entry-${t.idx}">
      <p class="tx-head">
        Entry ${t.idx} · ${utc(t.at)} · <span class="xt">${formatExerciseTime(t.exerciseMs)}</span> ·
        ${precedence(t.precedence)} · ${station(def, t.from)} →
        ${station(def, t.to)}${t.replyToIdx === undefined ? '' : ` · in reply to entry ${t.replyToIdx}`}
      </p>
      <p class="tx-class">${t.classification}</p>
      ${t.subject ? inLang(t.lang, t.subject, 'p', 'tx-subject') : ''} ${inLang(t.lang, t.body, 'p', 'tx-body')}
      ${receipts(t, utc)}
    </article>`;
  }
  return html`<article class="tx tx-inject" id="entry-${t.idx}">
    <p class="tx-head">
      Entry ${t.idx} · ${utc(t.at)} · <span class="xt">${formatExerciseTime(t.exerciseMs)}</span> ·
      ${precedence(t.precedence)} · <strong>Exercise inject ${t.inject}</strong> to ${station(def, t.to)} · from
      ${texts(t.from, t.lang)}
    </p>
    ${langBlocks(t)} ${receipts(t, utc)}
  </article>`;
}

export function transcriptSection(model: ReportModel): SafeHtml {
  return section(
    'transcript',
    '8. Transcript',
    html`<p class="note">
        Every message and inject in log order, whole and in the language it was written in; an inject in both languages
        where the scenario gave both, the receiving station’s first; ${dayNote(model)}.
      </p>
      ${model.transcript.length ? join(model.transcript.map((t) => transcriptItem(model, t))) : html`<p class="muted">No messages or injects.</p>`}`,
  );
}
