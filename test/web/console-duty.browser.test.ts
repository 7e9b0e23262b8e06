// The operator console as a duty officer meets it (issue 11, section 2), in real Chromium against a real
// relay: the enrolment page names what a code enrols before it is used; message states named for what they
// prove in both languages; a lost link as a full-width alert with what the outbox holds and since when; one
// time format; and at 390 and 1366 px in both languages, nothing scrolls sideways, one Acknowledge button
// per message, the compose form within reach, no keyboard hints on a phone, axe clean.
// Needs `npm run build` first (the relay serves dist/web).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashEnrolmentCode } from '../../server/enrolment-code.js';
import { WEB_ROOT } from '../../server/static.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

// page.evaluate callbacks run in Chromium; this file is type-checked without the DOM lib.
declare const document: { scrollingElement: { scrollWidth: number } | null };
declare const innerWidth: number;

const WAIT = 10_000;

let bj: Browser;
let dc: Browser;
let relay: TestRelay | undefined;
const problems: string[] = [];

function watch(page: Page): void {
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      problems.push(`CSP: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
}

beforeAll(async () => {
  if (!existsSync(path.join(WEB_ROOT, 'console.html')))
    throw new Error('dist/web is missing: run `npm run build` first.');
  [bj, dc] = await Promise.all([openBrowser({ width: 1366, height: 800 }), openBrowser({ width: 1366, height: 800 })]);
  watch(bj.page);
  watch(dc.page);
});

afterEach(async () => {
  expect(problems.splice(0)).toEqual([]);
  for (const b of [bj, dc]) await b.page.goto('about:blank');
  await relay?.cleanup();
  relay = undefined;
});

afterAll(async () => {
  await Promise.all([bj?.close(), dc?.close()]);
});

const cards = (page: Page, text: string) => page.locator('li.msg', { hasText: text });

async function enrol(page: Page, r: TestRelay, station: string, operator: string): Promise<void> {
  await page.goto(`${r.url}/console#code=${await r.issueCode(station)}`);
  await page.locator('[data-testid="enrol-preview"][data-status="found"]').waitFor();
  await page.fill('#enrol-operator', operator);
  await page.press('#enrol-operator', 'Enter');
  await page.locator('[data-testid="status"][data-link="open"]').waitFor();
}

async function send(page: Page, precedence: string, subject: string): Promise<void> {
  await page.click(`label[for="prec-${precedence}"]`);
  await page.fill('#compose-subject', subject);
  await page.fill('#compose-body', `${subject}: please acknowledge.`);
  await page.press('#compose-body', 'Control+Enter');
  await cards(page, subject).waitFor();
}

async function waitState(page: Page, subject: string, state: string): Promise<void> {
  await cards(page, subject)
    .and(page.locator(`[data-state="${state}"]`))
    .waitFor();
}

async function stateText(page: Page, subject: string, state: string): Promise<string> {
  return (await cards(page, subject).locator(`.states [data-state="${state}"] .state-name`).textContent()) ?? '';
}

async function axe(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

async function noHorizontalOverflow(page: Page, what: string): Promise<void> {
  const [scroll, width] = await page.evaluate(() => [document.scrollingElement?.scrollWidth ?? 0, innerWidth]);
  expect(scroll, `${what}: page width ${scroll} within the window's ${width}`).toBeLessThanOrEqual(width);
}

/** Visible buttons that acknowledge, whatever their place (card or alarm), in either language. */
async function visibleAckButtons(page: Page): Promise<number> {
  const buttons = page.getByRole('button', { name: /^(Acknowledge|确认)/ });
  let n = 0;
  for (const b of await buttons.all()) if (await b.isVisible()) n += 1;
  return n;
}

describe('the enrolment page', () => {
  it('names the exercise, station and expiry before the code is used; a spent code is refused there', async () => {
    relay = await startTestRelay();
    const issued = await (await relay.trainer()).issueCode('dtl', 'beijing', 600);
    const page = bj.page;
    await page.goto(`${relay.url}/console#code=${issued.code}`);
    const preview = page.locator('[data-testid="enrol-preview"][data-status="found"]');
    await preview.waitFor();
    expect(new URL(page.url()).hash).toBe('');
    const facts = async () => ({
      exercise: await preview.locator('[data-testid="preview-exercise"]').textContent(),
      station: await preview.locator('[data-testid="preview-station"]').textContent(),
      expires: await preview.locator('[data-testid="preview-expires"]').textContent(),
    });
    const en = await facts();
    expect(en.exercise).toContain('Defense Telephone Link (dtl)');
    expect(en.exercise).toContain('UNCLASSIFIED // EXERCISE');
    expect(en.station).toMatch(/^Beijing · Ministry of National Defense · works in 中文 \(zh\)$/);
    expect(en.expires).toBe(`${issued.expiresAt.slice(11, 19)}Z`);
    await axe(page, 'enrolment with its preview (en)');
    await screenshot(page, 'enrolment-preview');
    await page.locator('[data-testid="lang-switch"]').click();
    const zh = await facts();
    expect(zh.station).toMatch(/^北京/);
    expect(zh.station).toContain('工作语言');
    await screenshot(page, 'enrolment-preview-zh');
    // Looking did not use the code: the relay still has it unused, and it enrols.
    expect((await relay.store.findEnrolmentCode(hashEnrolmentCode(issued.code)))?.used).toBe(false);
    await page.fill('#enrol-operator', 'Duty officer Wu');
    await page.press('#enrol-operator', 'Enter');
    await page.locator('[data-testid="status"][data-link="open"]').waitFor();

    // The same link again, in another browser: refused before anything is made, and the code can be retyped.
    await dc.page.goto(`${relay.url}/console#code=${issued.code}`);
    const refused = dc.page.locator('[data-testid="enrol-preview"][data-status="refused"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('ENROLMENT_CODE_USED');
    await dc.page.locator('[data-testid="enrol-code"]').waitFor();
    // A typed code is looked up when the field is left.
    const typed = await relay.issueCode('washington');
    await dc.page.fill('[data-testid="enrol-code"]', typed);
    await dc.page.locator('#enrol-operator').focus();
    await dc.page.locator('[data-testid="enrol-preview"][data-status="found"]', { hasText: 'Washington' }).waitFor();
  });
});

describe('states, alarms and a lost link', () => {
  it('names each state for what it proves, gives deadlines as HH:MM:SSZ, and shows a lost link with what it holds', async () => {
    relay = await startTestRelay();
    const r = relay;
    // Beijing's socket goes through the test, which can cut the link and keep it down.
    let down = false;
    await bj.page.routeWebSocket(/\/v1\/ws$/, (ws) => {
      if (down) return void ws.close({ code: 1011, reason: 'link cut by the test' });
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => ws.send(m));
      const cut = setInterval(() => {
        if (!down) return;
        clearInterval(cut);
        void ws.close({ code: 1011, reason: 'link cut by the test' });
        void server.close();
      }, 50);
      ws.onClose(() => clearInterval(cut));
    });
    await enrol(bj.page, r, 'beijing', 'Duty officer Li');
    await enrol(dc.page, r, 'washington', 'Watch officer Smith');

    // Washington to Beijing, FLASH: Beijing's alarm gives its deadline as HH:MM:SSZ and leads to the card.
    await send(dc.page, 'FLASH', 'Aircraft incident');
    const alarm = bj.page.locator('[data-testid="precedence-alarm"]');
    await alarm.waitFor();
    expect(await alarm.locator('[data-testid="deadline"]').textContent()).toMatch(/^时限 \d\d:\d\d:\d\dZ$/);
    expect(await visibleAckButtons(bj.page)).toBe(1);
    await alarm.locator('[data-testid="alarm-show"]').click();
    expect(
      await bj.page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { dataset: { kind?: string } } | null } }).document
            .activeElement?.dataset.kind,
      ),
    ).toBe('message');
    await cards(bj.page, 'Aircraft incident').locator('[data-testid="ack"]').click();
    await waitState(dc.page, 'Aircraft incident', 'acknowledged');
    await alarm.waitFor({ state: 'detached' });

    // Outgoing, in English at Washington; incoming, in Chinese at Beijing.
    expect(await stateText(dc.page, 'Aircraft incident', 'queued')).toBe('In this console’s outbox');
    expect(await stateText(dc.page, 'Aircraft incident', 'accepted')).toBe('Relay logged it');
    expect(await stateText(dc.page, 'Aircraft incident', 'delivered')).toBe('Their console verified it');
    expect(await stateText(dc.page, 'Aircraft incident', 'acknowledged')).toBe('Their operator acknowledged it');
    expect(await stateText(bj.page, 'Aircraft incident', 'accepted')).toBe('中继已记录');
    expect(await stateText(bj.page, 'Aircraft incident', 'delivered')).toBe('本台已收到并验证');
    expect(await stateText(bj.page, 'Aircraft incident', 'acknowledged')).toBe('本台值班员已确认');
    for (const page of [bj.page, dc.page])
      for (const t of await cards(page, 'Aircraft incident').locator('.states time').allTextContents())
        expect(t).toMatch(/^\d\d:\d\d:\d\dZ$/);

    // Beijing to Washington, in Chinese: the words that cannot be read as "Washington has it".
    await send(bj.page, 'ROUTINE', 'Line check');
    await waitState(bj.page, 'Line check', 'delivered');
    expect(await stateText(bj.page, 'Line check', 'accepted')).toBe('中继已记录');
    expect(await stateText(bj.page, 'Line check', 'delivered')).toBe('对方终端已验证');
    expect(await stateText(bj.page, 'Line check', 'acknowledged')).toBe('对方值班员已确认');
    const allText = (await bj.page.locator('[data-testid="traffic"]').textContent()) ?? '';
    expect(allText).not.toMatch(/已接收|已收到(?!并验证)/);
    await screenshot(bj.page, 'console-states-zh');

    // The link goes down: a full-width alert, since when, what the outbox holds; the chip is no longer alone.
    const banner = bj.page.locator('[data-testid="link-down"]');
    expect(await banner.isVisible()).toBe(false);
    down = true;
    await banner.waitFor({ state: 'visible' });
    expect(await banner.getAttribute('role')).toBe('alert');
    const box = await banner.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(1366 - 20);
    expect(await banner.textContent()).toMatch(
      /^⚠线路中断，自 \d\d:\d\d:\d\dZ 起本台发件箱中滞留：电文 0 份，回执 0 份。/,
    );
    await send(bj.page, 'PRIORITY', 'Sent while the link is down');
    await bj.page.locator('[data-testid="link-down-held"]', { hasText: '电文 1 份' }).waitFor();
    await screenshot(bj.page, 'console-link-down');
    await axe(bj.page, 'the console with the link down (zh)');
    // In English, the same.
    await bj.page.locator('[data-testid="lang-switch"]').click();
    expect(await banner.textContent()).toMatch(
      /LINK DOWN since \d\d:\d\d:\d\dZHeld in this console’s outbox: 1 messages, 0 receipts\./,
    );
    await screenshot(bj.page, 'console-link-down-en');
    await bj.page.locator('[data-testid="lang-switch"]').click();

    // Back: the banner goes, the held message goes out and reaches Washington.
    down = false;
    await bj.page
      .locator('[data-testid="retry-now"]')
      .click()
      .catch(() => undefined);
    await bj.page.locator('[data-testid="status"][data-link="open"]').waitFor({ timeout: 20_000 });
    await banner.waitFor({ state: 'hidden' });
    await waitState(bj.page, 'Sent while the link is down', 'delivered');
    await cards(dc.page, 'Sent while the link is down').waitFor();
    await bj.page.unrouteAll({ behavior: 'ignoreErrors' });
  });
});

