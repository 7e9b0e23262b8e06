// Exercise injects and the exercise clock at the operator consoles, in real Chromium against a real relay:
// the banner's state (PLANNED, RUNNING, PAUSED, ENDEX) and ticking exercise time next to UTC; an inject at
// Beijing in Chinese, marked as an exercise inject from its simulated originator (never as Washington's
// traffic), with its FLASH alarm, acknowledged with the keyboard; nothing of it at Washington; and after
// ENDEX the closed line in both languages. Needs `npm run build` first (the relay serves dist/web).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrainerApi } from '../../client/trainer-api.js';
import type { Scenario } from '../../shared/scenario.js';
import { backgroundOf, openStationBrowsers, screenshot, type Browser } from '../helpers/browser.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const WAIT = 10_000;
const FROM_ZH = '南部战区海军';
const SUBJECT_ZH = '外舰危险接近';
const BODY_ZH = '我巡逻编队报告：一艘外国驱逐舰在 300 米内横越我舰艏。请立即与对方通话。';
const BODY_EN = 'Our patrol reports a foreign destroyer crossing our bow within 300 m. Call the other side now.';

function scenario(): Scenario {
  return {
    format: 'hotline-scenario',
    v: 1,
    title: 'Console inject test',
    injects: [
      {
        id: 'INJ-01',
        at: 'manual',
        to: 'beijing',
        from: { zh: FROM_ZH, en: 'Southern Theater Navy' },
        precedence: 'FLASH',
        subject: { zh: SUBJECT_ZH, en: 'Unsafe approach' },
        body: { zh: BODY_ZH, en: BODY_EN },
        expectedAction: 'Call Washington.',
      },
    ],
  };
}

let beijing: Browser;
let washington: Browser;
let relay: TestRelay | undefined;
const problems: string[] = [];

function watch(page: Page): void {
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
}

beforeAll(async () => {
  [beijing, washington] = await openStationBrowsers();
  watch(beijing.page);
  watch(washington.page);
});

afterEach(async () => {
  expect(problems, 'CSP violations or page errors').toEqual([]);
  for (const b of [beijing, washington]) await b.page.goto('about:blank').catch(() => b.page.goto('about:blank'));
  await relay?.cleanup();
  relay = undefined;
});

afterAll(async () => {
  await Promise.all([beijing?.close(), washington?.close()]);
});

async function enrol(page: Page, r: TestRelay, station: string, operator: string): Promise<void> {
  await page.goto(`${r.url}/console#code=${await r.issueCode(station)}`);
  await page.locator('#enrol-operator').waitFor();
  await page.fill('#enrol-operator', operator);
  await page.press('#enrol-operator', 'Enter');
  await page.locator('[data-testid="console"]').waitFor();
  await page.waitForSelector('[data-testid="status"][data-link="open"]');
}

const text = async (page: Page, testid: string) =>
  (await page.locator(`[data-testid="${testid}"]`).first().textContent()) ?? '';

