// The Run tab's acknowledgement deadlines, in real Chromium against a real relay: the defaults shown, FLASH
// and IMMEDIATE set in minutes before STARTEX (a `procedures` entry; the relay's RunState agrees), a value
// out of range refused in the page, and the form gone once the exercise has started. Screenshot; axe-core.
// Needs the built pages: run `npm run build` first (npm test does).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerApi } from '../../client/trainer-api.js';
import type { ExerciseDef } from '../../shared/items.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { requireBuiltTrainer, signInTrainer } from '../helpers/trainer-page.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

const WAIT = { timeout: 10_000 };
const MIN = 60_000;
const DEF: ExerciseDef = {
  id: 'ex-deadlines',
  title: 'Deadline drill',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: DEFAULT_STATIONS,
};

describe('the Run tab sets the exercise’s acknowledgement deadlines', () => {
  let relay: TestRelay;
  let api: TrainerApi;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuiltTrainer();
    relay = await startTestRelay();
    api = await relay.trainer();
    await api.createExercise(DEF);
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    await relay?.cleanup();
  });

  it('shows the defaults, sets FLASH 5 and IMMEDIATE 15 min, and fixes them at STARTEX', async () => {
    await signInTrainer(page, relay);
    await page.goto(`${relay.url}/trainer#/exercises/${DEF.id}/run`);
    await page.getByRole('heading', { name: 'Acknowledgement deadlines' }).waitFor(WAIT);
    const current = page.getByTestId('deadlines-current');
    await expect
      .poll(() => current.textContent(), WAIT)
      .toMatch(/^FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h \(the ACP 121 defaults\)/);
    expect(await page.getByLabel('PRIORITY (min)').inputValue()).toBe('180');

    // Out of range: said in the page, nothing sent.
    await page.getByLabel('FLASH (min)').fill('0');
    await page.getByRole('button', { name: 'Set deadlines' }).click();
    expect((await api.run(DEF.id)).ackDeadlinesMs).toEqual({
      FLASH: 10 * MIN,
      IMMEDIATE: 30 * MIN,
      PRIORITY: 180 * MIN,
      ROUTINE: 360 * MIN,
    });

    await page.getByLabel('FLASH (min)').fill('5');
    await page.getByLabel('IMMEDIATE (min)').fill('15');
    await page.getByRole('button', { name: 'Set deadlines' }).click();
    await expect
      .poll(() => current.textContent(), WAIT)
      .toMatch(/^FLASH 5 min, IMMEDIATE 15 min, PRIORITY 3 h, ROUTINE 6 h \(set for this exercise\)/);
    expect((await api.run(DEF.id)).ackDeadlinesMs).toEqual({
      FLASH: 5 * MIN,
      IMMEDIATE: 15 * MIN,
      PRIORITY: 180 * MIN,
      ROUTINE: 360 * MIN,
    });
    await page.mouse.move(0, 0);
    const results = await new AxeBuilder({ page }).include('.deadlines-panel').analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.locator('.deadlines-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'trainer-deadlines-panel');

    await api.setState(DEF.id, { state: 'running' });
    await page.reload();
    await expect.poll(() => current.textContent(), WAIT).toMatch(/fixed since STARTEX\.$/);
    expect(await page.locator('.deadlines-form').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
