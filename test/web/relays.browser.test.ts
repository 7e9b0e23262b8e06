// Both browser consoles across two relays of one log (issue 13), in real Chromium: Beijing enrols on relay
// A, Washington on relay B (the documented start: two `hotline serve` on one PostgreSQL, each allowing the
// other's origin and naming both relays). A FLASH goes from A to B and is acknowledged; then relay A stops
// and Beijing's page, still served from A, fails over to relay B by itself and keeps exchanging messages.
// Needs `npm run build` first (the relay serves dist/web).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationBrowsers, screenshot, type Browser } from '../helpers/browser.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';
import type { TestRelay } from '../helpers/relay.js';

const WAIT = 10_000;

let pair: RelayPair;
let a: TestRelay;
let b: TestRelay;
let beijing: Browser;
let washington: Browser;
const errors: string[] = [];

beforeAll(async () => {
  pair = await startRelayPair('hotline_relays_browser', { named: true });
  ({ a, b } = pair);
  [beijing, washington] = await openStationBrowsers();
  for (const page of [beijing.page, washington.page]) {
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  }
});

afterAll(async () => {
  await Promise.all([beijing?.close(), washington?.close()]);
  await pair?.cleanup();
});

const cards = (page: Page, text: string) => page.locator('li.msg', { hasText: text });

async function enrolByLink(page: Page, url: string, station: string, operator: string): Promise<void> {
  // One trainer secret for the log: relay A made it; a code issued through A enrols through B as well.
  const code = await a.issueCode(station);
  await page.goto(`${url}/console#code=${code}`);
  await page.fill('#enrol-operator', operator);
  await page.press('#enrol-operator', 'Enter');
  await page.locator('[data-testid="console"]').waitFor();
  await page.waitForSelector('[data-testid="status"][data-link="open"]');
}

async function send(page: Page, subject: string, body: string, precedence = 'ROUTINE'): Promise<void> {
  await page.click(`label[for="prec-${precedence}"]`);
  await page.fill('#compose-subject', subject);
  await page.fill('#compose-body', body);
  await page.press('#compose-body', 'Control+Enter');
  await cards(page, subject).waitFor();
}

describe('the browser consoles on two relays of one log', () => {
  it('exchange and acknowledge across relays, and a console fails over when its relay stops', async () => {
    const bj = beijing.page;
    const dc = washington.page;
    await enrolByLink(bj, a.url, 'beijing', 'Duty officer Li');
    await enrolByLink(dc, b.url, 'washington', 'Watch officer Smith');
    await bj.waitForSelector('[data-testid="status"][data-peer="online"]');
    await dc.waitForSelector('[data-testid="status"][data-peer="online"]');

    await send(bj, 'Across relays', 'From relay A to relay B. Please acknowledge.', 'FLASH');
    const incoming = cards(dc, 'Across relays');
    await incoming.and(dc.locator('[data-verified="true"][data-direction="in"]')).waitFor();
    await dc.keyboard.press('Alt+A');
    await cards(bj, 'Across relays').and(bj.locator('[data-state="acknowledged"]')).waitFor();
    await screenshot(bj, 'relays-beijing-on-a');

    // Relay A stops: Beijing's page, loaded from A, goes on through B (the relays its enrolment named).
    await a.close();
    await bj.waitForSelector('[data-testid="status"][data-link="open"]', { timeout: 15_000 });
    await send(dc, 'After failover', 'Beijing now reads this through relay B.');
    await cards(bj, 'After failover').and(bj.locator('[data-verified="true"][data-direction="in"]')).waitFor();
    await send(bj, 'Reply through B', 'Sent after the failover.');
    await cards(dc, 'Reply through B').and(dc.locator('[data-verified="true"]')).waitFor();
    await cards(bj, 'Reply through B').and(bj.locator('[data-state="delivered"]')).waitFor();
    expect(await bj.locator('li.msg').count()).toBe(3);
    expect(await dc.locator('li.msg').count()).toBe(3);
    await screenshot(bj, 'relays-beijing-after-failover');
    expect(errors).toEqual([]);
  });
});
