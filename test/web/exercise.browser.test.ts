// One whole exercise, as a new trainer runs it, in one real Chromium against a real relay, driving only the
// trainer console and the two operator consoles (a context each): sign in with a name, create the exercise,
// issue both enrolment links and enrol the consoles through them, load the shipped "Incident at Sea" MSEL,
// STARTEX at 60x (its injects at 00:05:00, 00:10:00 and 00:20:00 fire 5, 10 and 20 s later), each timed inject
// at its station only (every WebSocket frame the other console receives is searched for its texts and its
// salt), operators acknowledge and call each other, a pause that holds the inject clock, a note, ENDEX and the
// closed line, then the after-action report, whose figures the test computes itself from the export
// (test/helpers/expected-report.ts), printed to PDF, and the export verified offline and by the built CLI.
// Needs `npm run build` first (the relay serves dist/web; the CLI is dist/cli).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerApi } from '../../client/trainer-api.js';
import { ERRORS } from '../../shared/errors.js';
import { verifyExport } from '../../shared/export.js';
import type { Scenario, Texts } from '../../shared/scenario.js';
import { CHROMIUM, screenshot } from '../helpers/browser.js';
import * as expected from '../helpers/expected-report.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

const WAIT = { timeout: 10_000 };
const EXERCISE = 'sea-drill';
const NAME = 'Controller Ana Ruiz';
const SCENARIO = JSON.parse(readFileSync('scenarios/incident-at-sea.json', 'utf8')) as Scenario;
const def = (id: string) => SCENARIO.injects.find((i) => i.id === id)!;
const NOTE = 'Washington called Beijing about the transit before anything went wrong: good initiative.';
const CALL_WA = {
  precedence: 'IMMEDIATE',
  subject: 'Routine transit east of Talan Shoal',
  body: 'Our destroyer keeps clear of your announced exercise area. Please acknowledge.',
};
const CALL_BJ = {
  precedence: 'FLASH',
  subject: '请贵舰远离演习区',
  body: '请美方驱逐舰与我方实弹演习区保持安全距离，并在16频道保持联络。',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

const languages = (t: Texts | undefined) => [t?.en, t?.zh].filter((v): v is string => v !== undefined);
/** Every text of an inject, which a station must not read if the inject is not addressed to it. */
const textsOf = (id: string) => [def(id).from, def(id).subject, def(id).body].flatMap(languages);

/** A text as it could travel: as is, JSON-escaped, or with every non-ASCII character \u-escaped. */
function spellings(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return [text, json, json.replace(/[^\x20-\x7e]/g, hex)];
}

/** Pieces long enough to be the text's own: of each line, 16 characters every 8, or 6 every 3 in Chinese. */
function pieces(text: string): string[] {
  return text.split(/\n+/).flatMap((line) => {
    const n = /[\u3400-\u9fff]/.test(line) ? 6 : 16;
    if (line.length <= n) return [line];
    const out: string[] = [];
    for (let i = 0; i + n <= line.length; i += n / 2) out.push(line.slice(i, i + n));
    return [...out, line.slice(-n)];
  });
}

/** A frame and whatever base64url runs in it decode to (a JWS payload, say). */
function decoded(frame: string): string {
  const runs = frame.match(/[A-Za-z0-9_-]{16,}/g) ?? [];
  return [frame, ...runs.map((r) => Buffer.from(r, 'base64url').toString('utf8'))].join('\n');
}

/** What of `secrets` the frames carry: whole texts in any spelling, pieces of them, or a salt; but never what
 * is also in a text the reader may read (two injects can share an originator, or a ship's name). */
function leaked(frames: readonly string[], secrets: readonly string[], readable: string): string[] {
  const all = frames.map(decoded).join('\n');
  const needles = secrets.flatMap((s) => [...spellings(s), ...pieces(s)]).filter((n) => !readable.includes(n));
  return [...new Set(needles.filter((n) => all.includes(n)))];
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, isEvalSupported: false, useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++)
    for (const item of (await (await doc.getPage(i)).getTextContent()).items)
      if ('str' in item) text += item.str + (item.hasEOL ? ' ' : '');
  await doc.destroy();
  return squash(text);
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    ),
  );
}