describe('at 390 and 1366 px, in both languages', () => {
  it('fits the width, shows one Acknowledge button per message, keeps the compose form in reach', async () => {
    relay = await startTestRelay();
    await enrol(bj.page, relay, 'beijing', 'Duty officer Qian');
    await enrol(dc.page, relay, 'washington', 'Watch officer Taylor');
    const long = 'Request for a call between defence ministers within forty-eight hours';
    await send(dc.page, 'FLASH', long);
    await send(bj.page, 'IMMEDIATE', '请求在四十八小时内安排两国防长通话');
    for (const page of [bj.page, dc.page]) await page.locator('[data-testid="precedence-alarm"]').waitFor();

    for (const [width, height] of [
      [390, 844],
      [1366, 800],
    ] as const) {
      for (const [page, lang] of [
        [bj.page, 'zh'],
        [dc.page, 'en'],
      ] as const) {
        const what = `${lang} at ${width} px`;
        await page.setViewportSize({ width, height });
        await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
        await noHorizontalOverflow(page, what);
        // One incoming message awaits acknowledgement at each console: one button for it.
        expect(await visibleAckButtons(page), what).toBe(1);
        const kbdVisible = await page
          .locator('kbd')
          .evaluateAll(
            (els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).length,
          );
        if (width === 390) {
          expect(kbdVisible, `${what}: no keyboard hints`).toBe(0);
          // The compose form is below all traffic: the bar at the bottom is on screen without scrolling.
          const jump = page.locator('[data-testid="compose-jump"]');
          const box = await jump.boundingBox();
          expect(box && box.y + box.height <= height && box.y >= 0, `${what}: compose bar on screen`).toBe(true);
          await screenshot(page, `console-phone-${lang}`);
          await jump.click();
          const radio = page.locator('input[name="precedence"]:checked');
          await expect
            .poll(() =>
              radio.evaluate(
                (e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
              ),
            )
            .toBe(true);
          const body = await page.locator('#compose-body').boundingBox();
          expect(body && body.y >= 0 && body.y < height, `${what}: compose form in view`).toBe(true);
        } else {
          expect(kbdVisible, `${what}: keyboard hints on a desk`).toBeGreaterThan(0);
          expect(await page.locator('[data-testid="compose-jump"]').isVisible()).toBe(false);
          const body = await page.locator('#compose-body').boundingBox();
          expect(body && body.y + body.height <= height, `${what}: compose form in view`).toBe(true);
        }
        await axe(page, what);
      }
    }
    for (const page of [bj.page, dc.page]) await page.setViewportSize({ width: 1366, height: 800 });
  });
});
