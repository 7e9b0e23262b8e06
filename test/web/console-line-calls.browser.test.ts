// Call requests at the operator consoles (issue 11, section 1), in real Chromium against a real relay: Beijing
// (Chinese) and Washington (English) request, accept, propose another time and decline through the calls
// panel; the awaited side sees AWAITING YOUR ANSWER with the window counting down on line time, an alarm
// row and a polite announcement; the other side sees whose answer it waits for. A short window (1 minute of
// line time at compression 60) stands still while the exercise is paused, then lapses: both sides show it
// expired and whom it waited for. Screens at 1366 and 390 px in both languages, axe on each.
// Needs `npm run build` first (the relay serves dist/web).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestRelay } from '../helpers/relay.js';
import { announced, capture, dayFromNow, enrol, useDesk } from './console-line-helpers.js';

const desk = useDesk();

const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `15:00Z 3 Dec` and `12月3日 15:00Z` for a date and HH:MM. */
function when(date: string, hm: string): { en: string; zh: string } {
  const [, m = '1', d = '1'] = date.split('-');
  return { en: `${hm}Z ${Number(d)} ${MONTH[Number(m) - 1]}`, zh: `${Number(m)}月${Number(d)}日 ${hm}Z` };
}

async function requestCall(page: Page, level: string, subject: string, date: string, hm: string): Promise<void> {
  await page.click('[data-testid="call-request-open"]');
  const form = page.locator('[data-testid="call-request"]');
  await form.locator(`label[for="call-level-${level}"]`).click();
  await form.locator('[data-testid="call-subject"]').fill(subject);
  await form.locator('[data-testid="call-date"]').fill(date);
  await form.locator('[data-testid="call-time"]').fill(hm);
  await form.locator('[data-testid="call-send"]').click();
  await form.waitFor({ state: 'hidden' });
}

const call = (page: Page, subject: string) => page.locator('[data-testid="call"]', { hasText: subject });
const stateOf = async (page: Page, subject: string) =>
  (await call(page, subject).locator('[data-testid="call-state"]').textContent()) ?? '';
const steps = (page: Page, subject: string) =>
  call(page, subject)
    .locator('[data-testid="call-steps"] li')
    .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { action: string } }).dataset.action));

