// The trainer console on a phone (390x844) and on a laptop (1366x800), in real Chromium against a real relay
// with a running exercise: the landing page and every trainer screen (sign-in, exercises, Run, Live, Replay, Response times, Enrolment &
// keys, the file replay, a refused file) fits the width (no horizontal scroll of the page; wide tables
// scroll in their own labelled region), every link and button is on screen, axe finds nothing serious.
// Also: the response-time chart labels its time axis in UTC and draws points, never a line joining
// messages; a tampered file shows only the refusal, never "Loaded"; times read HH:MM:SSZ.
// Needs the built pages: run `npm run build` first (npm test does).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import type { TrainerApi } from '../../client/trainer-api.js';
import type { ExerciseDef } from '../../shared/items.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { axe } from '../helpers/a11y.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const WAIT = { timeout: 10_000 };
const DEF: ExerciseDef = {
  id: 'ex-phone-width-check',
  title: 'Incident in the strait, seen from a phone',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: DEFAULT_STATIONS,
};
const inject = (id: string, at: string, to: string) => ({
  id,
  at,
  to,
  from: to === 'beijing' ? { zh: '南部战区', en: 'Southern Theater Command' } : { en: 'US Embassy', zh: '美国大使馆' },
  precedence: 'IMMEDIATE',
  subject: { zh: '情况通报', en: 'Situation report' },
  body: { zh: '一艘船只进入海峡。', en: 'A vessel entered the strait.' },
  expectedAction: 'Call the other side and report.',
  controllerNotes: 'Watch how long the first call takes.',
});
const SCENARIO = {
  format: 'hotline-scenario',
  v: 1,
  title: 'Strait, narrow screen',
  summary: 'One manual inject fired at once, one far off.',
  compression: 1,
  injects: [inject('M-01', 'manual', 'washington'), inject('T-01', '05:00:00', 'beijing')],
};

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 800 },
] as const;

/** Axe with the pointer parked in the corner, so no hover state is judged. */
async function axeAtRest(page: Page, screen: string): Promise<void> {
  await page.mouse.move(0, 0);
  await axe(page, screen);
}

interface Fit {
  scrollWidth: number;
  innerWidth: number;
  /** Links, buttons and fields that stick out of the viewport (outside any scrolling container). */
  offscreen: string[];
  /** The outermost elements that reach past the viewport's right edge, to name the culprit. */
  wide: string[];
  /** Table regions wider than their box that do not show the "scroll sideways" hint. */
  hintless: string[];
}

/** Runs in the page: the page's width against the viewport's, and controls sticking out of the viewport. */
const FIT_SCRIPT = `(() => {
  const doc = document.scrollingElement;
  const offscreen = [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || el.closest('[hidden]') || el.classList.contains('skip-link')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > innerWidth + 1 || r.left < -1) && !scrolls(el))
      offscreen.push((el.tagName + ' ' + (el.textContent || el.getAttribute('aria-label') || el.id || '')).trim().slice(0, 60) + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ']');
  }
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (wide.length >= 8) break;
    const r = el.getBoundingClientRect();
    if (r.right <= innerWidth + 1 || scrolls(el)) continue;
    const parent = el.parentElement && el.parentElement.getBoundingClientRect();
    if (parent && parent.right > innerWidth + 1 && el.parentElement !== document.body) continue;
    wide.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ']');
  }
  const hintless = [];
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1 || wrap.closest('[hidden]') || wrap.getClientRects().length === 0) continue;
    const hint = wrap.querySelector(':scope > .scroll-hint');
    const r = hint && !hint.hidden && hint.getBoundingClientRect();
    if (!r || r.height === 0 || r.right > innerWidth + 1) hintless.push(wrap.getAttribute('aria-label'));
  }
  return { scrollWidth: doc.scrollWidth, innerWidth, offscreen, wide, hintless };
})()`;

async function fits(page: Page, screen: string): Promise<void> {
  const fit = await page.evaluate<Fit>(FIT_SCRIPT);
  expect(
    fit.scrollWidth,
    `the ${screen} screen is wider than the viewport: ${fit.wide.join(', ')}`,
  ).toBeLessThanOrEqual(fit.innerWidth);
  expect(fit.offscreen, `controls off screen on the ${screen} screen`).toEqual([]);
  expect(fit.hintless, `tables that scroll without saying so on the ${screen} screen`).toEqual([]);
}

