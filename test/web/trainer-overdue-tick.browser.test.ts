// The Response times tab judges deadlines on time, not only when an entry arrives, in real Chromium against
// a real relay: at 60x with FLASH due in 5 minutes of line time (5 real seconds), a FLASH that nobody
// receives turns OVERDUE in the open tab while the log stays as it was. Screenshot.
// Needs the built pages: run `npm run build` first (npm test does).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { enrolClient, startTestRelay, type TestRelay } from '../helpers/relay.js';
import { requireBuiltTrainer, signInTrainer } from '../helpers/trainer-page.js';

const WAIT = { timeout: 10_000 };
const MIN = 60_000;
const COMPRESSION = 60;
const FLASH_MS = 5 * MIN;

describe('the Response times tab', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  let beijing: HotlineClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuiltTrainer();
    relay = await startTestRelay();
    const api = await relay.trainer();
    await api.setProcedures('dtl', {
      ackDeadlinesMs: { FLASH: FLASH_MS, IMMEDIATE: 15 * MIN, PRIORITY: 60 * MIN, ROUTINE: 120 * MIN },
    });
    await api.setState('dtl', { state: 'running', compression: COMPRESSION });
    // Beijing only: nothing receives the message, so no receipt follows it into the log.
    beijing = await enrolClient(relay, 'beijing');
    beijing.start();
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await beijing?.stop();
    await browser?.close();
    await relay?.cleanup();
  });

  it('shows a message overdue when its deadline passes, with no further entry', async () => {
    await signInTrainer(page, relay);
    await page.goto(`${relay.url}/trainer#/exercises/dtl/responses`);
    await page.getByRole('heading', { name: 'Response times', level: 2 }).waitFor(WAIT);

    const flash = await beijing.send({ precedence: 'FLASH', subject: 'Alpha', body: 'Request an immediate call.' });
    const context = page.locator('section.responses > p.muted').first();
    const status = page.locator('table.per-message tbody tr td:last-child');
    const overdue = page.locator('.figure', { hasText: /^Overdue/ }).locator('dd');
    await expect
      .poll(() => status.allTextContents(), WAIT)
      .toEqual(['○ Relay logged it; their console has not verified it yet']);
    const accepted = Date.parse(beijing.conversation.messages.get(flash.id)!.states.accepted!);
    // Drawn for the message's entry, before its deadline: not overdue yet.
    expect(Date.now()).toBeLessThan(accepted + FLASH_MS / COMPRESSION);
    expect(await overdue.textContent()).toBe('0');
    const entries = await context.textContent();
    expect(entries).toMatch(/\(\d+ entries\)/);

    await expect.poll(() => status.allTextContents(), { timeout: 15_000 }).toEqual(['⚠ OVERDUE, not acknowledged']);
    // Not before it was due on line time, and with the log as it was: time alone turned it.
    expect(Date.now()).toBeGreaterThanOrEqual(accepted + FLASH_MS / COMPRESSION);
    expect(await overdue.textContent()).toBe('1');
    expect(await context.textContent()).toBe(entries);
    // The export's last line is the relay's checkpoint; the entry before it is still the message.
    const lines = (await (await (await relay.trainer()).exportBlob('dtl')).text()).trim().split('\n');
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ kind: 'message' });
    await page.locator('table.per-message').scrollIntoViewIfNeeded();
    await screenshot(page, 'trainer-response-times-overdue');

    // Leaving the tab stops its timer: another tab draws, no error.
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('heading', { name: 'Latest entries' }).waitFor(WAIT);
    expect(await page.locator('section.responses').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
