// The after-action report as HTML, one renderer for the trainer's page and for `hotline report`: the body
// (reportBody) for the page, which links the stylesheet, and the whole document (reportDocument) for the
// offline file, which inlines it. Every value goes through html.ts, escaped.
import { html, join, SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import { figures } from './render-figures.js';
import { injectsSection } from './render-injects.js';
import { lineSection } from './render-line.js';
import { notesSection, timelineSection, transcriptSection } from './render-log.js';
import { head, marking, overview, stations } from './render-overview.js';
import { utc } from './render-parts.js';
import { verificationSection } from './render-verification.js';

const CONTENTS = [
  ['exercise', 'Exercise'],
  ['stations', 'Stations, operators and keys'],
  ['timeline', 'Timeline'],
  ['figures', 'Measured figures'],
  ['line', 'Line procedures'],
  ['injects', 'Injects: expected and observed'],
  ['notes', 'Trainer notes'],
  ['transcript', 'Transcript'],
  ['verification', 'Verification'],
] as const;

export function reportBody(model: ReportModel): SafeHtml {
  return html`<article class="report" lang="en">
    ${head(model)}
    <nav class="contents" aria-label="Contents">
      <h2>Contents</h2>
      <ol>
        ${join(CONTENTS.map(([id, t]) => html`<li><a href="#${id}">${t}</a></li>`))}
      </ol>
    </nav>
    ${overview(model)} ${stations(model)} ${timelineSection(model)} ${figures(model)} ${lineSection(model)}
    ${injectsSection(model)} ${notesSection(model)} ${transcriptSection(model)} ${verificationSection(model)}
    <footer class="report-foot">
      <p>
        Generated from exercise <code>${model.exercise.id}</code>’s verified log by ${model.verification.verifiedBy} at
        ${utc(model.verification.verifiedAt)}.
      </p>
      ${marking(model)}
    </footer>
  </article>`;
}

export function reportTitle(model: ReportModel): string {
  return `After-action report · ${model.exercise.title}`;
}

/** The offline file: the whole document, with the report's stylesheet inlined (it is opened locally, where no
 * Content-Security-Policy applies). */
export function reportDocument(model: ReportModel, css: string): string {
  // A stylesheet cannot end the <style> element early: only our own CSS goes here, and it is checked anyway.
  const style = css.replace(/<\/style/gi, '<\\/style');
  return `<!doctype html>
${
  html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light" />
      <title>${reportTitle(model)}</title>
      <style>
        ${new SafeHtml(style)}
      </style>
    </head>
    <body class="report-page">
      ${reportBody(model)}
    </body>
  </html>`.text
}
`;
}
