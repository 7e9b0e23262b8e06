// The trainer names each message state as the operator consoles do (docs/PROTOCOL.md section 11), in real
// Chromium against a real relay: in the Live view's console columns (the sender's and the receiver's words)
// and in the Response times tab (column headings, status), never the old Queued / Accepted / Delivered /
// Received, which let "the relay logged it" read as "the other station has it". Screenshot.
// Needs the built pages: run `npm run build` first (npm test does).
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { en } from '../../web/src/console/strings.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';
import { requireBuiltTrainer, signInTrainer } from '../helpers/trainer-page.js';

const WAIT = { timeout: 10_000 };
const TIME = String.raw`\d{2}:\d{2}:\d{2}Z`;
/**
 * The labels the trainer used before, alone, with a time or pending after them (the incoming "accepted" was
 * "Received"): each reads as if the other station had the message, or says less than it proves.
 */
const OLD = /^[✓○⚠ ]*(Queued|Accepted|Delivered|Acknowledged|Received)(,|:|$| \d| after)/;

/** Each step of a message's state list: its words and its time, as shown. */
async function steps(msg: Locator): Promise<string[]> {
  return (await msg.locator('ol.states li').allTextContents()).map((t) => t.replace(/^[✓○]/, '').trim());
}

describe('the trainer’s words for message states', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  let beijing: HotlineClient;
  let washington: HotlineClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuiltTrainer();
    relay = await startTestRelay();
    ({ beijing, washington } = await startPair(relay));
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await Promise.all([beijing?.stop(), washington?.stop()]);
    await browser?.close();
    await relay?.cleanup();
  });

  it('are the consoles’ own, for the sender and the receiver, live and in the response times', async () => {
    const flash = await beijing.send({ precedence: 'FLASH', subject: 'Alpha', body: 'Request an immediate call.' });
    await until(() => washington.conversation.messages.get(flash.id)?.hash !== undefined, 10_000, 'flash arrives');
    await washington.acknowledge(flash.id, 'Standing by');
    await until(
      () => beijing.conversation.messages.get(flash.id)?.states.acknowledged !== undefined,
      10_000,
      'flash acknowledged',
    );
    const routine = await washington.send({ precedence: 'ROUTINE', subject: 'Bravo', body: 'Hourly line check.' });
    await until(
      () => washington.conversation.messages.get(routine.id)?.states.delivered !== undefined,
      10_000,
      'routine delivered',
    );

    await signInTrainer(page, relay);
    await page.goto(`${relay.url}/trainer#/exercises/dtl/live`);
    const bj = page.locator('section.console[data-station="beijing"]');
    const wa = page.locator('section.console[data-station="washington"]');
    const flashOut = bj.locator(`li.msg[data-message-id="${flash.id}"]`);
    const flashIn = wa.locator(`li.msg[data-message-id="${flash.id}"]`);
    const routineOut = wa.locator(`li.msg[data-message-id="${routine.id}"]`);
    const routineIn = bj.locator(`li.msg[data-message-id="${routine.id}"]`);
    await flashOut.locator('.state-acknowledged.done').waitFor(WAIT);
    await flashIn.locator('.state-acknowledged.done').waitFor(WAIT);
    await routineIn.locator('.state-delivered.done').waitFor(WAIT);

    // The sender's column: the four steps in the sending console's words, each with its time.
    const out = await steps(flashOut);
    expect(out).toHaveLength(4);
    [en.stateQueued, en.stateAccepted, en.stateDelivered, en.stateAcknowledged].forEach((w, i) =>
      expect(out[i]).toMatch(new RegExp(`^${w} ${TIME}$`)),
    );
    expect(out[1]).toMatch(/^Relay logged it /);
    expect(out[2]).toMatch(/^Their console verified it /);
    expect(out[3]).toMatch(/^Their operator acknowledged it /);
    // The receiver's column: its own receipts, in the receiving console's words.
    const inc = await steps(flashIn);
    expect(inc).toHaveLength(3);
    [en.stateInLogged, en.stateInDelivered, en.stateInAcknowledged].forEach((w, i) =>
      expect(inc[i]).toMatch(new RegExp(`^${w} ${TIME}$`)),
    );
    expect(inc[1]).toMatch(/^Received and verified here /);
    // Not acknowledged yet: the step still pending, in the same words.
    expect((await steps(routineOut))[3]).toBe(`${en.stateAcknowledged}: pending`);
    expect((await steps(routineIn))[2]).toBe(`${en.stateInAcknowledged}: pending`);
    for (const msg of [flashOut, flashIn, routineOut, routineIn])
      for (const step of await steps(msg)) expect(step).not.toMatch(OLD);
    await screenshot(page, 'trainer-words-live');

    await page.getByRole('link', { name: 'Response times' }).click();
    const table = page.locator('table.per-message');
    await table.waitFor(WAIT);
    const heads = await table.locator('thead th').allTextContents();
    expect(heads).toEqual(
      expect.arrayContaining([
        `${en.stateAccepted} after`,
        `${en.stateDelivered} after`,
        `${en.stateAcknowledged} after`,
      ]),
    );
    for (const head of heads) expect(head).not.toMatch(OLD);
    const status = await table.locator('tbody tr td:last-child').allTextContents();
    expect(status).toEqual([`✓ ${en.stateAcknowledged}`, `○ ${en.stateDelivered}; not acknowledged yet`]);
    for (const s of status) expect(s).not.toMatch(OLD);
    const legend = await page.locator('.chart-legend li').allTextContents();
    expect(legend).toEqual([
      `${en.stateAccepted} (after signing)`,
      `${en.stateDelivered} (after logging)`,
      `${en.stateAcknowledged} (after logging)`,
    ]);
    await screenshot(page, 'trainer-words-responses');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
