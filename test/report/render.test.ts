// The report's HTML: every text from the log is escaped (a message, a note, an ack note, an inject written to
// break out of the markup stays text), nothing the pages' CSP forbids (no style attribute, no script, no inline
// event handler), charts as SVG with UTC axes, and the offline document carries its stylesheet inline.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { reportFromExport } from '../../shared/report/from-export.js';
import { escapeHtml } from '../../shared/report/html.js';
import type { ReportModel } from '../../shared/report/model.js';
import { reportBody, reportDocument } from '../../shared/report/render.js';
import { logKeys } from '../helpers/log-fixture.js';
import { RunLog } from '../helpers/replay-log.js';
import { reportRun } from './report-run.js';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'single' </style>`;

/** Every start tag of the markup: escaped text has no "<", so these are the renderer's own tags. */
function tags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

async function build(text: string): Promise<ReportModel> {
  const { model, report } = await reportFromExport(utf8(text), { verifiedBy: 'render test', verifiedAt: 0 });
  if (!model) throw new Error(JSON.stringify(report.fault));
  return model;
}

describe('report HTML', () => {
  let hostile: string;
  let full: string;

  beforeAll(async () => {
    const keys = await logKeys();
    const log = await RunLog.start(keys);
    await log.add('exercise-state', { data: { state: 'running', by: HOSTILE.slice(0, 80) } });
    const m = await log.message('beijing', { subject: HOSTILE.slice(0, 200), body: HOSTILE, lang: 'en' });
    await log.receipt('washington', m, 'delivered');
    await log.receipt('washington', m, 'acknowledged', HOSTILE);
    await log.private('note', { text: HOSTILE, by: 'Controller <b>', ref: m.entry.idx });
    await log.inject('washington', { inject: 'X-1', body: { en: HOSTILE }, from: { en: HOSTILE.slice(0, 120) } });
    await log.add('exercise-state', { data: { state: 'ended', by: 'Controller' } });
    hostile = reportBody(await build(await log.exportText())).text;
    full = reportBody(await build(await (await reportRun(keys)).log.exportText())).text;
  });

  it('escapes every text that comes from the log', () => {
    expect(hostile).not.toContain('<script');
    expect(hostile).not.toContain('<img');
    expect(tags(hostile).filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(hostile).not.toContain('</style>');
    expect(hostile).not.toContain('<b>');
    expect(hostile).toContain(escapeHtml(HOSTILE));
    expect(hostile).toContain('Controller &lt;b&gt;');
  });

  it('uses nothing the strict CSP forbids', () => {
    for (const html of [hostile, full]) {
      const all = tags(html);
      expect(all.length).toBeGreaterThan(100);
      expect(all.filter((t) => /\s(style|on[a-z]+)\s*=|^<(script|style|iframe|object)\b|javascript:/i.test(t))).toEqual(
        [],
      );
    }
  });

  it('draws both charts as SVG with UTC time axes and a marker title for every point', () => {
    const svgs = full.match(/<svg\s+class="chart"[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(svg).toMatch(/role="img"/);
      expect(svg).toContain('UTC, 2026-11-29');
      expect(svg).toMatch(/>\d\d:\d\dZ</);
    }
    // The acknowledgement chart (after the timeline strip): one marker per acknowledged item (5 in this run), each with its <title>.
    expect(svgs[1]!.match(/<(polygon|rect|circle)[^>]*>\s*<title>Entry \d+:/g)).toHaveLength(5);
    expect(svgs[1]).toContain('FLASH deadline 10 min');
    expect(svgs[1]).toContain('IMMEDIATE deadline 30 min');
    // The run's PRIORITY inject and ROUTINE message have deadlines of hours: named under the chart, not drawn
    // (acknowledgements of minutes would lie flat on the axis).
    expect(svgs[1]).not.toMatch(/(PRIORITY|ROUTINE) deadline/);
    expect(full).toMatch(/Off the scale: PRIORITY deadline 3 h, ROUTINE deadline 6 h\./);
    // The deadline table gives every precedence its deadline, and the note lists all four.
    const cells = (id: string) =>
      [
        ...(full.match(new RegExp(`<tr id="${id}">([\\s\\S]*?)</tr>`))?.[1] ?? '').matchAll(
          /<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g,
        ),
      ].map((m) =>
        m[1]!
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    expect(cells('deadlines-injects-PRIORITY').slice(0, 2)).toEqual(['PRIORITY', '3 h']);
    expect(cells('deadlines-messages-ROUTINE').slice(0, 2)).toEqual(['ROUTINE', '6 h']);
    expect(full).toContain('Deadlines (FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h from the entry)');
  });

  it('marks texts with their language for fonts and screen readers', () => {
    expect(full).toContain(
      '<p lang="zh-Hans" class="tx-body">我方发现一艘不明船只接近浅滩，请贵方说明情况。\n请立即答复。</p>',
    );
    expect(full).toContain('<p lang="en" class="tx-body">An unidentified vessel entered the exercise area.</p>');
  });

  it('inlines the stylesheet in the offline document, which has a title and no script', async () => {
    const css = readFileSync('shared/report/report.css', 'utf8');
    const model = await build(await (await reportRun(await logKeys())).log.exportText());
    const doc = reportDocument(model, css);
    expect(doc.startsWith('<!doctype html>')).toBe(true);
    expect(doc).toContain('<title>After-action report · Defense Telephone Link</title>');
    expect(doc).toContain('@page');
    expect(doc).not.toMatch(/<script/i);
    expect(reportDocument(model, 'a{}</style><script>x</script>')).not.toContain('</style><script>');
  });
});
