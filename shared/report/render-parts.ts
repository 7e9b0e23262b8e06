// Small pieces every section of the rendered report uses: times (UTC beside exercise time), station names,
// precedence badges, texts in their own language, and tables that repeat their header on every printed page.
import { formatExerciseTime } from '../exercise-clock.js';
import type { ExerciseDef, Lang, Precedence } from '../items.js';
import type { Texts } from '../scenario.js';
import { shortName } from '../stations.js';
import { utcClock, utcText } from './format.js';
import { html, join, type Html, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';

/** The HTML lang of a console language: Chinese is written in simplified characters. */
export const HTML_LANG: Readonly<Record<Lang, string>> = { zh: 'zh-Hans', en: 'en' };
export const LANG_LABEL: Readonly<Record<Lang, string>> = { zh: '中文 (zh)', en: 'English (en)' };

export function utc(ms: number): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${utcText(ms)}</time>`;
}

/** The day of the whole log when it lies within one UTC day (tables then show the time of day only). */
export function logDay(model: ReportModel): string | undefined {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const a = day(model.period.firstAt);
  return a === day(Math.max(model.period.lastAt, model.verification.checkpoint.at)) ? a : undefined;
}

/** A time in a table: the time of day when the whole log lies in one day (named in the caption), else in full. */
export function utcIn(model: ReportModel): (ms: number) => SafeHtml {
  const oneDay = logDay(model) !== undefined;
  return (ms) => (oneDay ? html`<time datetime="${new Date(ms).toISOString()}">${utcClock(ms)}</time>` : utc(ms));
}

/** The caption's note of the day: "UTC, 2026-11-29". */
export function dayNote(model: ReportModel): string {
  const day = logDay(model);
  return day ? `times UTC, ${day}` : 'times UTC';
}

/** UTC, and exercise time under it. */
export function when(ms: number, exerciseMs: number | null): SafeHtml {
  return html`${utc(ms)}<br /><span class="xt">${formatExerciseTime(exerciseMs)}</span>`;
}

export function station(def: ExerciseDef, id: string): string {
  return shortName(def, id);
}

export function precedence(p: Precedence): SafeHtml {
  return html`<span class="prec prec-${p.toLowerCase()}">${p}</span>`;
}

/** A text in the language it was written in, marked so, for fonts and screen readers. */
export function inLang(lang: Lang, text: string, tag: 'span' | 'p' | 'div' = 'span', cls = ''): SafeHtml {
  const c = cls ? html` class="${cls}"` : '';
  return html`<${tag} lang="${HTML_LANG[lang]}"${c}>${text}</${tag}>`;
}

/** A bilingual text: the preferred language first, then the other one when the text has it. */
export function texts(t: Texts | undefined, first: Lang): SafeHtml {
  if (!t) return html``;
  const order: Lang[] = first === 'zh' ? ['zh', 'en'] : ['en', 'zh'];
  return join(
    order.flatMap((l) => (t[l] === undefined ? [] : [inLang(l, t[l])])),
    ' / ',
  );
}

export interface Column {
  head: Html;
  cls?: string;
}

/** A table whose header repeats on every printed page and whose rows never split across pages. */
export function table(caption: Html, columns: readonly Column[], rows: readonly Html[], cls = ''): SafeHtml {
  return html`<table class="${['data', cls].filter(Boolean).join(' ')}">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${join(columns.map((c) => html`<th scope="col" ${c.cls ? html` class="${c.cls}"` : ''}>${c.head}</th>`))}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length
          ? join(rows)
          : html`<tr>
              <td colspan="${columns.length}" class="muted">None.</td>
            </tr>`
      }
    </tbody>
  </table>`;
}

export function section(id: string, title: string, body: Html): SafeHtml {
  return html`<section id="${id}" class="report-section" aria-labelledby="${id}-title">
    <h2 id="${id}-title">${title}</h2>
    ${body}
  </section>`;
}
