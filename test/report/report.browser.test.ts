// The after-action report page (/trainer/report) in real Chromium against a real relay: an exercise run on the
// relay (scenario, STARTEX, a manual inject acknowledged by its station, a FLASH exchange, a note, ENDEX)
// fetched with the trainer's session and verified in the browser; an export file opened on the page; printed
// to PDF on A4 and on Letter, whose text (read with pdfjs-dist) carries the title, the figures and the
// verification statement. Chinese text is checked in the DOM (this machine has no CJK font for the PDF).
// Needs the built pages: run `npm run build` first (npm test does).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { TrainerApi } from '../../client/trainer-api.js';
import type { Scenario } from '../../shared/scenario.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { logKeys } from '../helpers/log-fixture.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';
import { reportRun, SCENARIO_TITLE, TITLE, type RunFacts } from './report-run.js';

const WAIT = { timeout: 15_000 };
const SESSION_KEY = 'hotline.trainer.session';
/** The printed reports are kept beside the screenshots, to look at. */
const ARTIFACTS = path.resolve('test-artifacts/report');

/** Every page's text, in order, and each page's size in points. */
async function pdfText(bytes: Uint8Array): Promise<{ text: string; sizes: [number, number][] }> {
  const doc = await getDocument({ data: bytes, isEvalSupported: false, useSystemFonts: false }).promise;
  let text = '';
  const sizes: [number, number][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const [, , w, h] = page.view;
    sizes.push([Math.round(w!), Math.round(h!)]);
    const content = await page.getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? ' ' : '');
    text += ' ';
  }
  await doc.destroy();
  return { text: text.replace(/\s+/g, ' '), sizes };
}

const minSec = (ms: number) =>
  `${Math.floor(ms / 60_000)} min ${String(Math.round(ms / 1000) % 60).padStart(2, '0')} s`;

const SCENARIO: Scenario = {
  format: 'hotline-scenario',
  v: 1,
  title: 'Report page scenario',
  injects: [
    {
      id: 'INJ-A',
      at: 'manual',
      to: 'beijing',
      from: { zh: '南部战区', en: 'Southern Theater Command' },
      precedence: 'FLASH',
      subject: { zh: '舰艇接近', en: 'Ships closing' },
      body: { zh: '两艘舰艇在浅滩附近接近。', en: 'Two ships are closing near the shoal.' },
      expectedAction: 'Beijing calls Washington at once.',
    },
  ],
};

