// Translation at the operator consoles (issue 11, section 1), in real Chromium against a real relay: a
// message received in the other language gets "Translate"; the signed translation shows at the receiver
// beside the original (side by side on a desk, stacked on a phone) with who translated it, when, and how long
// after arrival; the sender's card says that the other station translated it and when; both cards' states
// gain the step. A second Beijing device enrolled from a `&role=translator` link says so before enrolling,
// then shows incoming messages with the Translate form only: no compose, no acknowledge, no call actions.
// Screens at 1366 and 390 px in both languages, axe on each. Needs `npm run build` first.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser, screenshot } from '../helpers/browser.js';
import { axe } from '../helpers/a11y.js';
import { startTestRelay } from '../helpers/relay.js';
import { announced, capture, enrol, useDesk } from './console-line-helpers.js';

const desk = useDesk();

const card = (page: Page, text: string) => page.locator('li.msg', { hasText: text });

async function send(page: Page, precedence: string, subject: string, body: string): Promise<void> {
  await page.click(`label[for="prec-${precedence}"]`);
  await page.fill('#compose-subject', subject);
  await page.fill('#compose-body', body);
  await page.press('#compose-body', 'Control+Enter');
  await card(page, subject).and(page.locator('[data-state="delivered"]')).waitFor();
}

async function translate(page: Page, original: string, subject: string, body: string): Promise<void> {
  const c = card(page, original);
  await c.locator('[data-testid="translate"]').click();
  const form = c.locator('[data-testid="translate-form"]');
  await form.waitFor();
  await form.locator('[data-testid="translate-subject"]').fill(subject);
  await form.locator('[data-testid="translate-body"]').fill(body);
  await form.locator('[data-testid="translate-send"]').click();
}

/** The translated step of a card's states: done (with a time) or pending. */
const translatedStep = (page: Page, subject: string) =>
  card(page, subject).locator('.states [data-state="translated"]');

/** Whether the original and the translation sit side by side (same top) rather than stacked. */
async function sideBySide(page: Page, subject: string): Promise<boolean> {
  const c = card(page, subject);
  const [a, b] = await Promise.all([
    c.locator('[data-testid="original"]').boundingBox(),
    c.locator('[data-testid="translation"]').boundingBox(),
  ]);
  return a !== null && b !== null && Math.abs(a.y - b.y) < 2 && b.x > a.x;
}

const EN_SUBJECT = 'Request for a call between ministers';
const EN_BODY = 'The Secretary asks for a call with the Minister within 24 hours about the incident at sea.';
const ZH_SUBJECT = '关于海上事件的通报';
const ZH_BODY = '我方舰艇于今日凌晨在南海与贵方驱逐舰近距离相遇，请贵方说明情况。';

