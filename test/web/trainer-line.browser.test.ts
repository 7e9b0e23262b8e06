// The trainer's views of the line's procedures, in real Chromium against a real relay and real clients
// (client/client.ts): the Run tab sets the line settings before STARTEX (a link test every 2 s, 1 s to answer);
// the Enrolment tab issues a translator link (the same code, `&role=translator` in the fragment) by which a
// Washington translator device enrols; Beijing's console, which does not answer link tests, requests a call
// and sends a message in Chinese that Washington's translator translates. The Live tab's Line panel shows the
// call request (Washington's turn, window left), both stations' link health, the translation and its time,
// and the missed link test raises an alarm. Screenshots at 1366 and 390 px; axe-core.
// Needs the built pages: run `npm run build` first (npm test does).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotlineClient } from '../../client/client.js';
import { codeFromLink } from '../../client/identity.js';
import { MemoryStorage } from '../../client/storage.js';
import type { TrainerApi } from '../../client/trainer-api.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import type { ExerciseDef } from '../../shared/items.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { axe } from '../helpers/a11y.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { requireBuiltTrainer, signInTrainer } from '../helpers/trainer-page.js';
import { startTestRelay, until, type TestRelay } from '../helpers/relay.js';

// Evaluated in the page (this file is type-checked for Node, without the DOM's types).
declare const document: { scrollingElement: { scrollWidth: number } | null };

const WAIT = { timeout: 15_000 };
const DEF: ExerciseDef = {
  id: 'ex-line',
  title: 'Line drill',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: DEFAULT_STATIONS,
};

