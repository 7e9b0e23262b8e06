// The report's "Line procedures" section printed: the offline report document of a run with every procedure
// (test/helpers/line-log.ts lineRun), opened in real Chromium and printed to PDF, whose text (read with
// pdfjs-dist) carries the section's settings, call outcomes, link-test round trips and translation times as
// test/report/line.test.ts works them out by hand. Screenshot of the section; axe-core on the document.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { reportFromExport } from '../../shared/report/from-export.js';
import { reportDocument } from '../../shared/report/render.js';
import { axe } from '../helpers/a11y.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { lineRun } from '../helpers/line-log.js';
import { logKeys } from '../helpers/log-fixture.js';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, isEvalSupported: false, useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? ' ' : '');
    text += ' ';
  }
  await doc.destroy();
  return text.replace(/\s+/g, ' ');
}

describe('the printed report’s line procedures', () => {
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const run = await lineRun(await logKeys());
    const { model, report } = await reportFromExport(utf8(await run.log.exportText()), {
      verifiedBy: 'line report test',
      verifiedAt: Date.parse('2026-11-29T10:00:00Z'),
    });
    if (!model) throw new Error(JSON.stringify(report.fault));
    // The offline file's stylesheet, without the served page's web font (as `hotline report` writes it).
    const css = readFileSync('shared/report/report.css', 'utf8').replace(/@font-face\s*{[^}]*}/g, '');
    html = reportDocument(model, css);
    browser = await openBrowser({ width: 1100, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the section on screen and prints its figures', async () => {
    const { page } = browser;
    await page.setContent(html);
    const section = page.locator('#line');
    await section.getByRole('heading', { name: '5. Line procedures' }).waitFor();
    await axe(page, 'report line procedures');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'report-line');
    const text = await pdfText(new Uint8Array(await page.pdf({ format: 'A4' })));
    expect(text).toContain('5. Line procedures');
    expect(text).toContain('4 call requests: 1 accepted, 1 declined, 1 expired, 1 still open at the end');
    expect(text).toContain('EXPIRED: no answer in time');
    expect(text).toMatch(/Beijing 3 2 1 0 275 ms 300 ms 300 ms/);
    expect(text).toMatch(/Washington 2 2 0 0 800 ms 1\.20 s 1\.20 s/);
    expect(text).toMatch(/Beijing 2 2 1 min 05 s 2 min 00 s/);
    expect(text).toMatch(/Washington 1 1 30\.0 s 30\.0 s/);
  }, 60_000);
});
