// Link tests at the operator consoles (issue 11, section 1), in real Chromium against a real relay that tests
// each station's link every 1.5 s with 0.5 s to answer: both consoles answer by themselves and show the last
// test's time and round trip; with Washington's console closed, the relay records the misses and Beijing
// raises an alert naming Washington and the times; Washington, opened again, shows the same alarm for its own
// station; each operator clears it, and a cleared alarm stays cleared after a reload. Screens at 1366 and 390
// px in both languages, axe on each. Needs `npm run build` first (the relay serves dist/web).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestRelay } from '../helpers/relay.js';
import { capture, enrol, useDesk } from './console-line-helpers.js';

const desk = useDesk();

const alarmFor = (page: Page, station: string) => page.locator(`[data-testid="link-alarm"][data-station="${station}"]`);

/** Clears every link alarm the page shows (a test may be missed while a console is still connecting). */
async function clearAll(page: Page): Promise<void> {
  for (const button of await page.locator('[data-testid="link-alarm-clear"]').all()) await button.click();
  await page.locator('[data-testid="link-alarm"]').first().waitFor({ state: 'detached' });
}

/** Waits until the station's console has answered a test after `after` tests (its round trip is shown). */
async function answered(page: Page, after = 0): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const health = (
        globalThis as unknown as {
          document: { querySelector(s: string): { dataset: Record<string, string>; textContent: string } | null };
        }
      ).document.querySelector('[data-testid="link-health"]');
      return Number(health?.dataset['tests'] ?? 0) > n && /\d/.test(health?.textContent ?? '');
    },
    after,
    { timeout: 15_000 },
  );
  await page.locator('[data-testid="link-test-rtt"]').waitFor({ state: 'visible' });
}

describe('link tests at the operator consoles', () => {
  it('answers them by itself, shows the link health, and raises a missed test at both consoles', async () => {
    desk.relay = await startTestRelay();
    await (
      await desk.relay.trainer()
    ).setProcedures('dtl', { line: { linkTestIntervalMs: 1_500, linkTestTimeoutMs: 500 } });
    const b = desk.bj.page;
    const d = desk.dc.page;
    await enrol(b, desk.relay, 'beijing', 'Duty officer Li');
    await enrol(d, desk.relay, 'washington', 'Watch officer Smith');

    // Both consoles answer: the last test's time and round trip, in each language.
    await answered(b);
    await answered(d);
    expect(await b.locator('[data-testid="link-test-last"]').textContent()).toMatch(/^最近 \d\d:\d\d:\d\dZ/);
    expect(await b.locator('[data-testid="link-test-rtt"]').textContent()).toMatch(/^\d+ 毫秒$/);
    expect(await d.locator('[data-testid="link-test-rtt"]').textContent()).toMatch(/^\d+ ms$/);
    expect(await d.locator('[data-testid="link-health"] .status-label').textContent()).toBe('Link test');
    // A test may have been missed while a console was still connecting: start from no alarm.
    for (const page of [b, d]) if (await page.locator('[data-testid="link-alarm"]').count()) await clearAll(page);

    // Washington's console goes away: it cannot answer, and the relay records the miss.
    await d.goto('about:blank');
    const atBeijing = alarmFor(b, 'washington');
    await atBeijing.waitFor({ timeout: 15_000 });
    expect(await b.locator('[data-testid="link-alarms"]').getAttribute('role')).toBe('alert');
    expect(await atBeijing.locator('.alarm-title').textContent()).toBe('线路测试未应答：华盛顿');
    expect(await atBeijing.locator('.alarm-sub').textContent()).toMatch(
      /^华盛顿未在 500 毫秒 内应答中继于 \d\d:\d\d:\d\dZ 发出的线路测试；\d\d:\d\d:\d\dZ 记为未应答。 · 共 \d+ 次未应答$/,
    );
    await capture(b, 'console-link-missed', 'zh');

    // Washington, opened again from this browser's store, shows the alarm for its own station.
    await d.goto(`${desk.relay.url}/console`);
    await d.locator('[data-testid="status"][data-link="open"]').waitFor();
    const atWashington = alarmFor(d, 'washington');
    await atWashington.waitFor();
    expect(await atWashington.locator('.alarm-title').textContent()).toBe('LINK TEST MISSED: Washington');
    expect(await atWashington.locator('.alarm-sub').textContent()).toMatch(
      /^Washington did not answer the relay’s link test of \d\d:\d\d:\d\dZ within 500 ms; missed at \d\d:\d\d:\d\dZ\. · \d+ missed in all$/,
    );
    const missed = d.locator('[data-testid="link-test-missed"]');
    expect(await missed.textContent()).toMatch(/^missed [1-9]\d*$/);
    expect(await missed.getAttribute('class')).toContain('status-bad');
    // Back on the line, it answers again.
    const tests = Number(await d.locator('[data-testid="link-health"]').getAttribute('data-tests'));
    await answered(d, tests);
    await capture(d, 'console-link-missed', 'en');

    // Beijing's operator clears the alarm: gone, and still gone after a reload; Washington's stays.
    await atBeijing.locator('[data-testid="link-alarm-clear"]').click();
    await atBeijing.waitFor({ state: 'detached' });
    await b.reload();
    await b.locator('[data-testid="status"][data-link="open"]').waitFor();
    await answered(b);
    expect(await alarmFor(b, 'washington').count()).toBe(0);
    expect(await atWashington.count()).toBe(1);
    await atWashington.locator('[data-testid="link-alarm-clear"]').click();
    await atWashington.waitFor({ state: 'detached' });
  });
});