describe('call requests at the operator consoles', () => {
  it('request → accept, request → propose → accept, and decline, each state in words both sides read right', async () => {
    desk.relay = await startTestRelay();
    const b = desk.bj.page;
    const d = desk.dc.page;
    await enrol(b, desk.relay, 'beijing', 'Duty officer Li');
    await enrol(d, desk.relay, 'washington', 'Watch officer Smith');
    expect(await b.locator('[data-testid="calls-empty"]').textContent()).toContain('48 小时');
    expect(await d.locator('[data-testid="calls-empty"]').textContent()).toContain('48 h');

    // 1. Beijing asks for a deputies' call tomorrow at 15:00Z; Washington accepts it at that time.
    const day = dayFromNow(1);
    const at = when(day, '15:00');
    const first = 'Unsafe intercept over the South China Sea';
    await requestCall(b, 'deputy', first, day, '15:00');
    await call(b, first).and(b.locator('[data-turn="theirs"]')).waitFor();
    expect(await stateOf(b, first)).toBe('◌ 等待华盛顿答复');
    expect(await call(b, first).locator('[data-testid="call-turn"]').textContent()).toBe(
      '轮到对方：华盛顿答复之前，本台无需操作。',
    );
    const incoming = call(d, first).and(d.locator('[data-turn="yours"]'));
    await incoming.waitFor();
    expect(await stateOf(d, first)).toBe('▲ AWAITING YOUR ANSWER');
    expect(await incoming.locator('.call-by').textContent()).toBe('Deputies call requested by Beijing');
    expect(await incoming.getAttribute('class')).toContain('call-yours');
    await announced(d, `Call request from Beijing: Deputies, ${first}, for ${at.en}. Your answer is awaited.`);
    // The window counts down on line time (real time before STARTEX): 48 hours, closing on the day after.
    await expect
      .poll(() => incoming.locator('[data-testid="call-window"]').textContent())
      .toMatch(/^Window to answer: 47:59:\d\d left \(line time\), closes \d\d:\d\d:\d\dZ \d+ [A-Z][a-z]{2}$/);
    expect(await b.locator('[data-testid="call-window"]').first().textContent()).toMatch(
      /^答复时限：剩余 47:59:\d\d（线路时间），\d+月\d+日 \d\d:\d\d:\d\dZ 截止$/,
    );
    // An alarm row (not a FLASH: no pulse) leads to the call.
    const alarm = d.locator('[data-testid="call-alarm"]');
    expect(await alarm.locator('.alarm-title').textContent()).toMatch(
      /^Call request from Beijing awaits your answer: /,
    );
    expect(await b.locator('[data-testid="call-alarm"]').count()).toBe(0);
    await alarm.locator('[data-testid="call-alarm-show"]').click();
    await expect
      .poll(() =>
        incoming.evaluate(
          (el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        ),
      )
      .toBe(true);
    await capture(d, 'console-call-incoming', 'en', '[data-testid="call"]');
    await capture(b, 'console-call-awaiting-them', 'zh', '[data-testid="call"]');
    // Accept at the time on the table.
    expect(await incoming.locator('[data-testid="call-date"]').inputValue()).toBe(day);
    expect(await incoming.locator('[data-testid="call-time"]').inputValue()).toBe('15:00');
    await incoming.locator('[data-testid="call-accept"]').click();
    for (const p of [b, d]) await call(p, first).and(p.locator('[data-state="accepted"]')).waitFor();
    expect(await stateOf(d, first)).toBe(`✔ ACCEPTED: call at ${at.en}`);
    expect(await stateOf(b, first)).toBe(`✔ 已接受：通话时间 ${at.zh}`);
    await announced(b, `华盛顿已接受通话“${first}”：${at.zh}。`);
    expect(await alarm.count()).toBe(0);
    expect(await steps(b, first)).toEqual(['request', 'accept']);
    await capture(b, 'console-call-accepted', 'zh', '[data-testid="call"]');
    await capture(d, 'console-call-accepted', 'en', '[data-testid="call"]');

    // 2. Washington asks; Beijing proposes another time with a note; Washington accepts that time.
    const second = 'Working-level talks on the collision';
    await requestCall(d, 'working', second, day, '09:30');
    const atBeijing = call(b, second).and(b.locator('[data-turn="yours"]'));
    await atBeijing.waitFor();
    expect(await stateOf(b, second)).toBe('▲ 等待本台答复');
    await announced(b, `华盛顿请求通话：工作级，${second}，提议 ${when(day, '09:30').zh}。等待本台答复。`);
    await capture(b, 'console-call-incoming', 'zh', '[data-testid="call"]');
    // Proposing the same time is refused here, before anything is signed.
    await atBeijing.locator('[data-testid="call-propose"]').click();
    expect(await atBeijing.locator('[data-testid="call-answer-error"]').textContent()).toBe('请先修改时间，再另提。');
    await atBeijing.locator('[data-testid="call-time"]').fill('16:30');
    await atBeijing.locator('[data-testid="call-note"]').fill('上午部长有会');
    // Enter in the note accepts nothing (the steps below would show it): the answer is the button's.
    await atBeijing.locator('[data-testid="call-note"]').press('Enter');
    await atBeijing.locator('[data-testid="call-propose"]').click();
    const back = call(d, second).and(d.locator('[data-turn="yours"]'));
    await back.waitFor();
    await call(b, second).and(b.locator('[data-turn="theirs"]')).waitFor();
    expect(await back.locator('.call-proposed').textContent()).toBe(`Time on the table: ${when(day, '16:30').en}`);
    await announced(d, `Beijing proposes ${when(day, '16:30').en} for the call ${second}. Your answer is awaited.`);
    expect(await back.locator('[data-testid="call-time"]').inputValue()).toBe('16:30');
    await back.locator('[data-testid="call-accept"]').click();
    for (const p of [b, d]) await call(p, second).and(p.locator('[data-state="accepted"]')).waitFor();
    expect(await stateOf(d, second)).toBe(`✔ ACCEPTED: call at ${when(day, '16:30').en}`);
    expect(await steps(d, second)).toEqual(['request', 'propose', 'accept']);
    expect(await call(d, second).locator('.call-note').textContent()).toBe(' · Note: 上午部长有会');

    // 3. Beijing asks; Washington declines, with a reason.
    const third = 'Principals on the missile test';
    await requestCall(b, 'principal', third, dayFromNow(2), '02:00');
    const decline = call(d, third).and(d.locator('[data-turn="yours"]'));
    await decline.waitFor();
    await decline.locator('[data-testid="call-note"]').fill('The Secretary is travelling.');
    await decline.locator('[data-testid="call-decline"]').click();
    for (const p of [b, d]) await call(p, third).and(p.locator('[data-state="declined"]')).waitFor();
    expect(await stateOf(b, third)).toBe('✖ 华盛顿已拒绝');
    expect(await stateOf(d, third)).toBe('✖ DECLINED by Washington');
    await announced(b, `华盛顿已拒绝通话“${third}”。`);
    // Open calls first, then closed ones newest first: all three are closed now.
    expect(await b.locator('[data-testid="call"] h3').allTextContents()).toEqual([third, second, first]);

    // Four requests open at once is the limit: the fifth is refused in the form, before anything is signed.
    for (const n of [1, 2, 3, 4]) await requestCall(b, 'working', `Open request ${n}`, dayFromNow(3), '10:00');
    for (const n of [1, 2, 3, 4]) await call(d, `Open request ${n}`).and(d.locator('[data-turn="yours"]')).waitFor();
    expect(await d.locator('[data-testid="call-alarm"]').count()).toBe(4);
    await b.click('[data-testid="call-request-open"]');
    const form = b.locator('[data-testid="call-request"]');
    await form.locator('[data-testid="call-subject"]').fill('One too many');
    await form.locator('[data-testid="call-send"]').click();
    expect(await b.locator('[data-testid="call-request-error"]').textContent()).toMatch(
      /^被拒绝：.*\(PROCEDURE_STATE\)$/,
    );
    expect(await call(d, 'One too many').count()).toBe(0);
  });

  it('stands still while paused, then expires unanswered at a short window: both sides say so', async () => {
    desk.relay = await startTestRelay();
    const trainer = await desk.relay.trainer();
    // One minute of line time; at compression 60 that is one real second once the exercise runs.
    await trainer.setProcedures('dtl', { line: { callWindowMs: 60_000 } });
    const b = desk.bj.page;
    const d = desk.dc.page;
    await enrol(b, desk.relay, 'beijing', 'Duty officer Wang');
    await enrol(d, desk.relay, 'washington', 'Watch officer Brown');
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    await trainer.setState('dtl', { state: 'paused' });
    for (const p of [b, d]) await p.waitForSelector('[data-testid="exercise-clock"][data-phase="paused"]');
    const subject = 'Call before the exercise resumes';
    await requestCall(b, 'principal', subject, dayFromNow(1), '08:00');
    const pending = call(d, subject).and(d.locator('[data-turn="yours"]'));
    await pending.waitFor();
    await expect
      .poll(() => pending.locator('[data-testid="call-window"]').textContent())
      .toBe('Window to answer: 1:00 left, standing still while the exercise clock is stopped');
    await expect
      .poll(() => b.locator('[data-testid="call-window"]').first().textContent())
      .toBe('答复时限：剩余 1:00；演习时钟停止期间暂停计时');
    expect(await d.locator('[data-testid="call-alarm"] .countdown').textContent()).toBe(
      '1:00 · exercise clock stopped',
    );
    // Still there, still awaiting, a moment later: the window does not run while paused.
    await d.waitForTimeout(1_500);
    expect(await pending.getAttribute('data-state')).toBe('awaiting');

    await trainer.setState('dtl', { state: 'running' });
    for (const p of [b, d])
      await call(p, subject).and(p.locator('[data-state="expired"]')).waitFor({ timeout: 15_000 });
    expect(await stateOf(b, subject)).toBe('■ 已过期：华盛顿未在时限内答复');
    expect(await stateOf(d, subject)).toBe('■ EXPIRED: you did not answer in time');
    expect(await steps(d, subject)).toEqual(['request', 'expired']);
    expect(await d.locator('[data-testid="call-answer"]').count()).toBe(0);
    expect(await d.locator('[data-testid="call-alarm"]').count()).toBe(0);
    await announced(b, `通话请求“${subject}”已过期，未获答复。`);
    await capture(b, 'console-call-expired', 'zh', '[data-testid="call"]');
    await capture(d, 'console-call-expired', 'en', '[data-testid="call"]');
  });
});
