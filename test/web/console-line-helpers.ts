// What the browser suites of the line's procedures at the operator consoles share: the two station browsers
// watched for CSP violations and page errors, enrolment (as an operator or a translator), the width check
// and the screenshots at a desk's and a phone's width, each with axe.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { axe } from '../helpers/a11y.js';
import { openStationBrowsers, screenshot, type Browser } from '../helpers/browser.js';
import type { TestRelay } from '../helpers/relay.js';

// page.evaluate callbacks run in Chromium; this file is type-checked without the DOM lib.
declare const document: {
  scrollingElement: { scrollWidth: number } | null;
  querySelector(selector: string): { textContent: string | null } | null;
  fonts: { ready: Promise<unknown> };
};
declare function requestAnimationFrame(callback: () => void): void;
declare const innerWidth: number;

export const WAIT = 10_000;

/** Fails the test later (afterEach) on a CSP violation or an uncaught page error. */
export function watch(page: Page, problems: string[]): void {
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      problems.push(`CSP: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
}

/** Enrols the page's console by a link (`&role=translator` when asked) and waits for the link to open. */
export async function enrol(
  page: Page,
  relay: TestRelay,
  station: string,
  operator: string,
  role?: 'translator',
): Promise<void> {
  const code = await relay.issueCode(station);
  await page.goto(`${relay.url}/console#code=${code}${role ? `&role=${role}` : ''}`);
  await page.locator('[data-testid="enrol-preview"][data-status="found"]').waitFor();
  await page.fill('#enrol-operator', operator);
  await page.press('#enrol-operator', 'Enter');
  await page.locator('[data-testid="status"][data-link="open"]').waitFor();
}

export async function noHorizontalOverflow(page: Page, what: string): Promise<void> {
  const [scroll, width] = await page.evaluate(() => [document.scrollingElement?.scrollWidth ?? 0, innerWidth]);
  expect(scroll, `${what}: page width ${scroll} within the window's ${width}`).toBeLessThanOrEqual(width);
}

/** The polite live region's words, once they contain `part`. */
export async function announced(page: Page, part: string): Promise<void> {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid="live-polite"]')?.textContent?.includes(p) ?? false,
    part,
    { timeout: WAIT },
  );
}

/**
 * A screen at 1366 and at 390 px: fits the width, passes axe, saved as `<name>-<lang>-<width>.png`; the
 * page is left at 1366 px. `focus` (a locator's selector) is scrolled into view first on the phone.
 */
export async function capture(page: Page, name: string, lang: 'en' | 'zh', focus?: string): Promise<void> {
  for (const [width, height] of [
    [1366, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    if (focus) await page.locator(focus).first().scrollIntoViewIfNeeded();
    await noHorizontalOverflow(page, `${name} (${lang}) at ${width} px`);
    await axe(page, `${name} (${lang}) at ${width} px`);
    await glyphsLoaded(page);
    await screenshot(page, `${name}-${lang}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 800 });
}

/** Waits until the Chinese font's slices the page asked for are in and the text was shaped again with them
 * (web/src/common/cjk-font-loader.ts), so that a screenshot shows characters, not boxes. */
async function glyphsLoaded(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    await document.fonts.ready;
  });
}

/** The date (YYYY-MM-DD, UTC) `days` from now. */
export function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The two station browsers of a test file (1366 px, watched for CSP violations and page errors) and the relay
 * of the running test, which is cleaned up after it. */
export interface Desk {
  bj: Browser;
  dc: Browser;
  relay?: TestRelay;
  /** Watches one more page (a third browser) for the same problems. */
  watch(page: Page): void;
}

/** Opens the desk's browsers for the file, checks each test left no page problem, and closes them after. */
export function useDesk(): Desk {
  const problems: string[] = [];
  const desk = { watch: (page: Page) => watch(page, problems) } as Desk;
  beforeAll(async () => {
    [desk.bj, desk.dc] = await openStationBrowsers();
    for (const b of [desk.bj, desk.dc]) {
      await b.page.setViewportSize({ width: 1366, height: 800 });
      watch(b.page, problems);
    }
  });
  afterEach(async () => {
    expect(problems.splice(0), 'CSP violations or page errors').toEqual([]);
    for (const b of [desk.bj, desk.dc]) await b.page.goto('about:blank');
    await desk.relay?.cleanup();
    delete desk.relay;
  });
  afterAll(async () => {
    await Promise.all([desk.bj?.close(), desk.dc?.close()]);
  });
  return desk;
}
