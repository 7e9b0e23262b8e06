// Chinese renders with the relay's own web font (web/src/common/cjk-font.css and cjk-font-loader.ts), never as
// empty boxes, whatever fonts the machine has: the Beijing console, the trainer console and the landing page in
// real Chromium against a real relay. Proven four ways: Chromium's own account of the fonts it drew each text
// node with (DevTools CSS.getPlatformFontsForNode) gives every Chinese character to the web font, none to a
// system font's .notdef box; the FontFaceSet has the slices for every Chinese character shown; the woff2 slices
// came from the relay (200, font/woff2, a year's immutable cache), only the few the page needs; and pixels (two
// characters drawn with the page's font differ, where missing glyphs are all the same box). No CSP violation.
// Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../server/static.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

const WAIT = 10_000;
const FAMILY = 'Noto Sans SC Variable';
const TITLE_ZH = '东海海上事件联合演习';

/** Does this machine have a CJK font of its own? (CI and this machine do not: then the control must be tofu.) */
const systemCjk = (spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout ?? '').trim() !== '';

interface FontFile {
  url: string;
  status: number;
  type: string | undefined;
  cache: string | undefined;
  bytes: number;
}

interface Glyphs {
  /** The distinct Han characters the element shows. */
  han: string;
  fontFamily: string;
  /** document.fonts.check for the web font and those characters, after document.fonts.ready. */
  checked: boolean;
  /** Slices of the web font the page has loaded. */
  loadedFaces: number;
  /** Two different characters drawn with the element's font: their pixels, compared. */
  differ: boolean;
  ink: number;
  /** The same two characters drawn with the OS's sans-serif only (the page before this font). */
  controlDiffer: boolean;
}

/** Runs in the page (a string: this file is type-checked without the DOM lib). */
function glyphs(page: Page, selector: string): Promise<Glyphs> {
  return page.evaluate<Glyphs>(`(async () => {
    await document.fonts.ready;
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) throw new Error('no element ' + ${JSON.stringify(selector)});
    const han = [...new Set(el.textContent.match(/\\p{Script=Han}/gu) ?? [])].join('');
    const fontFamily = getComputedStyle(el).fontFamily;
    const checked = han !== '' && document.fonts.check('16px "${FAMILY}"', han);
    const loadedFaces = [...document.fonts].filter(
      (f) => f.family.replace(/["']/g, '') === '${FAMILY}' && f.status === 'loaded',
    ).length;
    const draw = (font, ch) => {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 64;
      const ctx = c.getContext('2d');
      ctx.font = '48px ' + font;
      ctx.fillStyle = '#000';
      ctx.textBaseline = 'top';
      ctx.fillText(ch, 4, 4);
      return ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3);
    };
    const same = (a, b) => a.every((v, i) => v === b[i]);
    const [a, b] = [...han];
    const pa = draw(fontFamily, a), pb = draw(fontFamily, b);
    return {
      han,
      fontFamily,
      checked,
      loadedFaces,
      differ: !same(pa, pb),
      ink: pa.reduce((s, v) => s + (v > 127 ? 1 : 0), 0),
      controlDiffer: !same(draw('sans-serif', a), draw('sans-serif', b)),
    };
  })()`);
}

let relay: TestRelay;
let browser: Browser;
let page: Page;
const problems: string[] = [];
let fonts: Promise<FontFile>[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(WEB_ROOT, 'console.html')))
    throw new Error('dist/web is missing: run `npm run build` first.');
  relay = await startTestRelay();
  await (
    await relay.trainer()
  ).createExercise({
    id: 'ex-zh',
    title: TITLE_ZH,
    classification: 'UNCLASSIFIED // EXERCISE',
    stations: DEFAULT_STATIONS,
  });
  browser = await openBrowser({ width: 1366, height: 800 });
  page = browser.page;
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (req.url().endsWith('.woff2')) problems.push(`font request failed: ${req.url()}`);
  });
  page.on('requestfinished', (req) => {
    if (!/\.woff2(\?|$)/.test(req.url())) return;
    fonts.push(
      (async () => {
        const res = await req.response();
        const sizes = await req.sizes();
        return {
          url: req.url(),
          status: res?.status() ?? 0,
          type: res?.headers()['content-type'],
          cache: res?.headers()['cache-control'],
          bytes: sizes.responseBodySize,
        };
      })(),
    );
  });
});

