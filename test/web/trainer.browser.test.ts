// The trainer console (/trainer) in real Chromium against a real relay: sign in, create an exercise, issue
// enrolment links and enrol two consoles with them, watch the exchange live (and an overdue alarm with the
// page clock moved on), replay it at 16x with seeking and keyboard shortcuts, response times, export, and
// replays of the exported file and of a tampered copy. axe-core on every screen; a screenshot of each.
// Needs the built pages: run `npm run build` first (npm test does).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { axe } from '../helpers/a11y.js';
import { backgroundOf, openBrowser, screenshot, SCREENSHOTS, type Browser } from '../helpers/browser.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';
import { nowSeconds, tokenForger } from '../helpers/trainer-tokens.js';

const EXERCISE = 'ex-north';
const WAIT = { timeout: 10_000 };

describe('trainer console in Chromium', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  let secret: string;
  let trainerUrl: string;
  const clients: HotlineClient[] = [];
  const shots: string[] = [];
  let exportedFile = '';
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const built = path.resolve('dist/web/trainer.html');
    if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/trainer-')) {
      throw new Error('The trainer console is not built: run `npm run build` first.');
    }
    relay = await startTestRelay();
    secret = relay.newTrainerSecret!;
    trainerUrl = `${relay.url}/trainer`;
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text()))
        cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await browser?.close();
    await relay?.cleanup();
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await screenshot(page, `trainer-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
  });

  it('signs in with the trainer secret; the token stays in sessionStorage, never in the URL', async () => {
    await page.goto(trainerUrl);
    await page.getByRole('heading', { name: 'Trainer sign-in' }).waitFor(WAIT);
    await axe(page, 'sign-in');
    shots.push(await screenshot(page, 'trainer-1-sign-in'));

    await page.getByLabel('Your name').fill('Trainer One');
    await page.getByLabel('Trainer secret').fill('hts_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The trainer secret is wrong.').waitFor(WAIT);

    await page.getByLabel('Trainer secret').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Exercises', level: 1 }).waitFor(WAIT);
    await page.getByRole('cell', { name: 'dtl', exact: true }).waitFor(WAIT);
    const stored = await page.evaluate<string | null>("sessionStorage.getItem('hotline.trainer.session')");
    const { token } = JSON.parse(stored!) as { token: string };
    expect(token).toMatch(/^ey/);
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
  });

  it('creates an exercise and issues an enrolment link for each station', async () => {
    await page.getByLabel('Exercise ID').fill(EXERCISE);
    await page.getByLabel('Title').fill('Northern maritime incident');
    await page.getByLabel('Classification line').fill('UNCLASSIFIED // EXERCISE NORTH');
    await axe(page, 'exercises');
    shots.push(await screenshot(page, 'trainer-2-exercises'));
    await page.getByRole('button', { name: 'Create exercise' }).click();
    await page.getByRole('heading', { name: 'Enrolment links and keys' }).waitFor(WAIT);
    expect(page.url()).toContain(`#/exercises/${EXERCISE}/enrolment`);
    const marking = page.getByText('UNCLASSIFIED // EXERCISE NORTH');
    await marking.waitFor(WAIT);
    // The same class, and so the same colour, as the operator console's banner (web/src/common/palette.css).
    expect(await marking.getAttribute('class')).toBe('classification level-unclassified');
    expect(await backgroundOf(marking)).toBe('rgb(26, 127, 55)');

    const codes: Record<string, string> = {};
    for (const [station, label] of [
      ['beijing', 'Beijing'],
      ['washington', 'Washington'],
    ] as const) {
      await page.getByRole('button', { name: `Issue link for ${label}` }).click();
      const input = page.locator(`input.link[data-station="${station}"]`);
      await input.waitFor(WAIT);
      const link = await input.inputValue();
      expect(link).toMatch(new RegExp(`^${relay.url}/console#code=[0-9A-Z-]{30,}$`));
      codes[station] = new URL(link).hash.replace('#code=', '');
    }
    await page.getByRole('button', { name: 'Copy link' }).first().click();
    await page
      .getByText(/Copied to the clipboard|press Ctrl\+C/)
      .first()
      .waitFor(WAIT);

    for (const station of ['beijing', 'washington'] as const) {
      const code = codes[station]!;
      const client = await enrolClient({ url: relay.url, issueCode: async () => code }, station, {}, EXERCISE);
      clients.push(client);
    }
    await page.getByRole('cell', { name: 'beijing operator' }).waitFor(WAIT);
    await page.getByRole('cell', { name: 'washington operator' }).waitFor(WAIT);
    await axe(page, 'enrolment');
    shots.push(await screenshot(page, 'trainer-3-enrolment'));
  });

  it('shows both consoles live: presence, messages in order, precedence, states with times', async () => {
    const [beijing, washington] = clients as [HotlineClient, HotlineClient];
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('heading', { name: 'Latest entries' }).waitFor(WAIT);
    const bj = page.locator('section.console[data-station="beijing"]');
    const wa = page.locator('section.console[data-station="washington"]');
    await bj.getByText('Console offline').waitFor(WAIT);

    beijing.start();
    washington.start();
    await bj.getByText('Console online').waitFor(WAIT);
    await wa.getByText('Console online').waitFor(WAIT);

    const flash = await beijing.send({
      precedence: 'FLASH',
      subject: 'Alpha',
      body: 'Unidentified vessel in the strait. Request an immediate call.',
    });
    await until(() => washington.conversation.messages.get(flash.id)?.hash !== undefined, 10_000, 'flash arrives');
    await washington.acknowledge(flash.id, 'Received, calling back');
    await until(
      () => beijing.conversation.messages.get(flash.id)?.states.acknowledged !== undefined,
      10_000,
      'flash acknowledged',
    );
    const imm = await washington.send({
      precedence: 'IMMEDIATE',
      subject: 'Bravo',
      body: 'Confirm the position of your patrol group.',
    });
    await until(
      () => washington.conversation.messages.get(imm.id)?.states.delivered !== undefined,
      10_000,
      'immediate delivered',
    );
    await beijing.send({ precedence: 'ROUTINE', body: 'Hourly line check.' });

    await expect.poll(() => bj.locator('li.msg').count(), WAIT).toBe(3);
    await expect.poll(() => wa.locator('li.msg').count(), WAIT).toBe(3);
    await bj.locator('li.msg').nth(2).locator('.state-delivered.done').waitFor(WAIT);
    const flashOut = bj.locator(`li.msg[data-message-id="${flash.id}"]`);
    await flashOut.locator('.state-acknowledged.done').waitFor(WAIT);
    expect(await flashOut.locator('.prec').textContent()).toBe('FLASH');
    expect(await flashOut.locator('.dir').textContent()).toBe('OUT → Washington');
    expect(await flashOut.locator('.dtg').textContent()).toMatch(/^\d{6}Z [A-Z]{3} \d{2}$/);
    expect(await flashOut.locator('.state-acknowledged').textContent()).toMatch(
      /^✓Their operator acknowledged it \d{2}:\d{2}:\d{2}Z$/,
    );
    expect(await flashOut.textContent()).toContain('Received, calling back');
    const immIn = bj.locator(`li.msg[data-message-id="${imm.id}"]`);
    expect(await immIn.locator('.dir').textContent()).toBe('IN ← Washington');
    await immIn.locator('.state-delivered.done').waitFor(WAIT);
    expect(await immIn.locator('.state-acknowledged').textContent()).toContain('pending');
    await immIn.getByText(/Acknowledgement due by/).waitFor(WAIT);
    // Order: as logged, on both sides.
    expect(await wa.locator('li.msg .prec').allTextContents()).toEqual(['FLASH', 'IMMEDIATE', 'ROUTINE']);
    await page.getByText('No alarms.').waitFor(WAIT);
    await expect
      .poll(() => page.locator('#announcer').textContent(), WAIT)
      .toMatch(/ROUTINE message Beijing → Washington|confirmed delivery/);
    await axe(page, 'live');
    shots.push(await screenshot(page, 'trainer-4-live'));
  });

  it('renews its token before it expires and keeps the live view when the relay closes the old one', async () => {
    const washington = clients[1]!;
    // A token of this session that lives 3 to 4 s, made with the relay's key; then the page starts on it.
    const exp = nowSeconds() + 4;
    const short = await (await tokenForger(relay.dataDir))({ exp });
    const entry = JSON.stringify({ token: short, expiresAt: new Date(exp * 1000).toISOString() });
    await page.evaluate(`sessionStorage.setItem('hotline.trainer.session', ${JSON.stringify(entry)})`);
    await page.reload();
    await page.getByRole('heading', { name: 'Latest entries' }).waitFor(WAIT);
    const bj = page.locator('section.console[data-station="beijing"]');
    const wa = page.locator('section.console[data-station="washington"]');
    await expect.poll(() => bj.locator('li.msg').count(), WAIT).toBe(3);
    const stored = async () => {
      const raw = await page.evaluate<string | null>("sessionStorage.getItem('hotline.trainer.session')");
      return (JSON.parse(raw ?? '{}') as { token?: string }).token;
    };
    // Renewed halfway through: another token of the same sign-in.
    await expect.poll(stored, WAIT).not.toBe(short);
    expect(decodeJwt((await stored())!).auth_time).toBe(decodeJwt(short).auth_time);
    // Past the first token's expiry the relay has closed the observer that used it; presence still reaches
    // the page, so it observes again, with the renewed token.
    await until(() => Date.now() > exp * 1000 + 500, 6_000, 'the first token expired');
    await washington.stop();
    await wa.getByText('Console offline').waitFor(WAIT);
    washington.start();
    await wa.getByText('Console online').waitFor(WAIT);
    await page.getByText(/Live: connected to the relay/).waitFor(WAIT);
    // The same view: nothing twice, nothing lost, still signed in.
    expect(await bj.locator('li.msg').count()).toBe(3);
    expect(await wa.locator('li.msg').count()).toBe(3);
    expect(await page.getByRole('heading', { name: 'Trainer sign-in' }).count()).toBe(0);
  });

  it('replays the verified log at 16x, seeks by marker and by dragging, and shows both sides as they were', async () => {
    await page.getByRole('link', { name: 'Replay', exact: true }).click();
    await page.getByRole('heading', { name: /Log verified: ready to play/ }).waitFor(WAIT);
    const entries = Number((await page.locator('.verification dd').nth(2).textContent())!.split(' ')[0]);
    // Created, 2 enrolments, 3 messages, 3 delivered receipts, 1 acknowledgement.
    expect(entries).toBe(10);
    const count = page.locator('#replay-clock .count');
    await expect.poll(() => count.textContent(), WAIT).toBe(`1 of ${entries} entries`);

    await page.getByLabel('Speed').selectOption('16');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor(WAIT);
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).toBe(`${entries} of ${entries} entries`);
    await page.getByRole('button', { name: 'Play' }).waitFor(WAIT);
    const bj = page.locator('.player section.console[data-station="beijing"]');
    const wa = page.locator('.player section.console[data-station="washington"]');
    await expect.poll(() => bj.locator('li.msg').count()).toBe(3);
    expect(await bj.locator('li.msg').first().locator('.state-acknowledged.done').count()).toBe(1);

    // Click the FLASH marker: at that instant it is logged, not yet delivered or acknowledged, on both sides.
    await page.locator('.marker.kind-message.prec-flash').click();
    await expect.poll(() => bj.locator('li.msg').count(), WAIT).toBe(1);
    const out = bj.locator('li.msg').first();
    expect(await out.locator('.dir').textContent()).toBe('OUT → Washington');
    expect(await out.locator('.state-accepted.done').count()).toBe(1);
    expect(await out.locator('.state-delivered').textContent()).toContain('pending');
    const inc = wa.locator('li.msg').first();
    expect(await inc.locator('.dir').textContent()).toBe('IN ← Beijing');
    expect(await inc.locator('.state-delivered').textContent()).toContain('pending');
    expect(await inc.locator('.state-acknowledged').textContent()).toContain('pending');

    // The acknowledgement marker: now acknowledged on both sides, IMMEDIATE not yet sent.
    await page.locator('.marker.kind-acknowledged').click();
    await out.locator('.state-acknowledged.done').waitFor(WAIT);
    await inc.locator('.state-acknowledged.done').waitFor(WAIT);
    expect(await wa.locator('li.msg').count()).toBe(1);

    // Drag the thumb from the start to the end of the timeline.
    const range = page.locator('#replay-position');
    await page.keyboard.press('Home');
    await expect.poll(() => count.textContent(), WAIT).toBe(`1 of ${entries} entries`);
    const box = (await range.boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => count.textContent(), WAIT).toBe(`${entries} of ${entries} entries`);
    await expect.poll(() => wa.locator('li.msg').count(), WAIT).toBe(3);

    await page.locator('.marker.kind-message.prec-immediate').click();
    await page.getByRole('heading', { name: 'Player', exact: true, level: 3 }).click();
    await axe(page, 'replay');
    shots.push(await screenshot(page, 'trainer-5-replay'));
  });

  it('answers the player keyboard shortcuts', async () => {
    const count = page.locator('#replay-clock .count');
    const speed = page.getByLabel('Speed');
    const play = page.locator('.player button.play');
    await page.locator('#player').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => count.textContent(), WAIT).toMatch(/^1 of/);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => count.textContent(), WAIT).toMatch(/^2 of/);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => count.textContent(), WAIT).toMatch(/^3 of/);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => count.textContent(), WAIT).toMatch(/^2 of/);
    const before = Number(await page.locator('#replay-position').inputValue());
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => Number(await page.locator('#replay-position').inputValue()), WAIT)
      .toBeGreaterThan(before);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');

    expect(await speed.inputValue()).toBe('16');
    await page.keyboard.press('+');
    expect(await speed.inputValue()).toBe('32');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await speed.inputValue()).toBe('64');
    await page.keyboard.press('-');
    expect(await speed.inputValue()).toBe('32');
    for (let i = 0; i < 6; i++) await page.keyboard.press('-');
    expect(await speed.inputValue()).toBe('1');

    await page.keyboard.press('Space');
    expect(await play.textContent()).toBe('Pause');
    await page.keyboard.press('Space');
    expect(await play.textContent()).toBe('Play');
    await page.keyboard.press('End');
    await expect.poll(() => count.textContent(), WAIT).toMatch(/^(\d+) of \1 entries$/);
    await page.keyboard.press('i');
    expect(await page.getByLabel(/Collapse idle stretches/).isChecked()).toBe(false);
    await page.keyboard.press('i');
    expect(await page.getByLabel(/Collapse idle stretches/).isChecked()).toBe(true);
    expect(await page.locator('.replay-state').textContent()).toMatch(/^Paused at 1x/);
  });

  it('shows response times with the after-action summary and the chart', async () => {
    await page.getByRole('link', { name: 'Response times' }).click();
    await page.getByRole('heading', { name: 'After-action summary' }).waitFor(WAIT);
    const figure = (name: string) =>
      page
        .locator('.figure')
        .filter({ has: page.getByText(name, { exact: true }) })
        .locator('dd');
    expect(await figure('Messages').textContent()).toBe('3');
    expect(await figure('Acknowledged').textContent()).toBe('1 of 3');
    expect(await figure('Unacknowledged').textContent()).toBe('2');
    expect(
      await figure('Overdue (FLASH > 10 min, IMMEDIATE > 30 min, PRIORITY > 3 h, ROUTINE > 6 h)').textContent(),
    ).toBe('0');
    expect(await figure('Median acknowledgement').textContent()).toMatch(/ms|s$/);
    const byPrecedence = page.getByRole('table', { name: 'By precedence' });
    expect(await byPrecedence.locator('tbody tr').count()).toBe(4);
    expect(await byPrecedence.locator('tbody tr').first().locator('td').first().textContent()).toBe('1');
    await page.locator('.chart-plot canvas').waitFor(WAIT);
    expect(await page.getByRole('table', { name: 'Per message' }).locator('tbody tr').count()).toBe(3);
    await axe(page, 'response times');
    shots.push(await screenshot(page, 'trainer-6-response-times'));
  });

  it('exports the log through fetch with the Authorization header, as the API serves it', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.getByRole('button', { name: /Export log/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${EXERCISE}.hotline.jsonl`);
    exportedFile = path.join(SCREENSHOTS, '..', `${EXERCISE}.hotline.jsonl`);
    await download.saveAs(exportedFile);
    const text = readFileSync(exportedFile, 'utf8');
    const report = await verifyExport(text);
    expect(report.ok).toBe(true);
    const served = await (await (await relay.trainer()).exportBlob(EXERCISE)).text();
    const body = (t: string) => t.trim().split('\n').slice(1, -1);
    expect(body(text)).toEqual(body(served).slice(0, body(text).length));
    await page.getByText(/Exported \d+ KiB/).waitFor(WAIT);
  });

  it('replays an exported file chosen with the file input, verified before it plays', async () => {
    await page.getByRole('link', { name: 'Replay a file' }).click();
    await page.getByRole('heading', { name: 'Replay an exported log' }).waitFor(WAIT);
    await page.setInputFiles('#replay-file', exportedFile);
    await page.getByRole('heading', { name: /Log verified: ready to play/ }).waitFor(WAIT);
    expect(await page.locator('.verification').textContent()).toMatch(
      /console signatures verified \(3 messages, \d+ receipts\) against 2 keys/,
    );
    await page.locator('.player').waitFor(WAIT);
    await page.getByRole('heading', { name: 'After-action summary' }).waitFor(WAIT);
    await axe(page, 'file replay');
    shots.push(await screenshot(page, 'trainer-7-file-replay'));
  });

  it('names the first fault of a tampered file and does not play it', async () => {
    const lines = readFileSync(exportedFile, 'utf8').trimEnd().split('\n');
    const n = lines.findIndex((l) => l.includes('"kind":"message"'));
    const entry = JSON.parse(lines[n]!) as { idx: number; jws: string };
    // Flip one character inside the signature of the first message.
    const jws = entry.jws;
    const pos = jws.length - 10;
    entry.jws = jws.slice(0, pos) + (jws[pos] === 'A' ? 'B' : 'A') + jws.slice(pos + 1);
    lines[n] = JSON.stringify(entry);
    const tampered = path.join(SCREENSHOTS, '..', `${EXERCISE}.tampered.jsonl`);
    writeFileSync(tampered, `${lines.join('\n')}\n`);
    await page.setInputFiles('#replay-file', tampered);
    await page.getByRole('heading', { name: /Verification FAILED/ }).waitFor(WAIT);
    const fault = await page.locator('.fault-line').textContent();
    expect(fault).toMatch(
      new RegExp(`^First fault at line ${n + 1}, entry ${entry.idx}: (CHAIN_BROKEN|BAD_SIGNATURE)$`),
    );
    expect(await page.locator('.player').count()).toBe(0);
    await axe(page, 'tampered file');
    shots.push(await screenshot(page, 'trainer-8-tampered-file'));
  });

  it('drops an exported file anywhere on the replay page', async () => {
    const data = readFileSync(exportedFile).toString('base64');
    const transfer = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); const bytes = Uint8Array.from(atob(${JSON.stringify(data)}), (c) => c.charCodeAt(0)); dt.items.add(new File([bytes], 'dropped.hotline.jsonl', { type: 'application/x-ndjson' })); return dt; })()`,
    );
    await page.dispatchEvent('h1', 'drop', { dataTransfer: transfer });
    await page
      .getByText('Source')
      .locator('xpath=following-sibling::dd[1]')
      .filter({ hasText: 'dropped.hotline.jsonl' })
      .waitFor(WAIT);
    await page.getByRole('heading', { name: /Log verified: ready to play/ }).waitFor(WAIT);
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('raises the overdue alarm when an IMMEDIATE goes unacknowledged for 30 minutes', async () => {
    // The page clock moves 31 minutes ahead (the clock is per browser context, so this runs last): the
    // relay's times are real, and the IMMEDIATE's deadline has now passed without an acknowledgement.
    await page.clock.install({ time: new Date(Date.now() + 31 * 60_000) });
    await page.goto(`${trainerUrl}#/exercises/${EXERCISE}/live`);
    await page.reload();
    const alarm = page.locator('.alarm[data-code="ACK_OVERDUE"]');
    await alarm.waitFor(WAIT);
    expect(await alarm.textContent()).toMatch(
      /Overdue acknowledgement.*IMMEDIATE Washington → Beijing “Bravo”: not acknowledged within 30 min/,
    );
    expect(await page.locator('.alarm').count()).toBe(1);
    await page
      .locator('section.console[data-station="beijing"] li.msg.is-overdue')
      .getByText(/OVERDUE/)
      .waitFor(WAIT);
    expect(await page.locator('#alarm-announcer').textContent()).toMatch(/^Alarm: Overdue acknowledgement/);
    await axe(page, 'live with alarm');
    shots.push(await screenshot(page, 'trainer-9-live-overdue-alarm'));

    // Six hours on, the ROUTINE line check is overdue too (ACP 121: 6 h): listed as a quiet alarm, never
    // announced, since ROUTINE does not interrupt; the announcer still carries the IMMEDIATE's.
    await page.clock.setSystemTime(new Date(Date.now() + 6 * 3_600_000 + 60_000));
    const routine = page.locator('.alarm.alarm-quiet[data-code="ACK_OVERDUE"]');
    await routine.waitFor(WAIT);
    expect(await routine.textContent()).toMatch(
      /Overdue acknowledgement.*ROUTINE Beijing → Washington: not acknowledged within 6 h/,
    );
    expect(await page.locator('.alarm').count()).toBe(2);
    expect(await page.locator('#alarm-announcer').textContent()).not.toMatch(/ROUTINE/);
    await page
      .locator('section.console[data-station="washington"] li.msg.is-overdue.prec-border-routine')
      .getByText(/OVERDUE/)
      .waitFor(WAIT);
  });
});