// Records every text uPlot draws on a canvas (its axis labels are drawn, not in the DOM).
const RECORD_CANVAS_TEXT = `(() => {
  const drawn = (window.__drawnText = []);
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    drawn.push(String(text));
    return fillText.call(this, text, ...rest);
  };
})()`;

/** Pixels of the chart's canvas within a small distance of each series colour. */
const SERIES_PIXELS = `(() => {
  const canvas = document.querySelector('.chart-plot canvas');
  const ctx = canvas.getContext('2d');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const colours = { accepted: [0xd2, 0xa8, 0xff], delivered: [0x58, 0xa6, 0xff], acknowledged: [0x56, 0xd3, 0x64] };
  const counts = { accepted: 0, delivered: 0, acknowledged: 0 };
  for (let i = 0; i < data.length; i += 4) {
    for (const [k, [r, g, b]] of Object.entries(colours))
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) counts[k]++;
  }
  return { counts, dpr: devicePixelRatio };
})()`;

describe('the trainer console at phone and laptop width', () => {
  let relay: TestRelay;
  let api: TrainerApi;
  let beijing: HotlineClient;
  let washington: HotlineClient;
  let dir: string;
  let exported = '';
  let tampered = '';
  const shots: string[] = [];

  beforeAll(async () => {
    const built = path.resolve('dist/web/trainer.html');
    if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/trainer-')) {
      throw new Error('The trainer console is not built: run `npm run build` first.');
    }
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-phone-'));
    relay = await startTestRelay();
    api = await relay.trainer();
    await api.createExercise(DEF);
    await api.loadScenario(DEF.id, SCENARIO);
    beijing = await enrolClient(relay, 'beijing', {}, DEF.id);
    washington = await enrolClient(relay, 'washington', {}, DEF.id);
    beijing.start();
    washington.start();
    await api.setState(DEF.id, { state: 'running', compression: 1 });
    await api.injectCommand(DEF.id, 'M-01', 'fire');
    // Three messages a moment apart: a FLASH acknowledged, an IMMEDIATE delivered, a ROUTINE.
    const flash = await beijing.send({ precedence: 'FLASH', subject: 'Alpha', body: 'Vessel in the strait.' });
    await until(() => washington.conversation.messages.get(flash.id)?.hash !== undefined, 10_000, 'flash arrives');
    await washington.acknowledge(flash.id, 'Received, calling back');
    await new Promise((r) => setTimeout(r, 1200));
    const imm = await washington.send({ precedence: 'IMMEDIATE', subject: 'Bravo', body: 'Confirm your position.' });
    await until(() => washington.conversation.messages.get(imm.id)?.states.delivered !== undefined, 10_000, 'imm');
    await new Promise((r) => setTimeout(r, 1200));
    const routine = await beijing.send({ precedence: 'ROUTINE', body: 'Hourly line check.' });
    await until(() => beijing.conversation.messages.get(routine.id)?.states.delivered !== undefined, 10_000, 'rtn');
    await api.addNote(DEF.id, 'First call took four minutes; the duty officer asked for the FLASH again.');

    exported = path.join(dir, `${DEF.id}.hotline.jsonl`);
    writeFileSync(exported, await (await api.exportBlob(DEF.id)).text());
    const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
    const n = lines.findIndex((l) => l.includes('"kind":"message"'));
    const entry = JSON.parse(lines[n]!) as { jws: string };
    const pos = entry.jws.length - 10;
    entry.jws = entry.jws.slice(0, pos) + (entry.jws[pos] === 'A' ? 'B' : 'A') + entry.jws.slice(pos + 1);
    lines[n] = JSON.stringify(entry);
    tampered = path.join(dir, `${DEF.id}.tampered.jsonl`);
    writeFileSync(tampered, `${lines.join('\n')}\n`);
  });

  afterAll(async () => {
    await Promise.all([beijing?.stop(), washington?.stop()]);
    await relay?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  for (const vp of VIEWPORTS) {
    describe(`at ${vp.width}x${vp.height}`, () => {
      let browser: Browser;
      let page: Page;
      const pageErrors: string[] = [];
      const cspViolations: string[] = [];
      const shot = async (name: string) => shots.push(await screenshot(page, `trainer-${vp.name}-${name}`));

      beforeAll(async () => {
        browser = await openBrowser({ width: vp.width, height: vp.height });
        page = browser.page;
        await page.addInitScript(RECORD_CANVAS_TEXT);
        page.on('pageerror', (err) => pageErrors.push(String(err)));
        page.on('console', (msg) => {
          if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text()))
            cspViolations.push(msg.text());
        });
      });

      afterAll(async () => {
        await browser?.close();
      });

      afterEach(async (ctx) => {
        if (ctx.task.result?.state === 'fail' && page)
          await screenshot(page, `trainer-${vp.name}-failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`).catch(
            () => undefined,
          );
      });

      it('the landing page fits', async () => {
        await page.goto(relay.url);
        await page.getByRole('heading', { name: 'Hotline', level: 1 }).waitFor(WAIT);
        await fits(page, 'landing');
        await axeAtRest(page, 'landing');
        shots.push(await screenshot(page, `landing-${vp.name}`));
      });

      it('sign-in and the exercise list fit, with every exercise link on screen', async () => {
        await page.goto(`${relay.url}/trainer`);
        await page.getByRole('heading', { name: 'Trainer sign-in' }).waitFor(WAIT);
        await fits(page, 'sign-in');
        await axeAtRest(page, 'sign-in');
        await shot('sign-in');
        await page.getByLabel('Your name').fill('Ana Controller');
        await page.getByLabel('Trainer secret').fill(relay.newTrainerSecret!);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Exercises', level: 1 }).waitFor(WAIT);
        const link = page.getByRole('link', { name: `Run ${DEF.title}`, exact: true });
        await link.waitFor(WAIT);
        // The links that open an exercise are in view, not in a column scrolled off to the right.
        for (const name of [`Run ${DEF.title}`, `Open ${DEF.title} live`, `Replay ${DEF.title}`]) {
          const box = (await page.getByRole('link', { name, exact: true }).boundingBox())!;
          expect(box.x + box.width, name).toBeLessThanOrEqual(vp.width);
        }
        await fits(page, 'exercises');
        await axeAtRest(page, 'exercises');
        await shot('exercises');
      });

      it('the Run tab fits: state bar, MSEL, ad-hoc inject and notes', async () => {
        await page.goto(`${relay.url}/trainer#/exercises/${DEF.id}/run`);
        await page.locator('tr[data-inject="M-01"][data-status="fired"]').waitFor(WAIT);
        await expect.poll(() => page.locator('.run-bar').getAttribute('data-phase'), WAIT).toBe('running');
        await fits(page, 'run');
        await axeAtRest(page, 'run');
        await shot('run');
      });

      it('the Live tab fits, and its state times read HH:MM:SSZ', async () => {
        await page.getByRole('link', { name: 'Live', exact: true }).click();
        await page.getByRole('heading', { name: 'Latest entries' }).waitFor(WAIT);
        const bj = page.locator('section.console[data-station="beijing"]');
        await expect.poll(() => bj.locator('li.msg').count(), WAIT).toBe(3);
        await bj.locator('li.msg').first().locator('.state-acknowledged.done').waitFor(WAIT);
        const states = await page.locator('li.msg [class*="state-"].done').allTextContents();
        expect(states.length).toBeGreaterThan(3);
        for (const s of states) expect(s).toMatch(/\b\d{2}:\d{2}:\d{2}Z\b/);
        await fits(page, 'live');
        await axeAtRest(page, 'live');
        await shot('live');
      });

      it('the Replay tab fits', async () => {
        await page.getByRole('link', { name: 'Replay', exact: true }).click();
        await page.locator('.player').waitFor(WAIT);
        await page.locator('.player section.console[data-station="beijing"]').waitFor(WAIT);
        await fits(page, 'replay');
        await axeAtRest(page, 'replay');
        await shot('replay');
      });

      it('the Response times tab fits; its chart has a UTC axis and points without a line', async () => {
        await page.evaluate('window.__drawnText.length = 0');
        await page.getByRole('link', { name: 'Response times' }).click();
        await page.getByRole('heading', { name: 'After-action summary' }).waitFor(WAIT);
        await page.locator('.chart-plot canvas').waitFor(WAIT);
        // The chart resizes itself to its box on the next frame; let it draw at that size.
        await page.waitForTimeout(300);
        const drawn = await page.evaluate<string[]>('window.__drawnText');
        const times = drawn.filter((t) => t.includes(':'));
        expect(times.length, `axis labels drawn: ${drawn.join(' | ')}`).toBeGreaterThan(0);
        for (const t of times) expect(t).toMatch(/^(\d{2} [A-Z]{3} )?\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/);
        expect(drawn.filter((t) => /am|pm|\d+\/\d+/i.test(t))).toEqual([]);
        expect(drawn).toContain('Logged at (UTC)');

        // Three messages: each series is at most three dots (9 px across). A line between them would paint
        // hundreds of pixels more across the plot.
        const { counts, dpr } = await page.evaluate<{ counts: Record<string, number>; dpr: number }>(SERIES_PIXELS);
        const dot = 12 * 12 * dpr * dpr;
        expect(counts.accepted).toBeGreaterThan(0);
        for (const [series, n] of Object.entries(counts))
          expect(n, `${series} pixels: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(3 * dot);

        // The per-message table scrolls inside its own labelled region, not the page.
        const wrap = page.getByRole('region', { name: 'Per message' });
        expect(await wrap.getAttribute('tabindex')).toBe('0');
        await fits(page, 'response times');
        await axeAtRest(page, 'response times');
        await shot('response-times');
      });

      it('the Enrolment & keys tab fits', async () => {
        await page.getByRole('link', { name: 'Enrolment & keys' }).click();
        await page.getByRole('heading', { name: 'Enrolment links and keys' }).waitFor(WAIT);
        await page.getByRole('cell', { name: 'beijing operator' }).waitFor(WAIT);
        await page.getByRole('button', { name: 'Issue link for Beijing' }).click();
        await page.locator('input.link[data-station="beijing"]').waitFor(WAIT);
        await fits(page, 'enrolment');
        await axeAtRest(page, 'enrolment');
        await shot('enrolment');
      });

      it('the file replay fits, and a tampered file dropped after a good one shows only the refusal', async () => {
        await page.getByRole('link', { name: 'Replay a file' }).click();
        await page.getByRole('heading', { name: 'Replay an exported log' }).waitFor(WAIT);
        await fits(page, 'file replay (empty)');
        await page.setInputFiles('#replay-file', exported);
        // On a phone the verification statement sits in the player's closed drawer: present, not shown.
        await page.locator('.verification.ok').waitFor({ ...WAIT, state: 'attached' });
        await page.getByText(`Loaded ${DEF.id}.hotline.jsonl: verified.`).waitFor(WAIT);
        await page.getByRole('heading', { name: 'After-action summary' }).waitFor(WAIT);
        await fits(page, 'file replay');
        await axeAtRest(page, 'file replay');
        await shot('file-replay');

        const data = readFileSync(tampered).toString('base64');
        const transfer = await page.evaluateHandle(
          `(() => { const dt = new DataTransfer(); const bytes = Uint8Array.from(atob(${JSON.stringify(data)}), (c) => c.charCodeAt(0)); dt.items.add(new File([bytes], 'tampered.hotline.jsonl')); return dt; })()`,
        );
        await page.dispatchEvent('h1', 'drop', { dataTransfer: transfer });
        await page.getByRole('heading', { name: /Verification FAILED/ }).waitFor(WAIT);
        expect(await page.locator('.fault-line').textContent()).toMatch(/^First fault at line \d+/);
        expect(await page.locator('main').textContent()).not.toMatch(/Loaded/);
        expect(await page.locator('.status-ok').count()).toBe(0);
        expect(await page.locator('.player').count()).toBe(0);
        await fits(page, 'tampered file');
        await axeAtRest(page, 'tampered file');
        await shot('tampered-file');
      });

      it('ran without page errors or CSP violations', () => {
        expect(pageErrors).toEqual([]);
        expect(cspViolations).toEqual([]);
      });
    });
  }
});