afterEach(() => {
  expect(problems, 'CSP violations, page errors or failed font requests').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await relay?.cleanup();
});

/** The font files this page load fetched, each checked as the relay must serve it. */
async function fontFiles(): Promise<FontFile[]> {
  const files = await Promise.all(fonts);
  fonts = [];
  for (const f of files) {
    expect(new URL(f.url).origin, 'fonts come from the relay itself').toBe(relay.url);
    expect(f.url).toMatch(/\/assets\/noto-sans-sc-[\w-]+\.woff2$/);
    expect(f.status, f.url).toBe(200);
    expect(f.type, f.url).toBe('font/woff2');
    expect(f.cache, f.url).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
  }
  return files;
}

/** A CJK character: what the web font's slices hold (as cjk-font-loader.ts counts them). */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;

interface DomNode {
  nodeId: number;
  nodeType: number;
  localName: string;
  nodeValue: string;
  children?: DomNode[];
}
interface PlatformFont {
  familyName: string;
  postScriptName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/**
 * Every element whose own text has Chinese in it and that Chromium drew some of that Chinese with another font
 * than the web font (a box). From Chromium's own account of the fonts it used for each element's text nodes.
 */
/** The Chinese skip link's text (web/src/console/strings.ts). */
const SKIP_LINK_ZH = '跳至主要内容';

async function cjkNotInWebFont(page: Page): Promise<{ checked: number; bad: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: DomNode };
    const bad: string[] = [];
    let checked = 0;
    const visit = async (node: DomNode): Promise<void> => {
      const text = (node.children ?? [])
        .filter((c) => c.nodeType === 3)
        .map((c) => c.nodeValue)
        .join('');
      const cjk = text.match(CJK)?.length ?? 0;
      if (cjk > 0) {
        const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId })) as {
          fonts: PlatformFont[];
        };
        if (fonts.length > 0) {
          checked++;
          const web = fonts
            .filter((f) => f.isCustomFont && f.postScriptName.startsWith('NotoSansSC'))
            .reduce((n, f) => n + f.glyphCount, 0);
          if (web < cjk)
            bad.push(
              `<${node.localName}> "${text.trim()}": ${web} of ${cjk} in the web font; ${JSON.stringify(fonts)}`,
            );
        }
      }
      for (const c of node.children ?? []) await visit(c);
    };
    await visit(root);
    return { checked, bad };
  } finally {
    await cdp.detach();
  }
}

/** Waits until Chromium draws every Chinese character on the page with the web font (or fails, naming them). */
async function expectNoBoxes(page: Page, what: string, atLeast: number, except: string[] = []): Promise<void> {
  let last = { checked: 0, bad: [] as string[] };
  const excepted = (line: string) => except.some((text) => line.includes(`"${text}"`));
  await expect
    .poll(async () => (last = await cjkNotInWebFont(page)).bad.filter((line) => !excepted(line)), {
      timeout: 5_000,
      message: `boxes on ${what}`,
    })
    .toEqual([]);
  expect(last.checked, `${what}: elements with Chinese checked`).toBeGreaterThanOrEqual(atLeast);
}

/** The skip link as an operator sees it: focused (the first Tab of a page), on screen, with no box. */
async function expectSkipLinkFocused(page: Page): Promise<void> {
  const link = page.locator('a.skip-link');
  await link.focus();
  expect(await link.textContent()).toBe(SKIP_LINK_ZH);
  await expectNoBoxes(page, 'the focused skip link', 1);
  await link.blur();
}