describe('a whole exercise in the browser: trainer and both consoles', () => {
  let relay: TestRelay;
  let api: TrainerApi;
  let browser: Browser;
  let trainer: Page;
  let bj: Page;
  let dc: Page;
  let dir: string;
  let exportText = '';
  let startex = 0;
  let endexSent = 0;
  const received = new Map<Page, string[]>();
  const sent = new Map<Page, string[]>();
  const problems: string[] = [];
  const shots: string[] = [];
  const shot = async (page: Page, name: string) => shots.push(await screenshot(page, `exercise-${name}`));

  const row = (id: string) => trainer.locator(`tr[data-inject="${id}"]`);
  const status = (id: string) => row(id).getAttribute('data-status');
  const bar = () => trainer.locator('.run-bar');
  const injectCard = (page: Page, id: string, lang: 'zh' | 'en') =>
    page.locator('li.msg-inject').filter({ hasText: def(id).subject![lang]! });
  const card = (page: Page, subject: string) => page.locator('li.msg').filter({ hasText: subject });
  const consoleText = async (page: Page, testid: string) =>
    (await page.locator(`[data-testid="${testid}"]`).first().textContent()) ?? '';

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.setDefaultTimeout(WAIT.timeout);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
    });
    const inbound: string[] = [];
    const outbound: string[] = [];
    received.set(page, inbound);
    sent.set(page, outbound);
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => inbound.push(typeof f.payload === 'string' ? f.payload : f.payload.toString()));
      ws.on('framesent', (f) => outbound.push(typeof f.payload === 'string' ? f.payload : f.payload.toString()));
    });
    return page;
  }

  /** The console at a link the trainer issued: the code travels in the #fragment and leaves the address bar. */
  async function enrol(page: Page, link: string, operator: string): Promise<void> {
    await page.goto(link);
    await page.locator('#enrol-operator').waitFor();
    expect(new URL(page.url()).hash, 'the code is taken out of the address bar').toBe('');
    await page.locator('[data-testid="code-from-link"]').waitFor();
    await page.fill('#enrol-operator', operator);
    await page.press('#enrol-operator', 'Enter');
    await page.locator('[data-testid="console"]').waitFor();
    await page.waitForSelector('[data-testid="status"][data-link="open"]');
  }

  async function compose(page: Page, m: typeof CALL_WA): Promise<void> {
    await page.click(`label[for="prec-${m.precedence}"]`);
    await page.fill('#compose-subject', m.subject);
    await page.fill('#compose-body', m.body);
    await page.press('#compose-body', 'Control+Enter');
    await card(page, m.subject).waitFor();
  }

  /** The inject's card at its console: the exercise-inject mark, its simulated originator and its texts. */
  async function checkInjectCard(page: Page, id: string, lang: 'zh' | 'en'): Promise<void> {
    const d = def(id);
    const c = injectCard(page, id, lang);
    await c.waitFor();
    expect(await c.getAttribute('data-precedence')).toBe(d.precedence);
    expect(await c.locator('[data-testid="inject-mark"]').textContent()).toBe('EXERCISE INJECT · 演习导调情况');
    expect(await c.locator('[data-testid="originator"]').textContent()).toContain(d.from[lang]);
    const tag = lang === 'zh' ? 'zh-Hans' : 'en';
    expect(await c.locator(`.msg-subject[lang="${tag}"]`).first().textContent()).toBe(d.subject![lang]);
    expect(await c.locator(`.msg-body[lang="${tag}"]`).first().textContent()).toBe(d.body[lang]);
  }

  /** Nothing of the inject on a console's screen (but what its own injects share with it, as an originator). */
  async function notShown(page: Page, id: string, own: string[] = []): Promise<void> {
    const shown = (await page.locator('body').textContent()) ?? '';
    const mine = own.flatMap(textsOf);
    const seen = textsOf(id).filter((t) => shown.includes(t) && !mine.includes(t));
    expect(seen, `${id} on a console it is not for`).toEqual([]);
  }

  beforeAll(async () => {
    for (const built of ['dist/web/trainer.html', 'dist/web/console.html', 'dist/web/report.html', 'dist/cli/main.js'])
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first.`);
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-exercise-'));
    relay = await startTestRelay();
    api = await relay.trainer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    });
    trainer = await newPage({ width: 1440, height: 900 });
    bj = await newPage({ width: 1280, height: 800 });
    dc = await newPage({ width: 1280, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await relay?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.slice(0, 30).replace(/\W+/g, '-');
    for (const [page, who] of [
      [trainer, 'trainer'],
      [bj, 'beijing'],
      [dc, 'washington'],
    ] as const)
      await screenshot(page, `exercise-failed-${name}-${who}`).catch(() => undefined);
  });

  it('1. the trainer signs in with a name, creates the exercise and issues links; both consoles enrol by them', async () => {
    await trainer.goto(`${relay.url}/trainer`);
    await trainer.getByLabel('Your name').fill(NAME);
    await trainer.getByLabel('Trainer secret').fill(relay.newTrainerSecret!);
    await trainer.getByRole('button', { name: 'Sign in' }).click();
    await trainer.getByRole('heading', { name: 'Exercises', level: 1 }).waitFor(WAIT);
    expect(await trainer.locator('#who .trainer-name').textContent()).toBe(NAME);
    await trainer.getByLabel('Exercise ID').fill(EXERCISE);
    await trainer.getByLabel('Title').fill('Incident at Sea drill');
    await trainer.getByLabel('Classification line').fill('UNCLASSIFIED // EXERCISE');
    await trainer.getByRole('button', { name: 'Create exercise' }).click();
    await trainer.getByRole('heading', { name: 'Enrolment links and keys' }).waitFor(WAIT);

    for (const [station, label, page, operator] of [
      ['beijing', 'Beijing', bj, 'Duty officer Li'],
      ['washington', 'Washington', dc, 'Watch officer Smith'],
    ] as const) {
      await trainer.getByRole('button', { name: `Issue link for ${label}` }).click();
      const link = await trainer.locator(`input.link[data-station="${station}"]`).inputValue();
      expect(link).toMatch(new RegExp(`^${relay.url}/console#code=[0-9A-Z-]{30,}$`));
      await enrol(page, link, operator);
      await trainer.getByRole('cell', { name: operator }).waitFor(WAIT);
    }
    expect(await bj.locator('[data-testid="station-name"]').textContent()).toContain('北京');
    expect(await dc.locator('[data-testid="station-name"]').textContent()).toContain('Washington');
    for (const page of [bj, dc]) expect(await consoleText(page, 'exercise-phase')).toContain('PLANNED');
  });

  it('2. loads the shipped Incident at Sea scenario and starts the exercise at 60x', async () => {
    await trainer.getByRole('link', { name: 'Run', exact: true }).click();
    const choice = trainer.getByLabel('Or a shipped scenario');
    await choice.waitFor(WAIT);
    const value = await choice.locator('option').filter({ hasText: '(incident-at-sea.json)' }).getAttribute('value');
    await choice.selectOption(value!);
    await trainer.getByRole('button', { name: 'Load this scenario' }).click();
    const manual = SCENARIO.injects.filter((i) => i.at === 'manual').length;
    await trainer
      .getByText(`Loaded “${SCENARIO.title}”: ${SCENARIO.injects.length} injects (${manual} manual).`)
      .waitFor(WAIT);
    expect(await trainer.locator('tr[data-inject]').count()).toBe(SCENARIO.injects.length);
    expect(await bar().getAttribute('data-phase')).toBe('planned');
    await shot(trainer, '1-planned');

    await trainer.getByLabel('Compression').selectOption('60');
    await trainer.getByRole('button', { name: 'STARTEX', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('running');
    expect(await trainer.locator('.run-rate').textContent()).toBe('60x');
    const state = await api.run(EXERCISE);
    expect(state.transitions[0]).toMatchObject({ state: 'running', by: NAME, compression: 60 });
    startex = Date.parse(state.startex!);
    for (const page of [bj, dc]) await page.waitForSelector('[data-testid="exercise-clock"][data-phase="running"]');
    expect(await consoleText(dc, 'compression')).toBe('×60');
  });

  it('3. INJ-01 reaches Washington only; its operator acknowledges (Alt+A) and calls Beijing, who acknowledges', async () => {
    await checkInjectCard(dc, 'INJ-01', 'en');
    expect(Date.now() - startex, 'INJ-01 is due 5 s after STARTEX at 60x').toBeGreaterThanOrEqual(5_000);
    await notShown(bj, 'INJ-01');
    expect(await bj.locator('li.msg-inject').count()).toBe(0);
    await shot(dc, '2-inject-washington');

    await dc.keyboard.press('Alt+A');
    await injectCard(dc, 'INJ-01', 'en').and(dc.locator('[data-state="acknowledged"]')).waitFor();
    await compose(dc, CALL_WA);
    const incoming = card(bj, CALL_WA.subject).and(bj.locator('[data-direction="in"][data-verified="true"]'));
    await incoming.waitFor();
    await incoming.locator('[data-testid="ack"]').click();
    await card(dc, CALL_WA.subject).and(dc.locator('[data-state="acknowledged"]')).waitFor();
  });

  it('4. INJ-02 reaches Beijing only; the trainer pauses before INJ-03 is due; the operators answer', async () => {
    await expect.poll(() => status('INJ-02'), { timeout: 15_000 }).toBe('fired');
    await trainer.getByRole('button', { name: 'Pause exercise', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('paused');
    expect(await status('INJ-03'), 'paused before INJ-03 was due (20 s after STARTEX)').toBe('pending');

    await checkInjectCard(bj, 'INJ-02', 'zh');
    await notShown(dc, 'INJ-02');
    expect(await dc.locator('li.msg-inject').count()).toBe(1);
    await shot(bj, '2-inject-beijing');
    await injectCard(bj, 'INJ-02', 'zh').locator('[data-testid="ack"]').click();
    await injectCard(bj, 'INJ-02', 'zh').and(bj.locator('[data-state="acknowledged"]')).waitFor();
    // The line stays open while the clock is paused.
    await compose(bj, CALL_BJ);
    await card(dc, CALL_BJ.subject).and(dc.locator('[data-direction="in"]')).waitFor();
    await dc.keyboard.press('Alt+A');
    await card(bj, CALL_BJ.subject).and(bj.locator('[data-state="acknowledged"]')).waitFor();
  });

  it('5. the pause holds the inject clock: past its due time INJ-03 has not fired; resumed, it fires', async () => {
    const paused = await api.run(EXERCISE);
    expect(paused.phase).toBe('paused');
    for (const page of [bj, dc]) await page.waitForSelector('[data-testid="exercise-clock"][data-phase="paused"]');
    // The exercise would be done with the next inject too: held, it stays out of this run.
    await row('INJ-04').getByRole('button', { name: 'Hold INJ-04' }).click();
    await expect.poll(() => status('INJ-04'), WAIT).toBe('held');
    const frozen = (await api.run(EXERCISE)).exerciseMs;
    const shown = await trainer.locator('.run-tplus').textContent();
    const banners = [await consoleText(bj, 'exercise-time'), await consoleText(dc, 'exercise-time')];
    expect(banners).toEqual([shown, shown]);
    expect(shown).toBe(expected.tPlus(frozen));
    // Had the clock run on, INJ-03 (00:20:00) would have fired 20 s after STARTEX: wait past that.
    await sleep(startex + 22_500 - Date.now());
    expect(await status('INJ-03'), 'INJ-03 fired while paused').toBe('pending');
    expect(await dc.locator('li.msg-inject').count(), 'an inject reached Washington while paused').toBe(1);
    await notShown(dc, 'INJ-03', ['INJ-01']);
    expect(await trainer.locator('.run-tplus').textContent()).toBe(shown);
    expect([await consoleText(bj, 'exercise-time'), await consoleText(dc, 'exercise-time')]).toEqual(banners);
    expect((await api.run(EXERCISE)).exerciseMs).toBe(frozen);
    await shot(trainer, '3-paused');
    await shot(dc, '3-paused-console');

    await trainer.getByRole('button', { name: 'Resume exercise', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('running');
    await expect.poll(() => consoleText(dc, 'exercise-time'), WAIT).not.toBe(banners[1]);
    // 00:20:00 less the exercise time at the pause, at 60x: about nine seconds.
    await expect.poll(() => status('INJ-03'), { timeout: 15_000 }).toBe('fired');
    await checkInjectCard(dc, 'INJ-03', 'en');
    await notShown(bj, 'INJ-03');
    await injectCard(dc, 'INJ-03', 'en').locator('[data-testid="ack"]').click();
    await injectCard(dc, 'INJ-03', 'en').and(dc.locator('[data-state="acknowledged"]')).waitFor();
  }, 45_000);

  it('6. the trainer adds a note during play with Ctrl+Enter', async () => {
    const notes = trainer.locator('section.notes');
    await notes.getByLabel('Note', { exact: true }).fill(NOTE);
    await notes.getByLabel('Note', { exact: true }).press('Control+Enter');
    await notes.getByText(/^Note added \(entry \d+\)\.$/).waitFor(WAIT);
    const item = notes.locator('li.trainer-note').first();
    expect(await item.locator('.note-text').textContent()).toBe(NOTE);
    expect(await item.locator('.note-by').textContent()).toBe(NAME);
  });

  it('7. ENDEX after confirming: both consoles show the line closed and send nothing more', async () => {
    await trainer.getByRole('button', { name: 'ENDEX', exact: true }).click();
    const dialog = trainer.getByRole('dialog', { name: 'ENDEX: end the exercise?' });
    await dialog.waitFor(WAIT);
    await dialog.getByRole('button', { name: 'End the exercise now' }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('ended');
    await trainer.getByText('The line is closed and the log is sealed.').waitFor(WAIT);
    await shot(trainer, '4-endex-trainer');
    for (const page of [bj, dc]) {
      await page.waitForSelector('[data-testid="exercise-clock"][data-phase="ended"]');
      await page.locator('[data-testid="line-closed"]').waitFor();
      expect(await page.locator('[data-testid="compose"]').isVisible(), 'the compose form is gone').toBe(false);
    }
    expect(await consoleText(dc, 'line-closed')).toContain('The exercise has ended (ENDEX). The line is closed');
    expect(await consoleText(bj, 'line-closed')).toContain('演习已结束（ENDEX）。线路已关闭');
    await shot(bj, '5-endex-console');

    // Even with the form brought back by hand, a message typed now is refused, and nothing goes out.
    endexSent = sent.get(dc)!.length;
    await dc
      .locator('[data-testid="compose"]')
      .evaluate((el) => ((el as unknown as { hidden: boolean }).hidden = false));
    await dc.fill('#compose-subject', 'After the end');
    await dc.fill('#compose-body', 'This must not be sent.');
    await dc.press('#compose-body', 'Control+Enter');
    await dc.locator('.compose .form-error').getByText(ERRORS.EXERCISE_ENDED.message).waitFor();
    await sleep(500);
    expect(await card(dc, 'After the end').count()).toBe(0);
    const submits = sent
      .get(dc)!
      .slice(endexSent)
      .filter((f) => f.includes('"submit"'));
    expect(submits, 'submits after ENDEX').toEqual([]);
    await shot(dc, '5-endex-console-refused');
  });

  it('the export ends with ENDEX, and neither console received a byte of what was not for it', async () => {
    exportText = await (await api.exportBlob(EXERCISE)).text();
    const x = expected.parseExport(exportText);
    const last = x.entries.at(-1)!;
    expect(last.kind, 'the log ends with ENDEX').toBe('exercise-state');
    expect(last.data).toMatchObject({ state: 'ended', by: NAME });
    const injects = x.entries.filter((e) => e.kind === 'inject');
    expect(injects.map((e) => [e.reveal!.data['inject'], e.to])).toEqual([
      ['INJ-01', 'washington'],
      ['INJ-02', 'beijing'],
      ['INJ-03', 'washington'],
    ]);
    // Each fired on the exercise clock: 5 s and 10 s after STARTEX at 60x, INJ-03 at 00:20:00 after the pause.
    const firedAt = (i: number) => expected.exerciseMsAt(x, Date.parse(injects[i]!.at))!;
    for (const [i, offset] of [
      [0, 300_000],
      [1, 600_000],
      [2, 1_200_000],
    ] as const) {
      expect(firedAt(i)).toBeGreaterThanOrEqual(offset);
      expect(firedAt(i), 'fired within 2 real seconds of its time').toBeLessThan(offset + 120_000);
    }
    const note = x.entries.find((e) => e.kind === 'note')!;
    expect(note.reveal?.data).toMatchObject({ text: NOTE, by: NAME });

    const readable = (station: string) =>
      [
        ...SCENARIO.injects.filter((i) => i.to === station).flatMap((i) => textsOf(i.id)),
        ...[CALL_WA, CALL_BJ].flatMap((m) => [m.subject, m.body]),
        ...x.stations.map((s) => s.name),
        x.title,
      ].join('\n');
    for (const [page, station] of [
      [bj, 'beijing'],
      [dc, 'washington'],
    ] as const) {
      const frames = received.get(page)!;
      const mine = injects.filter((e) => e.to === station);
      // The other station's injects (fired or not: the MSEL is control's), and what only control reads: the
      // scenario's summary, every expected action and controller note, the note, and the salts of all these.
      const secrets = [
        ...SCENARIO.injects.filter((i) => i.to !== station).flatMap((i) => textsOf(i.id)),
        ...SCENARIO.injects.flatMap((i) => [i.expectedAction, ...(i.controllerNotes ? [i.controllerNotes] : [])]),
        ...(SCENARIO.summary ? [SCENARIO.summary] : []),
        NOTE,
        ...x.entries.filter((e) => e.commit && e.to !== station).map((e) => e.reveal!.salt),
      ];
      expect(leaked(frames, secrets, readable(station)), `what reached ${station} that was not for it`).toEqual([]);
      // The same search does find what was for it: each of its own injects' salt, subject and body.
      const own = mine.flatMap((e) => {
        const d = def(String(e.reveal!.data['inject']));
        return [e.reveal!.salt, ...languages(d.subject), ...languages(d.body)];
      });
      expect(
        own.filter((t) => !leaked(frames, [t], '').includes(t)),
        `${station}'s own, not found in its frames`,
      ).toEqual([]);
    }
  });

  it('8. the report page shows exactly the figures computed here from the export, and prints to PDF', async () => {
    const x = expected.parseExport(exportText);
    const all = expected.items(x);
    await trainer.getByRole('link', { name: 'After-action report' }).click();
    await trainer.waitForURL(`${relay.url}/trainer/report?exercise=${EXERCISE}`);
    await expect.poll(() => trainer.locator('#status').textContent(), WAIT).toMatch(/^Verified in this browser/);

    const cells = async (selector: string) => (await trainer.locator(selector).allTextContents()).map(squash);
    const fact = async (term: string) =>
      squash(
        await trainer
          .locator('#exercise dl.facts > div')
          .filter({ has: trainer.getByText(term, { exact: true }) })
          .locator('dd')
          .textContent(),
      );
    expect(await fact('In the log')).toBe(expected.inTheLog(x, SCENARIO.injects.length));
    expect(await fact('Duration')).toBe(expected.durationLine(x));
    expect(await fact('Pauses')).toBe(expected.pausesLine(x));
    for (const group of ['messages', 'injects'] as const)
      for (const p of expected.ROWS) {
        expect(await cells(`#times-${group}-${p} td`), `times, ${group}, ${p}`).toEqual(
          expected.timesRow(all, group, p),
        );
        expect(await cells(`#deadlines-${group}-${p} td`), `deadlines, ${group}, ${p}`).toEqual(
          expected.deadlineRow(all, group, p),
        );
      }
    const rows = trainer.locator('table.items tbody tr');
    expect(await rows.count()).toBe(all.length);
    for (let i = 0; i < all.length; i++)
      expect(await cells(`table.items tbody tr:nth-child(${i + 1}) td`)).toEqual(expected.itemRow(x, all[i]!));
    for (const id of ['INJ-01', 'INJ-02', 'INJ-03'])
      expect(await cells(`#inject-${id} ul.happened li`), id).toEqual(expected.injectLines(x, all, id));
    const hold = x.entries.find((e) => e.kind === 'inject-control')!;
    expect(hold.reveal!.data).toMatchObject({ action: 'hold', inject: 'INJ-04', by: NAME });
    expect((await cells('#inject-INJ-04 ul.happened li'))[0]).toBe(
      `Held by ${NAME} at ${expected.clockText(x, Date.parse(hold.at))} and never released; never fired.`,
    );
    const statement = squash(await trainer.locator('#verification-statement').textContent());
    expect(statement).toBe(expected.verificationStatement(x));
    expect(squash(await trainer.locator('#verification').textContent())).toContain(`Yes: ENDEX by ${NAME}`);
    expect(await trainer.locator('#notes').textContent()).toContain(NOTE);
    console.log(
      'report figures:\n' +
        (await cells('#exercise dl.facts > div')).filter((f) => /^(Duration|Pauses|In the log)/.test(f)).join('\n') +
        '\n' +
        (await cells('table.figures tr')).join('\n') +
        '\n' +
        (await cells('table.items tbody tr')).join('\n') +
        '\n' +
        (await cells('#injects tr[id^="inject-INJ-0"] ul.happened')).slice(0, 3).join('\n') +
        `\n${statement}`,
    );
    await shot(trainer, '6-report');

    const pdf = await trainer.pdf({ format: 'A4' });
    mkdirSync(path.resolve('test-artifacts/report'), { recursive: true });
    writeFileSync(path.resolve('test-artifacts/report/exercise-report.pdf'), pdf);
    const text = await pdfText(new Uint8Array(pdf));
    expect(text).toContain(statement);
  });

  it('9. the export verifies offline: every private entry opened, and by the built CLI', async () => {
    const report = await verifyExport(exportText);
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);
    const priv = report.entries.filter((e) => e.commit !== undefined);
    // The MSEL, the hold of INJ-04, three injects and the note.
    const byKind = (k: string) => priv.filter((e) => e.kind === k).length;
    expect(['scenario', 'inject-control', 'inject', 'note'].map(byKind)).toEqual([1, 1, 3, 1]);
    expect(priv).toHaveLength(6);
    expect(
      priv.filter((e) => e.reveal === undefined).map((e) => e.idx),
      'private entries without reveal',
    ).toEqual([]);
    const file = path.join(dir, `${EXERCISE}.hotline.jsonl`);
    writeFileSync(file, exportText);
    const cli = await run(process.execPath, ['dist/cli/main.js', 'verify', file]);
    expect(cli.code, `hotline verify: ${cli.stdout}${cli.stderr}`).toBe(0);
    console.log(`hotline verify ${path.basename(file)}:\n${cli.stdout}${cli.stderr}`);
  });

  it('ran without page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
