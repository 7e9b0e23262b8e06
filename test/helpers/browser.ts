// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, one fresh profile per context.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { WEB_ROOT } from '../../server/static.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-artifacts/screenshots');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'hotline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Beijing's and Washington's browsers for the operator console suites, once the console is known to be built. */
export async function openStationBrowsers(): Promise<[Browser, Browser]> {
  if (!existsSync(path.join(WEB_ROOT, 'console.html')))
    throw new Error('dist/web is missing: run `npm run build` first.');
  return Promise.all([openBrowser(), openBrowser()]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** An element's computed background colour (`rgb(…)`), as the page shows it. Runs in the page, whose
 * globals the Node test types do not describe. */
export function backgroundOf(locator: Locator): Promise<string> {
  type Styles = { getComputedStyle(el: unknown): { backgroundColor: string } };
  return locator.evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor);
}