describe('translation at the operator consoles', () => {
  it('translates a message at the receiving station; both sides see it, with who, when and how long', async () => {
    desk.relay = await startTestRelay();
    const b = desk.bj.page;
    const d = desk.dc.page;
    await enrol(b, desk.relay, 'beijing', 'Duty officer Li');
    await enrol(d, desk.relay, 'washington', 'Watch officer Smith');

    // Washington writes in English to Beijing, whose language is Chinese: a translation is due.
    await send(d, 'PRIORITY', EN_SUBJECT, EN_BODY);
    await card(b, EN_SUBJECT).waitFor();
    expect(await card(b, EN_SUBJECT).locator('[data-testid="translate"]').textContent()).toBe('翻译');
    expect(await translatedStep(b, EN_SUBJECT).textContent()).toBe('○本台已译出待定');
    expect(await translatedStep(d, EN_SUBJECT).textContent()).toBe('○Their station translated itpending');
    await translate(b, EN_SUBJECT, '请求两国防长通话', '美方防长请求在24小时内与中方防长就海上事件通话。');

    const at = card(b, EN_SUBJECT).and(b.locator('[data-translated="true"]'));
    await at.waitFor();
    expect(await at.locator('[data-testid="original"] .msg-text-label').textContent()).toBe('原文 · English (en)');
    expect(await at.locator('[data-testid="translation"] .msg-text-label').textContent()).toBe('译文 · 中文 (zh)');
    expect(await at.locator('[data-testid="translation"] .msg-body').textContent()).toBe(
      '美方防长请求在24小时内与中方防长就海上事件通话。',
    );
    expect(await at.locator('[data-testid="translation"] .msg-body').getAttribute('lang')).toBe('zh-Hans');
    expect(await at.locator('[data-testid="translated-by"]').textContent()).toMatch(
      /^北京（Duty officer Li）于 \d\d:\d\d:\d\dZ 译出，距收到 \d+ 秒$/,
    );
    expect(await at.locator('[data-testid="translate"]').count()).toBe(0);
    expect(await translatedStep(b, EN_SUBJECT).getAttribute('data-done')).toBe('true');
    expect(await sideBySide(b, EN_SUBJECT)).toBe(true);
    await capture(b, 'console-translation-side-by-side', 'zh', 'li.msg');
    await b.setViewportSize({ width: 390, height: 844 });
    expect(await sideBySide(b, EN_SUBJECT), 'stacked on a phone').toBe(false);
    await b.setViewportSize({ width: 1366, height: 800 });

    // The sender's card: Beijing translated it, when, and the translation one click away.
    const sent = card(d, EN_SUBJECT).and(d.locator('[data-translated="true"]'));
    await sent.waitFor();
    expect(await sent.locator('[data-testid="translated-by"]').textContent()).toMatch(
      /^Beijing translated it at \d\d:\d\d:\d\dZ, \d+ s after arrival$/,
    );
    expect(await translatedStep(d, EN_SUBJECT).getAttribute('data-done')).toBe('true');
    await announced(d, `Beijing translated your message ${EN_SUBJECT}`);
    await sent.locator('.msg-their-translation summary').click();
    expect(await sent.locator('.msg-their-translation .msg-body').textContent()).toContain('防长');
    await capture(d, 'console-translation-sender', 'en', 'li.msg');

    // The other way: Beijing writes in Chinese, Washington translates into English.
    await send(b, 'ROUTINE', ZH_SUBJECT, ZH_BODY);
    await card(d, ZH_SUBJECT).waitFor();
    await translate(
      d,
      ZH_SUBJECT,
      'Notice of the incident at sea',
      'Our ship met your destroyer at close range in the South China Sea early today. Please explain.',
    );
    const back = card(d, ZH_SUBJECT).and(d.locator('[data-translated="true"]'));
    await back.waitFor();
    expect(await back.locator('[data-testid="original"] .msg-text-label').textContent()).toBe('Original · 中文 (zh)');
    expect(await back.locator('[data-testid="translated-by"]').textContent()).toMatch(
      /^Translated by Washington \(Watch officer Smith\) at \d\d:\d\d:\d\dZ, \d+ s after arrival$/,
    );
    await card(b, ZH_SUBJECT).and(b.locator('[data-translated="true"]')).waitFor();
    expect(await card(b, ZH_SUBJECT).locator('[data-testid="translated-by"]').textContent()).toMatch(
      /^华盛顿已于 \d\d:\d\d:\d\dZ 译出，距收到 \d+ 秒$/,
    );
    await capture(d, 'console-translation-side-by-side', 'en', `li.msg[data-translated="true"]`);
  });

  it('enrols a translator device from its link; it translates and does nothing else', async () => {
    desk.relay = await startTestRelay();
    const b = desk.bj.page;
    const d = desk.dc.page;
    await enrol(b, desk.relay, 'beijing', 'Duty officer Li');
    await enrol(d, desk.relay, 'washington', 'Watch officer Smith');
    const tr = await openBrowser({ width: 1366, height: 800 });
    try {
      const p = tr.page;
      desk.watch(p);
      // The preview says what the link enrols, role included, before the code is used.
      const code = await desk.relay.issueCode('beijing');
      await p.goto(`${desk.relay.url}/console#code=${code}&role=translator`);
      await p.locator('[data-testid="enrol-preview"][data-status="found"]').waitFor();
      expect(await p.locator('[data-testid="preview-role"]').textContent()).toBe(
        'This device will enrol as a translator: it can translate incoming messages, nothing else.',
      );
      await axe(p, 'translator enrolment preview');
      await screenshot(p, 'console-translator-enrol-en-1366');
      await p.fill('#enrol-operator', 'Translator Zhou');
      await p.press('#enrol-operator', 'Enter');
      await p.locator('[data-testid="status"][data-link="open"]').waitFor();

      // The console of a translator: says so, no compose, no call actions, no acknowledging.
      await p.locator('[data-testid="console"][data-role="translator"]').waitFor();
      expect(await p.locator('[data-testid="role"]').textContent()).toBe(' · 译员');
      expect(await p.locator('[data-testid="translator-notice"]').textContent()).toContain('本设备登记为译员');
      expect(await p.locator('[data-testid="compose"]').isVisible()).toBe(false);
      expect(await p.locator('[data-testid="call-request-open"]').count()).toBe(0);
      expect(await p.locator('[data-testid="compose-jump"]').count()).toBe(0);

      await send(d, 'FLASH', EN_SUBJECT, EN_BODY);
      const c = card(p, EN_SUBJECT);
      await c.waitFor();
      expect(await c.locator('[data-testid="awaiting-ack"]').textContent()).toBe('▲ 待翻译');
      expect(await c.locator('[data-testid="ack"]').count()).toBe(0);
      expect(await p.locator('[data-testid="precedence-alarm"]').count()).toBe(0);
      expect(await p.locator('[data-testid="traffic-summary"]').textContent()).toBe('共 1 份电文 · 1 份待翻译');
      await c.locator('[data-testid="translate"]').click();
      await capture(p, 'console-translator', 'zh', 'li.msg');
      // Alt+A acknowledges nothing here: the operator's console still has it to do.
      await p.keyboard.press('Alt+A');
      const form = c.locator('[data-testid="translate-form"]');
      await form.locator('[data-testid="translate-subject"]').fill('请求两国防长通话');
      await form.locator('[data-testid="translate-body"]').fill('美方防长请求在24小时内就海上事件通话。');
      await form.locator('[data-testid="translate-send"]').click();
      await c.and(p.locator('[data-translated="true"]')).waitFor();
      expect(await c.locator('[data-testid="translated-by"]').textContent()).toMatch(
        /^北京（Translator Zhou）于 \d\d:\d\d:\d\dZ 译出，距收到 \d+ 秒$/,
      );
      expect(await p.locator('[data-testid="traffic-summary"]').textContent()).toBe('共 1 份电文 · 0 份待翻译');
      await capture(p, 'console-translator-translated', 'zh', 'li.msg');
      // In English: the header says Translator.
      await p.locator('[data-testid="lang-switch"]').click();
      expect(await p.locator('[data-testid="role"]').textContent()).toBe(' · Translator');
      expect(await p.locator('[data-testid="traffic-summary"]').textContent()).toBe(
        'Messages: 1 · awaiting translation: 0',
      );
      await capture(p, 'console-translator-translated', 'en', 'li.msg');

      // Beijing's operator sees the translation beside the original and still has the message to acknowledge;
      // Washington sees that Beijing translated it.
      const op = card(b, EN_SUBJECT).and(b.locator('[data-translated="true"]'));
      await op.waitFor();
      expect(await op.locator('[data-testid="translate"]').count()).toBe(0);
      expect(await op.locator('[data-testid="ack"]').count()).toBe(1);
      await card(d, EN_SUBJECT).and(d.locator('[data-translated="true"]')).waitFor();
      expect(await card(d, EN_SUBJECT).locator('.states [data-state="acknowledged"]').getAttribute('data-done')).toBe(
        'false',
      );
    } finally {
      await tr.close();
    }
  });
});