describe('the trainer follows the line’s procedures', () => {
  let relay: TestRelay;
  let api: TrainerApi;
  let browser: Browser;
  let page: Page;
  const clients: HotlineClient[] = [];
  const pageErrors: string[] = [];

  const enrol = (link: string, operator: string, autoLinkReply = true) => {
    const { code, role } = codeFromLink(link);
    return HotlineClient.enrol(
      { url: relay.url, code, operator, extractable: true, ...(role ? { role } : {}) },
      { storage: new MemoryStorage(), socket: nodeSocket(), backoff: { baseMs: 20, maxMs: 200 }, autoLinkReply },
    );
  };

  beforeAll(async () => {
    requireBuiltTrainer();
    relay = await startTestRelay();
    api = await relay.trainer();
    await api.createExercise(DEF);
    browser = await openBrowser({ width: 1366, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await browser?.close();
    await relay?.cleanup();
  });

  it('sets the line settings on the Run tab before STARTEX', async () => {
    await signInTrainer(page, relay);
    await page.goto(`${relay.url}/trainer#/exercises/${DEF.id}/run`);
    const current = page.getByTestId('line-current');
    await expect
      .poll(() => current.textContent(), WAIT)
      .toMatch(/^call window 48 h, link test every 1 h, answered within 1 min \(the defaults/);
    await page.getByLabel('Call request window (min, line time)').fill('30');
    await page.getByLabel('Link test every (s, real time)').fill('2');
    await page.getByLabel('Link test answered within (s)').fill('1');
    await page.getByRole('button', { name: 'Set line settings' }).click();
    await expect
      .poll(() => current.textContent(), WAIT)
      .toMatch(/^call window 30 min, link test every 2 s, answered within 1 s \(set for this exercise\)/);
    expect((await api.run(DEF.id)).line).toEqual({
      callWindowMs: 30 * 60_000,
      linkTestIntervalMs: 2_000,
      linkTestTimeoutMs: 1_000,
    });
    // The deadlines stay as they were.
    expect((await api.run(DEF.id)).ackDeadlinesMs.FLASH).toBe(10 * 60_000);
    await page.locator('.line-settings-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'trainer-line-settings');
  }, 60_000);

  it('issues a translator link, by which a translator device enrols', async () => {
    await page.getByRole('link', { name: 'Enrolment & keys' }).click();
    await page.getByRole('button', { name: 'Issue translator link for Washington' }).click();
    const input = page.locator('input.link[data-station="washington"][data-role="translator"]');
    await input.waitFor(WAIT);
    const link = await input.inputValue();
    expect(link).toMatch(new RegExp(`^${relay.url}/console#code=[0-9A-Z-]{30,}&role=translator$`));
    const translator = await enrol(link, 'Translator Kim');
    expect(translator.role).toBe('translator');
    await page.getByRole('button', { name: 'Issue link for Beijing' }).click();
    const bjLink = await page.locator('input.link[data-station="beijing"][data-role="operator"]').inputValue();
    // Beijing's console does not answer link tests: its tests are missed.
    const beijing = await enrol(bjLink, 'Duty officer Li', false);
    clients.push(beijing, translator);
    const row = page.getByRole('row', { name: /Translator Kim/ });
    await row.waitFor(WAIT);
    await expect.poll(() => row.getByRole('cell').nth(1).textContent(), WAIT).toBe('Translator');
  }, 60_000);

  it('shows the call request, the link health, the translation and the missed link test live', async () => {
    const [beijing, translator] = clients as [HotlineClient, HotlineClient];
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('heading', { name: 'Line procedures' }).waitFor(WAIT);
    beijing.start();
    translator.start();
    const callId = await beijing.requestCall({
      level: 'principal',
      subject: 'Collision at sea',
      proposedAt: '2026-12-02T12:00:00.000Z',
    });
    const msg = await beijing.send({ precedence: 'IMMEDIATE', subject: '渔船', body: '请确认渔船位置。' });
    await until(() => translator.conversation.messages.get(msg.id)?.hash !== undefined, 10_000, 'message arrives');
    await translator.translate(msg.id, {
      subject: 'Fishing boats',
      body: 'Please confirm the fishing boats’ position.',
    });
    await until(() => translator.line.translations.has(msg.id), 10_000, 'translation logged');

    const panel = page.locator('#live-line');
    const call = panel.locator(`tr[data-call="${callId}"]`);
    await call.waitFor(WAIT);
    expect(await call.locator('td.call-subject').textContent()).toBe('Collision at sea');
    await expect.poll(() => call.textContent(), WAIT).toMatch(/Awaiting answer.*Washington’s.*min \d\d s left/);
    // Beijing never answers: its tests are missed; the translator answers Washington's.
    const bjHealth = panel.locator('li.link-health[data-station="beijing"]');
    await expect.poll(() => bjHealth.textContent(), WAIT).toMatch(/0 answered, [1-9]\d* missed.*MISSED/);
    const waHealth = panel.locator('li.link-health[data-station="washington"]');
    await expect.poll(() => waHealth.textContent(), WAIT).toMatch(/[1-9]\d* answered, 0 missed.*last round trip \d/);
    await expect
      .poll(() => panel.locator('li.translations[data-station="washington"]').textContent(), WAIT)
      .toMatch(/Washington translated 1 message: median \d/);
    const alarm = page.locator('#live-alarms li.alarm-link').first();
    await alarm.waitFor(WAIT);
    expect(await alarm.textContent()).toMatch(/Link test missed.*LINK_TEST_MISSED.*No console of Beijing answered/);
    // The consoles show the call request and, on Washington's side, original and translation side by side.
    const wa = page.locator('section.console[data-station="washington"]');
    await wa.locator(`li.call-card[data-call="${callId}"]`).getByText('this station’s turn to answer').waitFor(WAIT);
    await wa.locator('.translation-pair').getByText('Please confirm the fishing boats’ position.').waitFor(WAIT);
    const bj = page.locator('section.console[data-station="beijing"]');
    await bj.getByText(/Washington translated it into English after/).waitFor(WAIT);

    await page.mouse.move(0, 0);
    await axe(page, 'trainer line panel');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'trainer-line-1366');
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.scrollIntoViewIfNeeded();
    // The page never scrolls sideways at phone width: the calls table scrolls inside its own region.
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(390);
    await screenshot(page, 'trainer-line-390');
    await page.setViewportSize({ width: 1366, height: 900 });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('replays the procedures: the Line lane, the line panel at the end, the missed test as an alarm', async () => {
    await page.getByRole('navigation', { name: 'Exercise views' }).getByRole('link', { name: 'Replay' }).click();
    await page.locator('#player').waitFor(WAIT);
    expect(await page.locator('.timeline .marker.lane-line').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.timeline .marker.kind-line-alarm').count()).toBeGreaterThanOrEqual(1);
    await page.locator('#player').focus();
    await page.keyboard.press('End');
    const line = page.locator('#replay-line');
    await expect.poll(() => line.locator('tr.call').count(), WAIT).toBe(1);
    expect(await line.locator('tr.call').textContent()).toMatch(/Collision at sea.*Awaiting answer.*Washington’s/);
    await expect
      .poll(() => line.locator('li.link-health[data-station="beijing"]').textContent(), WAIT)
      .toMatch(/[1-9]\d* missed/);
    await page.locator('#replay-alarms li.alarm-link').first().waitFor(WAIT);
    const wa = page.locator('.player section.console[data-station="washington"]');
    await wa.locator('.translation-pair').getByText('Please confirm the fishing boats’ position.').waitFor(WAIT);
    await wa.locator('li.call-card').getByText('Principals: Collision at sea').waitFor(WAIT);
    await page.mouse.move(0, 0);
    await axe(page, 'trainer line replay');
    await screenshot(page, 'trainer-line-replay');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
