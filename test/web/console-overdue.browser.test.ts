// An overdue ROUTINE message at the operator console, in real Chromium against a real relay: every precedence
// has its ACP 121 deadline now (ROUTINE 6 h), so the Washington console counts one down for a ROUTINE from
// Beijing and shows it overdue once the page clock is six hours on; but ROUTINE never interrupts: a steady
// row (no pulse), and no assertive announcement. Needs `npm run build` first (the relay serves dist/web).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { WEB_ROOT } from '../../server/static.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { enrolClient, startTestRelay, type TestRelay } from '../helpers/relay.js';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare function getComputedStyle(el: unknown): { animationName: string };

const WAIT = 10_000;
const H = 3_600_000;

describe('an overdue ROUTINE message at the operator console', () => {
  let washington: Browser;
  let relay: TestRelay;
  let beijing: HotlineClient;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'console.html')))
      throw new Error('dist/web is missing: run `npm run build` first.');
    relay = await startTestRelay();
    washington = await openBrowser();
  });

  afterAll(async () => {
    await beijing?.stop();
    await washington?.close();
    await relay?.cleanup();
  });

  it('counts 6 h down, then shows it overdue, without pulse or assertive announcement', async () => {
    const page = washington.page;
    page.setDefaultTimeout(WAIT);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The page's clock can jump ahead later; it runs in real time until then.
    await page.clock.install({ time: new Date() });
    await page.goto(`${relay.url}/console#code=${await relay.issueCode('washington')}`);
    await page.fill('#enrol-operator', 'Watch officer Gray');
    await page.press('#enrol-operator', 'Enter');
    await page.waitForSelector('[data-testid="status"][data-link="open"]');

    beijing = await enrolClient(relay, 'beijing');
    beijing.start();
    await beijing.send({ precedence: 'ROUTINE', subject: 'Hourly line check', body: 'Line check.' });

    const alarm = page.locator('[data-testid="precedence-alarm"][data-precedence="ROUTINE"]');
    await alarm.waitFor();
    // Six hours to go: "5:59:58" or so, or "6:00:00" when the page's clock is a few ms behind the relay's
    // (the countdown is measured from the entry's `at`, the relay's time).
    expect(await alarm.locator('[data-testid="countdown"]').textContent()).toMatch(/^(5:59:\d\d|6:00:00)$/);
    expect(await alarm.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    expect(await alarm.getAttribute('class')).not.toMatch(/alarm-overdue/);

    await page.clock.setSystemTime(new Date(Date.now() + 6 * H + 90_000));
    await page.locator('.alarm-overdue[data-precedence="ROUTINE"]').waitFor();
    expect(await alarm.locator('[data-testid="countdown"]').textContent()).toMatch(/^OVERDUE by 1:\d\d$/);
    expect(await alarm.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    // Announced on arrival politely at most, never assertively, and not when it falls overdue.
    const assertive = await page.evaluate(
      () => document.querySelector('[data-testid="live-assertive"]')?.textContent ?? '',
    );
    expect(assertive).not.toContain('Hourly line check');
    expect(assertive).not.toContain('ROUTINE');
    await screenshot(page, 'washington-overdue-routine');
    expect(errors).toEqual([]);
  });
});