describe('after-action report page in Chromium', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let facts: RunFacts;
  let exportFile: string;
  const clients: HotlineClient[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const built = path.resolve('dist/web/report.html');
    if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/report-'))
      throw new Error('The report page is not built: run `npm run build` first.');
    relay = await startTestRelay();
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`${res.status()} ${res.url()}`);
    });
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-report-page-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const run = await reportRun(await logKeys());
    facts = run.facts;
    exportFile = path.join(dir, 'dtl.hotline.jsonl');
    writeFileSync(exportFile, await run.log.exportText());
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await browser?.close();
    await relay?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the trainer session when there is none', async () => {
    const res = await page.goto(`${relay.url}/trainer/report?exercise=dtl`);
    // Served like every page, under the strict CSP the report's markup and charts are written for.
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self'");
    await page.getByText('Sign in on the trainer console first').waitFor(WAIT);
    expect(await page.locator('#main').textContent()).toBe('');
  });

  it('shows the report of an exercise run on the relay, fetched with the session and verified here', async () => {
    const trainer = new TrainerApi(relay.url, { secret: relay.newTrainerSecret!, name: 'Controller Zhao' });
    const { beijing, washington } = await startPair(relay);
    clients.push(beijing, washington);
    await trainer.loadScenario('dtl', SCENARIO);
    await trainer.setState('dtl', { state: 'running' });
    await trainer.injectCommand('dtl', 'INJ-A', 'fire');
    await until(() => beijing.injects.list().length === 1, 10_000, 'the inject at Beijing');
    const inject = beijing.injects.list()[0]!;
    await beijing.acknowledge(inject.id);
    const sent = await beijing.send({ precedence: 'FLASH', subject: '请求通话', body: '请求立即通话。' });
    await until(() => washington.conversation.messages.has(sent.id), 10_000, 'the message at Washington');
    await washington.acknowledge(sent.id, 'Calling.');
    await until(
      () => beijing.conversation.messages.get(sent.id)?.states.acknowledged !== undefined,
      10_000,
      'the acknowledgement',
    );
    await until(() => beijing.injects.get(inject.id)?.states.acknowledged !== undefined, 10_000, 'the inject ack');
    await trainer.addNote('dtl', 'Beijing called within seconds.');
    await trainer.setState('dtl', { state: 'ended' });

    // The trainer console keeps its session in this tab's sessionStorage; the report page reads it there.
    const issued = await trainer.signIn();
    await page.goto(`${relay.url}/trainer/report`);
    type Storage = { sessionStorage: { setItem(k: string, v: string): void } };
    await page.evaluate(
      ([key, value]) => (globalThis as unknown as Storage).sessionStorage.setItem(key!, value!),
      [SESSION_KEY, JSON.stringify({ token: issued.token, expiresAt: issued.expiresAt })],
    );
    // From the exercise's page in the trainer console, its link to the report, in the same tab.
    await page.goto(`${relay.url}/trainer#/exercises/dtl`);
    await page.getByRole('link', { name: 'After-action report' }).click();
    await page.waitForURL(`${relay.url}/trainer/report?exercise=dtl`);
    await page.getByRole('heading', { level: 1, name: 'Defense Telephone Link' }).waitFor(WAIT);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Verified in this browser: \d+ entries/);
    const statement = (await page.locator('#verification-statement').textContent())!.replace(/\s+/g, ' ');
    expect(statement).toMatch(/\d+ of \d+ private entries opened/);
    expect(await page.locator('#verification').textContent()).toContain('Yes: ENDEX by Controller Zhao');
    const injectRow = (await page.locator('#inject-INJ-A').textContent())!.replace(/\s+/g, ' ');
    expect(injectRow).toContain('Fired manually by Controller Zhao');
    expect(injectRow).toContain('Beijing calls Washington at once.');
    expect(injectRow).toMatch(/First message from Beijing after it: entry \d+/);
    // Both languages of the inject, in the DOM with their language marked; the Chinese message as written.
    expect(await page.locator('#transcript [lang="zh-Hans"]').allTextContents()).toEqual(
      expect.arrayContaining(['两艘舰艇在浅滩附近接近。', '请求立即通话。']),
    );
    expect(await page.locator('#transcript [lang="en"]').allTextContents()).toContain(
      'Two ships are closing near the shoal.',
    );
    expect(await page.locator('#notes').textContent()).toContain('Beijing called within seconds.');
    expect(await page.getByRole('button', { name: 'Print' }).isEnabled()).toBe(true);
    expect(await page.locator('#back').getAttribute('href')).toBe('/trainer#/exercises/dtl');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      'axe on the report page',
    ).toEqual([]);
    expect(problems).toEqual([]);
    await screenshot(page, 'report-exercise');
  });

  it('verifies an export file opened on the page and prints it to PDF on A4 and on Letter', async () => {
    await page.goto(`${relay.url}/trainer/report`);
    await page.locator('#file').setInputFiles(exportFile);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor(WAIT);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Verified in this browser/);
    expect(await page.locator('#exercise').textContent()).toContain(SCENARIO_TITLE);
    // Chinese as the log has it, in the DOM.
    expect(await page.locator('#transcript p[lang="zh-Hans"].tx-body').first().textContent()).toBe(
      '一艘不明船只进入演习区域。',
    );
    await screenshot(page, 'report');

    // The figures, computed here from what the test wrote: FLASH messages acknowledged after 110 s and 400 s.
    const acks = facts.items
      .filter((i) => i.kind === 'message' && i.precedence === 'FLASH' && i.ackAt !== undefined)
      .map((i) => i.ackAt! - i.at)
      .sort((a, b) => a - b);
    const median = minSec((acks[0]! + acks[1]!) / 2);
    const max = minSec(acks[1]!);
    const entries = facts.entries.length;
    const last = facts.entries[entries - 1]!;

    // Print: the toolbar and status are for the screen only.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.report-toolbar').isVisible()).toBe(false);
    await page.emulateMedia({ media: null });

    for (const [format, size] of [
      ['A4', [595, 842]],
      ['Letter', [612, 792]],
    ] as const) {
      const pdf = await page.pdf({ format });
      writeFileSync(path.join(ARTIFACTS, `report-${format}.pdf`), pdf);
      const { text, sizes } = await pdfText(new Uint8Array(pdf));
      expect(sizes.length, format).toBeGreaterThanOrEqual(8);
      // Points, as Chromium rounds them: A4 is 595.3 × 841.9, Letter 612 × 792.
      for (const [w, h] of sizes) {
        expect(Math.abs(w - size[0]), format).toBeLessThanOrEqual(1);
        expect(Math.abs(h - size[1]), format).toBeLessThanOrEqual(1);
      }
      expect(text, format).toContain(TITLE);
      expect(text, format).toContain(`Page 1 of ${sizes.length}`);
      expect(text, format).toContain('Measured figures');
      expect(text, format).toMatch(new RegExp(`FLASH 3 3 1\\.00 s 1\\.00 s 1\\.00 s 2 ${median} ${max} ${max}`));
      expect(text, format).toContain(`${entries} entries verified (hash chain from entry 0 to entry ${last.idx})`);
      expect(text, format).toContain('console signatures verified');
      expect(text, format).toContain(last.hash);
      expect(text, format).toContain('Yes: ENDEX by Controller Chen');
    }
    expect(problems).toEqual([]);
  });
});
