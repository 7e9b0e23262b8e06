// The replay player in real Chromium at 1366x800, on an exported exercise run (test/helpers/replay-log.ts):
// both consoles and the scrubber are in the viewport without scrolling; the scrubber's markers (injects, the
// lifecycle, the note) seek where they say; an inject shows in full on Beijing's console and only as a private
// entry on Washington's; exercise time in the readout, the axis and the consoles' banners; the drawer opens and
// closes; an exercise's own Replay tab fits under its header and run bar, and a shorter window gives the
// player the window. axe-core on the screen; screenshot test-artifacts/screenshots/replay-player.png.
// Needs the built pages: run `npm run build` first (npm test does).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, SCREENSHOTS, type Browser } from '../helpers/browser.js';
import { logKeys } from '../helpers/log-fixture.js';
import { signInTrainer } from '../helpers/trainer-page.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';
import { exerciseRun } from '../helpers/replay-log.js';

const VIEWPORT = { width: 1366, height: 800 };
const WAIT = { timeout: 10_000 };

describe('replay player in Chromium at 1366x800', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  let run: Awaited<ReturnType<typeof exerciseRun>>;
  const file = path.join(tempDir('hotline-replay-player-'), 'exercise-run.hotline.jsonl');
  const pageErrors: string[] = [];
  const count = () => page.locator('#replay-clock .count').textContent();
  const bj = () => page.locator('.player section.console[data-station="beijing"]');
  const wa = () => page.locator('.player section.console[data-station="washington"]');

  /** The element's box lies wholly inside the viewport, with the page not scrolled. */
  async function inViewport(locator: Locator, what: string, minHeight = 0): Promise<void> {
    const box = await locator.boundingBox();
    expect(box, what).not.toBeNull();
    const { x, y, width, height } = box!;
    expect(x, `${what} left`).toBeGreaterThanOrEqual(0);
    expect(y, `${what} top`).toBeGreaterThanOrEqual(0);
    expect(x + width, `${what} right`).toBeLessThanOrEqual(VIEWPORT.width);
    expect(y + height, `${what} bottom`).toBeLessThanOrEqual(VIEWPORT.height);
    expect(height, `${what} height`).toBeGreaterThan(minHeight);
  }

  beforeAll(async () => {
    const built = path.resolve('dist/web/trainer.html');
    if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/trainer-')) {
      throw new Error('The trainer console is not built: run `npm run build` first.');
    }
    run = await exerciseRun(await logKeys());
    writeFileSync(file, await run.log.exportText());
    relay = await startTestRelay();
    browser = await openBrowser(VIEWPORT);
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text())) pageErrors.push(msg.text());
    });
    await signInTrainer(page, relay, 'Controller Wu');
    await page.getByRole('link', { name: 'Replay a file' }).click();
    await page.setInputFiles('#replay-file', file);
    await page.getByRole('heading', { name: /Log verified: ready to play/ }).waitFor(WAIT);
    await page.locator('.player').waitFor(WAIT);
  });

  afterAll(async () => {
    await browser?.close();
    await relay?.cleanup();
  });

  it('shows both consoles and the scrubber without scrolling, the verification beside them', async () => {
    expect(await page.evaluate<number>('window.scrollY')).toBe(0);
    await inViewport(bj(), 'Beijing console', 250);
    await inViewport(wa(), 'Washington console', 250);
    await inViewport(page.locator('.player .timeline'), 'scrubber', 100);
    await inViewport(page.locator('#replay-position'), 'range');
    const drawer = page.locator('#replay-drawer');
    expect(await drawer.locator('.verification').count()).toBe(1);
    const [consoleBox, drawerBox] = [await wa().boundingBox(), await drawer.boundingBox()];
    expect(drawerBox!.x).toBeGreaterThanOrEqual(consoleBox!.x + consoleBox!.width);
    // STARTEX at 09:01: the axis counts exercise time from there on.
    const axis = await page.locator('.time-axis .extime').allTextContents();
    expect(axis[0]).toBe('T−');
    expect(axis.at(-1)).toBe('T+00:36:00');
    expect(await page.locator('.phase-band .phase').allTextContents()).toEqual([
      'RUNNING 6x',
      'PAUSED',
      'RUNNING 6x',
      'ENDEX',
    ]);
  });

  it('seeks to an inject from its marker: in full on Beijing, a private entry on Washington', async () => {
    const idx = run.inj1.entry.idx;
    const marker = page.locator(`.marker.kind-inject[data-idx="${idx}"]`);
    expect(await marker.getAttribute('title')).toBe(
      '09:03:00Z T+00:12:00 EXERCISE INJECT INJ-01 → Beijing (FLASH) from 东部战区: 不明船只',
    );
    await marker.click();
    await expect.poll(count, WAIT).toBe(`${idx + 1} of 20 entries`);
    expect(await page.locator('#replay-clock .extime').textContent()).toBe('T+00:12:00');
    expect(await page.locator('#replay-clock .phase-tag').textContent()).toBe('RUNNING 6x');
    const card = bj().locator('li.inject[data-inject="INJ-01"]');
    await card.waitFor(WAIT);
    expect(await card.textContent()).toContain('EXERCISE INJECT');
    expect(await card.textContent()).toContain(run.inj1.data.body.zh);
    expect(await bj().locator('.ex-state').textContent()).toBe('RUNNING T+00:12:00');
    const passed = wa().locator(`li.private-entry[data-idx="${idx}"]`);
    expect(await passed.textContent()).toMatch(/PRIVATE ENTRY.*Exercise inject for Beijing.*Content withheld/);
    const washington = (await wa().textContent())!;
    for (const secret of [run.inj1.data.body.zh!, run.inj1.data.subject!.zh!, run.inj1.data.from.zh!])
      expect(washington).not.toContain(secret);
    await inViewport(card, 'the inject card');
    await page.getByRole('heading', { name: 'Player', exact: true, level: 3 }).click();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await screenshot(page, 'replay-player');
    expect(existsSync(path.join(SCREENSHOTS, 'replay-player.png'))).toBe(true);
  });

  it('seeks to the pause and to the note; the note stays on the timeline, out of both consoles', async () => {
    await page.locator(`.marker.kind-state[data-idx="${run.pause.idx}"]`).click();
    await expect.poll(count, WAIT).toBe(`${run.pause.idx + 1} of 20 entries`);
    expect(await page.locator('#replay-clock .phase-tag').textContent()).toBe('PAUSED');
    expect(await wa().locator('.ex-state').textContent()).toBe('PAUSED T+00:24:00');
    const note = page.locator(`.marker.kind-note[data-idx="${run.note.idx}"]`);
    expect(await note.getAttribute('title')).toContain('note by Controller Wu: Beijing answered INJ-01');
    await note.click();
    await expect.poll(count, WAIT).toBe(`${run.note.idx + 1} of 20 entries`);
    expect(await page.locator('.consoles').textContent()).not.toContain('Beijing answered');
    // The next event from the keyboard, then the drawer away and back: the consoles take the width.
    await page.locator('#player').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(count, WAIT).toBe(`${run.pause.idx + 1} of 20 entries`);
    const narrow = (await wa().boundingBox())!.width;
    await page.keyboard.press('d');
    await expect.poll(async () => page.locator('#replay-drawer').isHidden(), WAIT).toBe(true);
    expect((await wa().boundingBox())!.width).toBeGreaterThan(narrow + 100);
    expect(await page.getByRole('button', { name: '◂ Details' }).getAttribute('aria-expanded')).toBe('false');
    await page.getByRole('button', { name: '◂ Details' }).click();
    await page.locator('#replay-drawer').waitFor(WAIT);
  });

  it('plays to ENDEX at 64x, and ran without page errors or CSP violations', async () => {
    await page.keyboard.press('Home');
    await page.getByLabel('Speed').selectOption('64');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(count, { timeout: 30_000 }).toBe('20 of 20 entries');
    expect(await bj().locator('.ex-state').textContent()).toBe('ENDEX T+00:36:00');
    expect(await wa().locator('li.inject[data-inject="INJ-02"]').count()).toBe(1);
    expect(await bj().locator(`li.private-entry[data-idx="${run.inj2.entry.idx}"]`).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("fits the exercise's own Replay tab too, under the exercise's header, run bar and tabs", async () => {
    await page.goto(`${relay.url}/trainer#/exercises/dtl/replay`);
    await page.getByRole('heading', { name: /Log verified: ready to play/ }).waitFor(WAIT);
    await page.locator('.player').waitFor(WAIT);
    // The header (title, tabs, actions) and the run bar take a row each: all of it fits, nothing scrolls.
    await expect.poll(async () => (await wa().boundingBox())?.height ?? 0, WAIT).toBeGreaterThan(250);
    expect(await page.evaluate<number>('window.scrollY')).toBe(0);
    await inViewport(page.locator('.run-bar'), 'run bar');
    await inViewport(page.getByRole('navigation', { name: 'Exercise views' }), 'tabs');
    await inViewport(bj(), 'Beijing console', 250);
    await inViewport(wa(), 'Washington console', 250);
    await inViewport(page.locator('.player .timeline'), 'scrubber', 100);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'replay-player-tab.png') });
    expect(pageErrors).toEqual([]);
  });

  it('in a shorter window, brings the player into view and gives it the window', async () => {
    const height = 620;
    await page.setViewportSize({ width: VIEWPORT.width, height });
    try {
      await page.reload();
      await page.locator('.player').waitFor(WAIT);
      await expect
        .poll(async () => {
          const [b, w, t] = [
            await bj().boundingBox(),
            await wa().boundingBox(),
            await page.locator('.player .timeline').boundingBox(),
          ];
          return [b, w, t].every((box) => box !== null && box.y >= 0 && box.y + box.height <= height);
        }, WAIT)
        .toBe(true);
      expect(await page.evaluate<number>('window.scrollY')).toBeGreaterThan(0);
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
    expect(pageErrors).toEqual([]);
  });
});