async function axe(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

describe('exercise injects at the operator consoles', () => {
  it('shows the exercise clock, an inject at Beijing in Chinese acknowledged by keyboard, and the closed line after ENDEX', async () => {
    relay = await startTestRelay();
    const trainer = new TrainerApi(relay.url, { secret: relay.newTrainerSecret!, name: 'Controller Zhao' });
    const bj = beijing.page;
    const dc = washington.page;
    // Washington's socket goes through the test, which can hold its submits back and drop the connection.
    let holdSubmits = false;
    let dcServer: WebSocketRoute | undefined;
    await dc.routeWebSocket(/\/v1\/ws$/, (ws) => {
      const server = ws.connectToServer();
      dcServer = server;
      ws.onMessage((m) => {
        if (!(holdSubmits && typeof m === 'string' && m.includes('"type":"submit"'))) server.send(m);
      });
      server.onMessage((m) => ws.send(m));
    });
    await enrol(bj, relay, 'beijing', 'Duty officer Li');
    await enrol(dc, relay, 'washington', 'Watch officer Smith');

    // Before STARTEX: PLANNED, UTC only.
    expect(await text(bj, 'exercise-phase')).toContain('PLANNED');
    expect(await text(bj, 'utc-time')).toMatch(/^\d\d:\d\d:\d\dZ$/);
    expect(await bj.locator('[data-testid="exercise-time"]').isVisible()).toBe(false);

    await trainer.loadScenario('dtl', scenario());
    await trainer.setState('dtl', { state: 'running', compression: 6 });
    for (const page of [bj, dc]) await page.waitForSelector('[data-testid="exercise-clock"][data-phase="running"]');
    expect(await text(bj, 'exercise-phase')).toBe('▶RUNNING 进行中');
    expect(await text(dc, 'exercise-phase')).toBe('▶RUNNING');
    expect(await text(dc, 'compression')).toBe('×6');
    // Exercise time ticks: six exercise seconds a second.
    const first = await text(dc, 'exercise-time');
    expect(first).toMatch(/^T\+00:0\d:\d\d$/);
    await dc.waitForFunction(
      (before) => document.querySelector('[data-testid="exercise-time"]')?.textContent !== before,
      first,
      { timeout: WAIT },
    );

    // The inject reaches Beijing: marked as an exercise inject from its originator, in Chinese.
    await trainer.injectCommand('dtl', 'INJ-01', 'fire');
    const card = bj.locator('li.msg-inject');
    await card.waitFor();
    expect(await card.getAttribute('data-kind')).toBe('inject');
    expect(await card.getAttribute('data-precedence')).toBe('FLASH');
    expect(await card.locator('[data-testid="inject-mark"]').textContent()).toBe('EXERCISE INJECT · 演习导调情况');
    expect(await card.locator('[data-testid="originator"]').textContent()).toContain(`来自 ${FROM_ZH}`);
    expect(await card.locator('[data-testid="precedence"]').textContent()).toBe('FLASH 特急');
    expect(await card.locator('.msg-subject[lang="zh-Hans"]').textContent()).toBe(SUBJECT_ZH);
    expect(await card.locator('.msg-body[lang="zh-Hans"]').textContent()).toBe(BODY_ZH);
    expect(await card.locator('.msg-body[lang="en"]').textContent()).toBe(BODY_EN);
    expect(await card.locator('[data-testid="inject-exercise-time"]').textContent()).toMatch(
      /^下达于 T\+\d\d:\d\d:\d\d$/,
    );
    // Never the other station's name or colour.
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).not.toMatch(/华盛顿|Washington/);
    expect(await backgroundOf(card)).toBe('rgb(35, 26, 51)');
    const alarm = bj.locator('[data-testid="precedence-alarm"][data-kind="inject"]');
    await alarm.waitFor();
    expect(await alarm.locator('[data-testid="countdown"]').textContent()).toMatch(/^\d:\d\d$/);
    await bj.waitForFunction(
      () => document.querySelector('[data-testid="live-assertive"]')?.textContent?.includes('演习导调情况'),
      null,
      { timeout: WAIT },
    );
    await card.and(bj.locator('[data-state="delivered"]')).waitFor();
    await screenshot(bj, 'beijing-inject');
    await axe(bj, 'Beijing with an inject');

    // Acknowledged with the keyboard, like a message.
    await bj.keyboard.press('Alt+A');
    await card.and(bj.locator('[data-state="acknowledged"]')).waitFor();
    await alarm.waitFor({ state: 'detached' });
    expect(await card.locator('.states [data-state="acknowledged"]').getAttribute('data-done')).toBe('true');

    // A reload rebuilds it all from the log (IndexedDB keeps only the key, outbox and checkpoint).
    await bj.reload();
    await card.and(bj.locator('[data-state="acknowledged"]')).waitFor();
    await bj.waitForSelector('[data-testid="exercise-clock"][data-phase="running"]');
    expect(await bj.locator('li.msg-inject').count()).toBe(1);
    expect(await bj.locator('[data-testid="precedence-alarm"]').count()).toBe(0);

    // Washington sees nothing of it.
    expect(await dc.locator('li.msg').count()).toBe(0);
    expect(await dc.locator('[data-testid="precedence-alarm"]').count()).toBe(0);

    await trainer.setState('dtl', { state: 'paused' });
    await bj.waitForSelector('[data-testid="exercise-clock"][data-phase="paused"]');
    expect(await text(bj, 'exercise-phase')).toBe('❚❚PAUSED 暂停');

    // Washington's message waits (its submit held back) while the trainer ends the exercise.
    holdSubmits = true;
    await dc.fill('#compose-subject', 'Late word');
    await dc.fill('#compose-body', 'Request a call between ministers.');
    await dc.press('#compose-body', 'Control+Enter');
    const late = dc.locator('li.msg', { hasText: 'Late word' });
    await late.and(dc.locator('[data-state="queued"]')).waitFor();

    // ENDEX: the banner says so and the compose form gives way to the notice, in both languages.
    await trainer.setState('dtl', { state: 'ended' });
    for (const page of [bj, dc]) {
      await page.waitForSelector('[data-testid="exercise-clock"][data-phase="ended"]');
      await page.locator('[data-testid="line-closed"]').waitFor();
      expect(await page.locator('[data-testid="compose"]').isVisible()).toBe(false);
    }
    const notice = (await text(dc, 'line-closed')) ?? '';
    expect(notice).toContain('The exercise has ended (ENDEX). The line is closed');
    expect(notice).toContain('演习已结束（ENDEX）。线路已关闭');
    expect(await text(dc, 'exercise-phase')).toBe('■ENDEX');
    expect(await text(bj, 'exercise-phase')).toBe('■ENDEX 已结束');
    await dc.waitForFunction(
      () => document.querySelector('[data-testid="live-assertive"]')?.textContent?.includes('ENDEX'),
      null,
      { timeout: WAIT },
    );
    // Back on the line, the waiting message is refused for good, and the card says why.
    holdSubmits = false;
    await dcServer!.close();
    await late.and(dc.locator('[data-state="rejected"]')).waitFor();
    const reason = (await late.locator('.state-reason').textContent()) ?? '';
    expect(reason).toContain('The exercise has ended (ENDEX)');
    expect(reason).toContain('(EXERCISE_ENDED)');
    expect(await late.locator('[data-testid="refused"]').count()).toBe(1);
    await screenshot(dc, 'washington-endex');
    await axe(dc, 'Washington after ENDEX');
  });
});
