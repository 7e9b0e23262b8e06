// Running an exercise from the trainer console alone, in real Chromium against a real relay: sign in with a
// display name, load a scenario by file (an invalid one first: every problem listed, nothing sent), STARTEX
// at 60x, a timed inject fires and shows in its station's column as an EXERCISE INJECT with the operator's
// receipts, another left unacknowledged raises the overdue alarm when its console's deadline falls (line
// time: 30 s at 60x for an IMMEDIATE), hold / release / skip / edit / fire a manual inject, an ad-hoc
// inject, a note with Ctrl+Enter, pause (the clock stops), resume, ENDEX after confirming. After each step
// the page shows the relay's RunState. Screenshots of each new screen; axe-core on each.
// Needs the built pages: run `npm run build` first (npm test does).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import type { TrainerApi } from '../../client/trainer-api.js';
import { lineDeadline } from '../../shared/deadlines.js';
import { formatExerciseTime, parseOffset } from '../../shared/exercise-clock.js';
import type { RunState } from '../../shared/http-api.js';
import type { ExerciseDef } from '../../shared/items.js';
import { scenarioProblems, type InjectDef } from '../../shared/scenario.js';
import { DEFAULT_STATIONS } from '../../shared/stations.js';
import { axe } from '../helpers/a11y.js';
import { openBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const WAIT = { timeout: 10_000 };
const NAME = 'Ana Controller';
const DEF: ExerciseDef = {
  id: 'ex-run',
  title: 'Incident in the strait',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: DEFAULT_STATIONS,
};

const inject = (over: Partial<InjectDef> & Pick<InjectDef, 'id' | 'at' | 'to'>): InjectDef => ({
  from:
    over.to === 'beijing'
      ? { zh: '南部战区', en: 'Southern Theater Command' }
      : { en: 'US Embassy Beijing', zh: '美国驻华大使馆' },
  precedence: 'IMMEDIATE',
  subject: { zh: '情况通报', en: 'Situation report' },
  body: { zh: '一艘船只进入海峡。', en: 'A vessel entered the strait.' },
  expectedAction: 'Call the other side and report.',
  controllerNotes: 'Watch how long the first call takes.',
  ...over,
});

const SCENARIO = {
  format: 'hotline-scenario',
  v: 1,
  title: 'Strait test',
  summary: 'Two timed injects, one far off, two contingencies.',
  compression: 6,
  injects: [
    inject({ id: 'T-01', at: '00:01:00', to: 'beijing', precedence: 'FLASH' }),
    inject({ id: 'T-02', at: '00:02:00', to: 'washington' }),
    inject({ id: 'T-03', at: '05:00:00', to: 'beijing' }),
    inject({ id: 'M-01', at: 'manual', to: 'washington', precedence: 'PRIORITY' }),
    inject({ id: 'M-02', at: 'manual', to: 'beijing', precedence: 'ROUTINE' }),
  ],
};

/** The same scenario with three faults: a body without the station's language, a bad time, a bad precedence. */
const INVALID = {
  ...SCENARIO,
  injects: [
    SCENARIO.injects[0],
    { ...SCENARIO.injects[1], id: 'T-02', at: 'soon' },
    { ...SCENARIO.injects[2], precedence: 'URGENT' },
  ],
};

describe('running an exercise from the trainer console', () => {
  let relay: TestRelay;
  let api: TrainerApi;
  let browser: Browser;
  let page: Page;
  let beijing: HotlineClient;
  let washington: HotlineClient;
  let dir: string;
  const shots: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const run = () => api.run(DEF.id);
  const row = (id: string) => page.locator(`tr[data-inject="${id}"]`);
  const bar = () => page.locator('.run-bar');

  /** The page shows the relay's RunState: phase, compression, and each inject's status. */
  async function matchesRelay(): Promise<RunState> {
    const state = await run();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe(state.phase);
    expect(await page.locator('.run-rate').textContent()).toBe(
      state.phase === 'planned' ? '—' : `${state.compression}x`,
    );
    for (const i of state.injects) {
      await expect.poll(() => row(i.id).getAttribute('data-status'), WAIT).toBe(i.status);
      if (i.fired) expect(await row(i.id).locator('.inject-status').textContent()).toContain(`entry ${i.fired.idx}`);
    }
    expect(await page.locator('tr[data-inject]').count()).toBe(state.injects.length);
    return state;
  }

  beforeAll(async () => {
    const built = path.resolve('dist/web/trainer.html');
    if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/trainer-')) {
      throw new Error('The trainer console is not built: run `npm run build` first.');
    }
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-run-'));
    relay = await startTestRelay();
    api = await relay.trainer();
    await api.createExercise(DEF);
    beijing = await enrolClient(relay, 'beijing', {}, DEF.id);
    washington = await enrolClient(relay, 'washington', {}, DEF.id);
    beijing.start();
    washington.start();
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text()))
        cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await Promise.all([beijing?.stop(), washington?.stop()]);
    await browser?.close();
    await relay?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await screenshot(page, `trainer-run-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
  });

  it('signs in with a display name, which the header shows', async () => {
    await page.goto(`${relay.url}/trainer`);
    await page.getByRole('heading', { name: 'Trainer sign-in' }).waitFor(WAIT);
    await page.getByLabel('Trainer secret').fill(relay.newTrainerSecret!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The name is required: the form does not go.
    type Field = { validity: { valueMissing: boolean } };
    expect(await page.getByLabel('Your name').evaluate((el) => (el as unknown as Field).validity.valueMissing)).toBe(
      true,
    );
    expect(await page.getByRole('heading', { name: 'Trainer sign-in' }).count()).toBe(1);
    expect(await page.getByLabel('Your name').getAttribute('maxlength')).toBe('80');
    await page.getByLabel('Your name').fill(NAME);
    // Away from the button: its hover colour is not what axe should judge.
    await page.mouse.move(0, 0);
    await axe(page, 'sign-in');
    shots.push(await screenshot(page, 'trainer-run-sign-in'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Exercises', level: 1 }).waitFor(WAIT);
    expect(await page.locator('#who .trainer-name').textContent()).toBe(NAME);
    // Each exercise with its phase.
    const listed = page.getByRole('row').filter({ has: page.getByRole('cell', { name: DEF.id, exact: true }) });
    expect(await listed.locator('.phase-tag').textContent()).toBe('PLANNED');
  });

  it('lists every problem of an invalid scenario file and sends nothing', async () => {
    await page.goto(`${relay.url}/trainer#/exercises/${DEF.id}/run`);
    await page.getByRole('heading', { name: 'Scenario (MSEL)' }).waitFor(WAIT);
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('planned');
    expect(await page.locator('.run-phase').textContent()).toBe('PLANNED');
    const file = path.join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify(INVALID));
    await page.setInputFiles('#scenario-file', file);
    const problems = page.locator('.scenario-panel .problems-list li');
    await problems.first().waitFor(WAIT);
    const expected = scenarioProblems(INVALID, DEF);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(await problems.allTextContents()).toEqual(expected);
    const texts = (await problems.allTextContents()).join('\n');
    expect(texts).toContain('inject T-02 (injects[1]) at:');
    expect(texts).toContain('inject T-03 (injects[2]) precedence:');
    expect(await page.locator('.scenario-panel .problems-title').textContent()).toMatch(
      /^invalid\.json has \d+ problems; nothing was sent:$/,
    );
    expect((await run()).scenario).toBeNull();
    await axe(page, 'invalid scenario');
    shots.push(await screenshot(page, 'trainer-run-invalid-scenario'));
  });

  it('offers the shipped scenarios, and loads one', async () => {
    const shipped = JSON.parse(readFileSync('scenarios/incident-at-sea.json', 'utf8')) as {
      title: string;
      injects: { at: string }[];
    };
    const choice = page.getByLabel('Or a shipped scenario');
    const options = await choice.locator('option').allTextContents();
    expect(options.some((o) => o.endsWith('(incident-at-sea.json)'))).toBe(true);
    expect(options.some((o) => o.endsWith('(missile-test.json)'))).toBe(true);
    const value = await choice.locator('option').filter({ hasText: '(incident-at-sea.json)' }).getAttribute('value');
    await choice.selectOption(value!);
    await page.getByRole('button', { name: 'Load this scenario' }).click();
    const manual = shipped.injects.filter((i) => i.at === 'manual').length;
    await page
      .getByText(`Loaded “${shipped.title}”: ${shipped.injects.length} injects (${manual} manual).`)
      .waitFor(WAIT);
    expect(await page.locator('.scenario-panel .problems').isHidden()).toBe(true);
    const state = await matchesRelay();
    expect(state.scenario?.title).toBe(shipped.title);
    expect(state.injects).toHaveLength(shipped.injects.length);
  });

  it('loads a valid scenario dropped on the page, in place of the last; the MSEL shows every inject', async () => {
    const data = Buffer.from(JSON.stringify(SCENARIO)).toString('base64');
    const transfer = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); const bytes = Uint8Array.from(atob(${JSON.stringify(data)}), (c) => c.charCodeAt(0)); dt.items.add(new File([bytes], 'strait.json', { type: 'application/json' })); return dt; })()`,
    );
    await page.dispatchEvent('.scenario-drop', 'drop', { dataTransfer: transfer });
    await page.getByText('Loaded “Strait test”: 5 injects (2 manual).').waitFor(WAIT);
    expect(await page.locator('.scenario-panel .problems').isHidden()).toBe(true);
    const state = await matchesRelay();
    expect(state.scenario).toMatchObject({ title: 'Strait test', by: NAME });
    // Timed injects by time, then the manual ones.
    expect(await page.locator('tr[data-inject] th').allTextContents()).toEqual([
      'T-01',
      'T-02',
      'T-03',
      'M-01',
      'M-02',
    ]);
    expect(await row('T-03').locator('td').first().textContent()).toBe('T+05:00:00');
    expect(await row('M-01').locator('td').first().textContent()).toBe('Manual');
    // Expected action and controller notes open on demand.
    await row('T-01').locator('summary').click();
    await row('T-01').getByText('Watch how long the first call takes.').waitFor(WAIT);
    // STARTEX proposes the scenario's own compression.
    await page.getByText('The scenario suggests 6x.').waitFor(WAIT);
    expect(await page.getByLabel('Compression').inputValue()).toBe('6');
    // Injects fire only after STARTEX.
    expect(await row('M-01').getByRole('button', { name: 'Fire M-01 now' }).count()).toBe(0);
    await axe(page, 'run, planned');
    shots.push(await screenshot(page, 'trainer-run-planned'));
  });

  it('STARTEX at 60x: the first timed inject fires and shows in its station’s column as an exercise inject', async () => {
    await page.getByLabel('Compression').selectOption('60');
    await page.getByRole('button', { name: 'STARTEX', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('running');
    expect(await page.locator('.run-phase').textContent()).toBe('RUNNING');
    expect(await page.locator('.run-rate').textContent()).toBe('60x');
    const started = await run();
    expect(started.transitions[0]).toMatchObject({ state: 'running', by: NAME, compression: 60 });
    await expect.poll(() => row('T-01').getAttribute('data-status'), WAIT).toBe('fired');
    // The operator acknowledges it at once: at 60x a FLASH's 10 minutes of line time are 10 real seconds.
    await until(() => beijing.injects.list().some((i) => i.inject === 'T-01'), 10_000, 'T-01 reaches Beijing');
    const t01 = beijing.injects.list().find((i) => i.inject === 'T-01')!;
    await beijing.acknowledge(t01.id, 'Calling Washington');
    await expect.poll(() => row('T-02').getAttribute('data-status'), WAIT).toBe('fired');
    // The far one is due in five exercise hours: five minutes from STARTEX at 60x.
    const due = new Date(Date.parse(started.startex!) + parseOffset('05:00:00')! / 60).toISOString().slice(11, 19);
    expect(await row('T-03').locator('.due-at').textContent()).toBe(`due ${due}Z`);
    await matchesRelay();
    await axe(page, 'run, running');
    shots.push(await screenshot(page, 'trainer-run-running'));

    // The live view shows it in Beijing's column only, with both receipts.
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    const bj = page.locator('section.console[data-station="beijing"]');
    const wa = page.locator('section.console[data-station="washington"]');
    const card = bj.locator(`li.inject[data-inject="T-01"]`);
    await card.waitFor(WAIT);
    expect(await card.locator('.inject-badge').textContent()).toBe('EXERCISE INJECT');
    expect(await card.locator('.inject-from').textContent()).toBe('from 南部战区');
    expect(await card.locator('.prec').textContent()).toBe('FLASH');
    expect(await card.locator('.body').textContent()).toBe('一艘船只进入海峡。');
    await card.locator('.state-delivered.done').waitFor(WAIT);
    await card.locator('.state-acknowledged.done').waitFor(WAIT);
    expect(await card.textContent()).toContain('Calling Washington');
    expect(await wa.locator('li.inject[data-inject="T-01"]').count()).toBe(0);
    await wa.locator('li.inject[data-inject="T-02"]').waitFor(WAIT);
    expect(await wa.locator('li.inject[data-inject="T-02"] .inject-from').textContent()).toBe(
      'from US Embassy Beijing',
    );
    // Not a message from the other station.
    expect(await bj.locator('li.msg').count()).toBe(0);
    // Every entry, private ones included, verified from its content: no verification or relay alarm, and
    // T-01 acknowledged within its deadline.
    await expect
      .poll(async () => {
        const shown = /(\d+) entries verified \(hash chain and every signature\)/.exec(
          (await page.locator('.link-line').textContent()) ?? '',
        );
        return Number(shown?.[1]) === (await api.exercise(DEF.id)).head.idx + 1;
      }, WAIT)
      .toBe(true);
    expect(await page.locator('.alarm-verification, .alarm-log, .alarm-revoked').count()).toBe(0);
    expect(await page.locator('.alarm').filter({ hasText: 'T-01' }).count()).toBe(0);
    // STARTEX as a marker across both columns, and in the list of entries.
    await bj.locator('li.state-marker .marker-label').filter({ hasText: 'STARTEX' }).waitFor(WAIT);
    await wa.locator('li.state-marker .marker-label').filter({ hasText: 'STARTEX' }).waitFor(WAIT);
    await page
      .locator('.events li.event-exercise-state')
      .filter({ hasText: `STARTEX by ${NAME} at 60x` })
      .waitFor(WAIT);
    await page.locator('.events li.event-inject').filter({ hasText: 'EXERCISE INJECT T-01' }).first().waitFor(WAIT);
    await axe(page, 'live with injects');
    shots.push(await screenshot(page, 'trainer-run-live'));
  });

  it('raises the overdue alarm of an unacknowledged inject when its console does: 30 line minutes, 30 s at 60x', async () => {
    // Washington's operator leaves T-02 (IMMEDIATE) unacknowledged. Its console counts the deadline down on
    // line time (shared/deadlines.ts, the countdown of web/src/console/alarms.ts and `hotline console`).
    await until(() => washington.injects.list().some((i) => i.inject === 'T-02'), 10_000, 'T-02 reaches Washington');
    const t02 = washington.injects.list().find((i) => i.inject === 'T-02')!;
    const accepted = Date.parse(t02.states.accepted);
    const due = lineDeadline(washington.chain.clock, t02.precedence, accepted, Date.now())!.dueAt!;
    expect(due).toBe(accepted + (30 * 60_000) / 60);
    // The trainer raises it at that moment (in real time it would take 30 minutes), with that time.
    const alarm = page.locator('.alarm[data-code="ACK_OVERDUE"]').filter({ hasText: 'T-02' });
    await alarm.waitFor({ timeout: Math.max(0, due - Date.now()) + 10_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(due);
    expect(await alarm.locator('time').getAttribute('datetime')).toBe(new Date(due).toISOString());
    expect(await alarm.locator('.alarm-msg').textContent()).toBe(
      'IMMEDIATE exercise inject T-02 for Washington: not acknowledged within 30 min of line time',
    );
    // So does the console's own countdown, and Washington's column marks the inject.
    expect(lineDeadline(washington.chain.clock, t02.precedence, accepted, Date.now())!.leftMs).toBeLessThanOrEqual(0);
    const card = page.locator('section.console[data-station="washington"] li.inject.is-overdue[data-inject="T-02"]');
    await card
      .getByText(`OVERDUE: acknowledgement was due ${new Date(due).toISOString().slice(11, 19)}Z`)
      .waitFor(WAIT);
    shots.push(await screenshot(page, 'trainer-run-live-overdue'));
    // Up to 30 s of it is waiting for the deadline.
  }, 60_000);

  it('holds, releases and skips injects, edits one (problems first) and fires it', async () => {
    await page.getByRole('link', { name: 'Run', exact: true }).click();
    await row('T-03').getByRole('button', { name: 'Hold T-03' }).click();
    await expect.poll(() => row('T-03').getAttribute('data-status'), WAIT).toBe('held');
    expect(await row('T-03').locator('.due-at').count()).toBe(0);
    await row('T-03').getByRole('button', { name: 'Release T-03' }).click();
    await expect.poll(() => row('T-03').getAttribute('data-status'), WAIT).toBe('pending');
    await row('T-03').getByRole('button', { name: 'Hold T-03' }).click();
    await expect.poll(() => row('T-03').getAttribute('data-status'), WAIT).toBe('held');
    await row('M-02').getByRole('button', { name: 'Skip M-02' }).click();
    await expect.poll(() => row('M-02').getAttribute('data-status'), WAIT).toBe('skipped');
    expect(await row('M-02').getByRole('button').count()).toBe(0);

    await row('M-01').getByRole('button', { name: 'Edit M-01' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit inject M-01 before it fires' });
    await dialog.waitFor(WAIT);
    // Washington reads English: without the English body the form names the field and sends nothing.
    await dialog.getByLabel('Body (en)').fill('');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.locator('.problems-list li').first().waitFor(WAIT);
    expect(await dialog.locator('.problems-list li').allTextContents()).toEqual([
      'body.en: required, the language of station washington',
    ]);
    expect((await run()).injects.find((i) => i.id === 'M-01')!.edited).toBe(false);
    await dialog.getByLabel('Body (en)').fill('Embassy reports a second vessel.');
    await dialog.getByLabel('Precedence').selectOption('FLASH');
    await axe(page, 'edit inject');
    shots.push(await screenshot(page, 'trainer-run-edit'));
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await row('M-01').getByText('edited').waitFor(WAIT);
    const edited = (await run()).injects.find((i) => i.id === 'M-01')!;
    expect(edited.def.body.en).toBe('Embassy reports a second vessel.');
    expect(edited.def.precedence).toBe('FLASH');

    await row('M-01').getByRole('button', { name: 'Fire M-01 now' }).click();
    await expect.poll(() => row('M-01').getAttribute('data-status'), WAIT).toBe('fired');
    await until(() => washington.injects.list().some((i) => i.inject === 'M-01'), 10_000, 'M-01 reaches Washington');
    const fired = washington.injects.list().find((i) => i.inject === 'M-01')!;
    expect(fired.body.en).toBe('Embassy reports a second vessel.');
    expect(fired.precedence).toBe('FLASH');
    await matchesRelay();
  });

  it('adds an ad-hoc inject and fires it at once', async () => {
    await page.locator('details.adhoc > summary').click();
    const form = page.locator('form.adhoc-form');
    expect(await form.getByLabel('Inject ID').inputValue()).toBe('ADHOC-01');
    await form.getByLabel('Target station').selectOption('washington');
    await form.getByLabel('Originator (en)').fill('Wire service');
    await form.getByLabel('Subject (en)').fill('Breaking');
    await form.getByLabel('Body (en)').fill('Wire report: a collision is rumoured in the strait.');
    await form.getByLabel('Expected action').fill('Ask Beijing to confirm or deny.');
    await form.getByRole('button', { name: 'Add and fire now' }).click();
    await page.getByText('Inject ADHOC-01 added and fired.').waitFor(WAIT);
    await expect.poll(() => row('ADHOC-01').getAttribute('data-status'), WAIT).toBe('fired');
    await row('ADHOC-01').getByText('ad hoc').waitFor(WAIT);
    await until(() => washington.injects.list().some((i) => i.inject === 'ADHOC-01'), 10_000, 'ADHOC-01 arrives');
    expect(await form.getByLabel('Inject ID').inputValue()).toBe('ADHOC-02');
    const state = await matchesRelay();
    expect(state.injects.find((i) => i.id === 'ADHOC-01')).toMatchObject({ added: true, status: 'fired' });
  });

  it('adds a note about an entry with Ctrl+Enter; the log records the author and the exercise time', async () => {
    const t01 = (await run()).injects.find((i) => i.id === 'T-01')!.fired!.idx;
    const notes = page.locator('section.notes');
    await notes.getByLabel('About entry').selectOption(String(t01));
    await notes.getByLabel('Note', { exact: true }).fill('Beijing answered the FLASH quickly.');
    await notes.getByLabel('Note', { exact: true }).press('Control+Enter');
    await notes.getByText(/^Note added \(entry \d+\)\.$/).waitFor(WAIT);
    const item = notes.locator('li.trainer-note').first();
    await item.waitFor(WAIT);
    expect(await item.locator('.note-text').textContent()).toBe('Beijing answered the FLASH quickly.');
    expect(await item.locator('.note-by').textContent()).toBe(NAME);
    expect(await item.locator('.note-ref').textContent()).toBe(`about entry ${t01}`);
    expect(await item.locator('.tplus').textContent()).toMatch(/^T\+\d{2}:\d{2}:\d{2}$/);
    expect(await notes.getByLabel('Note', { exact: true }).inputValue()).toBe('');
    // In the live view too, as a controller-only item.
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    const event = page.locator('.events li.event-note').filter({ hasText: 'Beijing answered the FLASH quickly.' });
    await event.waitFor(WAIT);
    expect(await event.locator('.tag-control').textContent()).toBe('CONTROL ONLY');
    await page.getByRole('link', { name: 'Run', exact: true }).click();
  });

  it('pauses (the clock stops), resumes (it runs again)', async () => {
    await page.getByRole('button', { name: 'Pause exercise', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('paused');
    expect(await page.locator('.run-phase').textContent()).toBe('PAUSED');
    const paused = await matchesRelay();
    const shown = await page.locator('.run-tplus').textContent();
    expect(shown).toBe(formatExerciseTime(paused.exerciseMs));
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await page.locator('.run-tplus').textContent()).toBe(shown);
    expect((await run()).exerciseMs).toBe(paused.exerciseMs);

    await page.getByRole('button', { name: 'Resume exercise', exact: true }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('running');
    await expect.poll(() => page.locator('.run-tplus').textContent(), WAIT).not.toBe(shown);
    const resumed = await matchesRelay();
    expect(resumed.transitions.map((t) => t.state)).toEqual(['running', 'paused', 'running']);
    expect(resumed.transitions.every((t) => t.by === NAME)).toBe(true);
    expect(await page.locator('.run-last').textContent()).toContain(`RESUMED by ${NAME}`);
  });

  it('ENDEX only after confirming: the line closes and the log is sealed', async () => {
    await page.getByRole('button', { name: 'ENDEX', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'ENDEX: end the exercise?' });
    await dialog.waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect((await run()).phase).toBe('running');

    await page.getByRole('button', { name: 'ENDEX', exact: true }).click();
    await dialog.getByRole('button', { name: 'End the exercise now' }).click();
    await expect.poll(() => bar().getAttribute('data-phase'), WAIT).toBe('ended');
    expect(await page.locator('.run-phase').textContent()).toBe('ENDEX');
    await page.getByText('The line is closed and the log is sealed.').waitFor(WAIT);
    const ended = await matchesRelay();
    expect(ended.endex).not.toBeNull();
    // The held inject never fired; nothing can be done with any inject now.
    expect(await row('T-03').getAttribute('data-status')).toBe('held');
    expect(await page.locator('tr[data-inject] button').count()).toBe(0);
    expect(await page.locator('form.note-form').isHidden()).toBe(true);
    await expect.poll(() => page.locator('.run-tplus').textContent(), WAIT).toBe(formatExerciseTime(ended.exerciseMs));
    await axe(page, 'run, ended');
    shots.push(await screenshot(page, 'trainer-run-ended'));

    await page.goto(`${relay.url}/trainer#/exercises`);
    const listed = page.getByRole('row').filter({ has: page.getByRole('cell', { name: DEF.id, exact: true }) });
    await expect.poll(() => listed.locator('.phase-tag').textContent(), WAIT).toBe('ENDEX');
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