function expectRealGlyphs(g: Glyphs, what: string): void {
  expect(g.han.length, `${what} shows Chinese`).toBeGreaterThanOrEqual(2);
  expect(g.fontFamily, `${what}: the web font is in the stack`).toContain(FAMILY);
  expect(g.loadedFaces, `${what}: slices of the web font loaded`).toBeGreaterThan(0);
  expect(g.checked, `${what}: every character shown (${g.han}) has its slice loaded`).toBe(true);
  expect(g.ink, `${what}: the glyph has ink`).toBeGreaterThan(40);
  expect(g.differ, `${what}: two characters draw differently (not the same .notdef box)`).toBe(true);
  // Without the web font this machine draws boxes: the pixel comparison can tell them apart.
  if (!systemCjk) expect(g.controlDiffer, 'the OS alone draws Chinese as identical boxes').toBe(false);
}

describe('Chinese renders with the relay-served web font', () => {
  it('the Beijing console: station name, labels and hints in real glyphs; only the slices it needs', async () => {
    const code = await relay.issueCode('beijing');
    await page.goto(`${relay.url}/console#code=${code}`);
    await page.locator('#enrol-operator').waitFor();
    await page.fill('#enrol-operator', '值班员 李');
    await page.press('#enrol-operator', 'Enter');
    await page.locator('[data-testid="console"]').waitFor();
    await page.waitForSelector('[data-testid="status"][data-link="open"]');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-Hans');

    const station = await glyphs(page, '[data-testid="station-name"]');
    expect(station.han).toContain('北京');
    expectRealGlyphs(station, 'station name');
    expectRealGlyphs(await glyphs(page, 'main'), 'the whole console');
    // Known Chromium quirk: the skip link, laid out above the top edge until it has the focus, sometimes keeps
    // its fallback glyphs while off screen even after its slice arrived and the page was shaped again. It is
    // checked where an operator sees it: focused, on screen.
    await expectNoBoxes(page, 'the Beijing console', 20, [SKIP_LINK_ZH]);
    await expectSkipLinkFocused(page);
    await screenshot(page, 'cjk-font-beijing');

    const files = await fontFiles();
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    console.log(`Beijing console, first load: ${files.length} font files, ${bytes} bytes`);
    expect(files.length).toBeGreaterThan(0);
    // unicode-range at work: a fraction of the ~100 slices (~4.5 MB), not the whole font.
    expect(files.length).toBeLessThan(40);
    expect(bytes).toBeLessThan(2_000_000);

    // Again from the browser's cache, where slices arrive at once but not before the first layout.
    await page.reload();
    await page.locator('[data-testid="console"]').waitFor();
    await expectNoBoxes(page, 'the Beijing console, reloaded', 20, [SKIP_LINK_ZH]);
    await expectSkipLinkFocused(page);
    await fontFiles();
  });

  it('the trainer console: a Chinese exercise title in real glyphs', async () => {
    await page.goto(`${relay.url}/trainer`);
    await page.getByLabel('Your name').fill('Trainer One');
    await page.getByLabel('Trainer secret').fill(relay.newTrainerSecret!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('cell', { name: TITLE_ZH }).waitFor();
    expectRealGlyphs(await glyphs(page, 'main'), 'trainer exercises');
    await expectNoBoxes(page, 'the trainer console', 1);
    await screenshot(page, 'cjk-font-trainer');
    expect((await fontFiles()).length).toBeGreaterThan(0);
  });

  it('the landing page: its Chinese paragraph in real glyphs', async () => {
    await page.goto(`${relay.url}/`);
    expectRealGlyphs(await glyphs(page, 'p[lang="zh-Hans"]'), 'landing page');
    await expectNoBoxes(page, 'the landing page', 1);
    expect((await fontFiles()).length).toBeGreaterThan(0);
  });
});
