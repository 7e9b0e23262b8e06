// The operator console (/console) and the landing page (/) in real Chromium against a real relay:
// enrolment by link and by typed code, a FLASH exchange with every state, the keyboard-only path,
// reloads and relay restarts without loss or duplicates, a tampered log raising the verification alarm,
// accessibility (axe-core), and a 390-wide screen. Needs `npm run build` first (the relay serves dist/web).
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backgroundOf, openBrowser, openStationBrowsers, screenshot, type Browser } from '../helpers/browser.js';
import { startTestRelay, until, type TestRelay } from '../helpers/relay.js';

// The page.evaluate callbacks below run in Chromium, but this file is type-checked without the DOM lib
// (tsconfig.json): declare, for this module only, the little of the DOM they touch.
interface PageElement {
  id: string;
  value?: string;
  textContent: string | null;
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
}
interface IdbRequest<T> {
  result: T;
  /** A DOMException, which is an Error. */
  error: Error | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface StoredKey {
  algorithm: { name: string };
  extractable: boolean;
  type: string;
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: { lang: string; scrollWidth: number; clientWidth: number };
  querySelector(selector: string): PageElement | null;
};
declare const localStorage: { getItem(key: string): string | null };
interface IdbStore {
  get(key: string): IdbRequest<unknown>;
  put(value: unknown, key: string): IdbRequest<unknown>;
}
declare const indexedDB: {
  open(
    name: string,
  ): IdbRequest<{ transaction(store: string, mode?: string): { objectStore(name: string): IdbStore }; close(): void }>;
};

const WAIT = 10_000;
const RECONNECT = 15_000;

let beijing: Browser;
let washington: Browser;
let relays: TestRelay[] = [];
let extra: Browser[] = [];
const problems = new Map<Page, string[]>();

/** Records what must never happen on a page: CSP violations and uncaught errors. */
function watch(page: Page): void {
  if (problems.has(page)) return;
  page.setDefaultTimeout(WAIT); // every wait is bounded, even those that name no timeout
  page.setDefaultNavigationTimeout(WAIT);
  const list: string[] = [];
  problems.set(page, list);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      list.push(`CSP: ${msg.text()}`);
  });
  page.on('pageerror', (err) => list.push(`page error: ${err.message}`));
}

async function relay(dataDir?: string, port?: number): Promise<TestRelay> {
  const r = await startTestRelay(port === undefined ? {} : { port }, dataDir);
  relays.push(r);
  return r;
}

/** Stops the relay, runs `whileDown`, then starts a new relay on the same data directory and port. */
async function restart(r: TestRelay, whileDown: () => Promise<void> = async () => undefined): Promise<TestRelay> {
  await r.close();
  relays = relays.filter((x) => x !== r);
  await whileDown();
  return relay(r.dataDir, r.port);
}

beforeAll(async () => {
  [beijing, washington] = await openStationBrowsers();
  watch(beijing.page);
  watch(washington.page);
});

afterEach(async () => {
  for (const [, list] of problems) expect(list, `problems on a page`).toEqual([]);
  // Leave the relay's origin before it stops (a failed test may leave a navigation pending: retry once).
  for (const b of [beijing, washington]) await b.page.goto('about:blank').catch(() => b.page.goto('about:blank'));
  for (const b of extra) await b.close();
  extra = [];
  for (const r of relays) await r.cleanup();
  relays = [];
});

afterAll(async () => {
  await Promise.all([beijing?.close(), washington?.close()]);
});

// ---- page helpers -------------------------------------------------------------------------------------

const status = (page: Page) => page.locator('[data-testid="status"]');
const cards = (page: Page, text?: string) =>
  text === undefined ? page.locator('li.msg') : page.locator('li.msg', { hasText: text });

async function waitLink(page: Page, state: 'open' | 'reconnecting' | 'connecting', timeout = WAIT): Promise<void> {
  await page.waitForSelector(`[data-testid="status"][data-link="${state}"]`, { timeout });
}

async function waitPeer(page: Page, peer: 'online' | 'offline', timeout = WAIT): Promise<void> {
  await page.waitForSelector(`[data-testid="status"][data-peer="${peer}"]`, { timeout });
}

async function waitState(page: Page, subject: string, state: string, timeout = WAIT): Promise<void> {
  await cards(page, subject)
    .and(page.locator(`[data-state="${state}"]`))
    .waitFor({ timeout });
}

/** Opens the enrolment link as `hotline serve` prints it and enrols with the mouse-free default path. */
async function enrolByLink(page: Page, r: TestRelay, station: string, operator: string, shot?: string): Promise<void> {
  const code = await r.issueCode(station);
  await page.goto(`${r.url}/console#code=${code}`);
  await page.locator('#enrol-operator').waitFor({ timeout: WAIT });
  expect(new URL(page.url()).hash, 'the code is removed from the address bar').toBe('');
  await page.locator('[data-testid="code-from-link"]').waitFor({ timeout: WAIT });
  await page.fill('#enrol-operator', operator);
  if (shot) await screenshot(page, shot);
  await page.press('#enrol-operator', 'Enter');
  await page.locator('[data-testid="console"]').waitFor({ timeout: WAIT });
  await waitLink(page, 'open');
}

async function compose(page: Page, m: { precedence: string; subject: string; body: string }): Promise<void> {
  await page.click(`label[for="prec-${m.precedence}"]`);
  expect(await page.isChecked(`[data-testid="prec-${m.precedence}"]`)).toBe(true);
  await page.fill('#compose-subject', m.subject);
  await page.fill('#compose-body', m.body);
  await page.press('#compose-body', 'Control+Enter');
  await cards(page, m.subject).waitFor({ timeout: WAIT });
}

async function axe(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${what}`,
  ).toEqual([]);
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(client);
}

// ---- tests --------------------------------------------------------------------------------------------

describe('landing page', () => {
  it('explains Hotline, links the consoles, is served with the strict CSP and passes axe', async () => {
    const r = await relay();
    const page = beijing.page;
    const res = await page.goto(`${r.url}/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('h1').textContent()).resolves.toBe('Hotline');
    expect(await page.locator('a[href="/console"]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[href="/trainer"]').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain('hotline serve');
    await axe(page, 'landing page');
    await screenshot(page, 'landing');
  });
});

describe('operator console', () => {
  it('enrols both stations by link, exchanges a FLASH, acknowledges by shortcut; the sender sees every state', async () => {
    const r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    // Enrolment screen (before submitting) passes axe.
    const code = await r.issueCode('beijing');
    await bj.goto(`${r.url}/console#code=${code}`);
    await bj.locator('#enrol-operator').waitFor({ timeout: WAIT });
    await axe(bj, 'enrolment screen');
    await bj.fill('#enrol-operator', 'Duty officer Li');
    await screenshot(bj, 'enrolment');
    await bj.press('#enrol-operator', 'Enter');
    await bj.locator('[data-testid="console"]').waitFor({ timeout: WAIT });
    await waitLink(bj, 'open');
    expect(await bj.locator('[data-testid="station-name"]').textContent()).toContain('北京');
    expect(await bj.evaluate(() => document.documentElement.lang)).toBe('zh-Hans');

    await enrolByLink(dc, r, 'washington', 'Watch officer Smith');
    expect(await dc.locator('[data-testid="station-name"]').textContent()).toContain('Washington');
    // The shared domain rules, in each console's language: deadlines in the compose hint, the marking's colour.
    expect(await bj.locator('#prec-hint').textContent()).toBe(
      'FLASH（特急）：10 分钟内确认。IMMEDIATE（加急）：30 分钟内确认。PRIORITY（急）：3 小时内确认。ROUTINE（平）：6 小时内确认。',
    );
    expect(await dc.locator('#prec-hint').textContent()).toBe(
      'FLASH: acknowledge within 10 min. IMMEDIATE: within 30 min. PRIORITY: within 3 h. ROUTINE: within 6 h.',
    );
    expect(await dc.locator('#classification').textContent()).toBe('UNCLASSIFIED // EXERCISE');
    expect(await dc.locator('#classification').getAttribute('class')).toBe('classification level-unclassified');
    expect(await backgroundOf(dc.locator('#classification'))).toBe('rgb(26, 127, 55)');
    // The key pair lives in IndexedDB as a non-extractable WebCrypto key, in the slot named in localStorage.
    const stored = await storedKey(bj);
    expect(stored.slot).toMatch(/^dtl:beijing:[A-Za-z0-9_-]{43}$/);
    expect(stored).toMatchObject({ found: true, algorithm: 'Ed25519', extractable: false, type: 'private' });
    await waitPeer(bj, 'online');
    await waitPeer(dc, 'online');
    expect(await status(dc).locator('[data-testid="link-detail"]').textContent()).toMatch(/RTT (\d+ ms|—)/);

    await compose(bj, {
      precedence: 'FLASH',
      subject: 'Aircraft incident',
      body: 'Request immediate call between ministers. Please acknowledge.',
    });

    // Washington: verified FLASH, standing out, with the alarm and its countdown.
    const incoming = cards(dc, 'Aircraft incident');
    await incoming.and(dc.locator('[data-verified="true"][data-direction="in"]')).waitFor({ timeout: WAIT });
    expect(await incoming.getAttribute('data-precedence')).toBe('FLASH');
    expect(await incoming.locator('[data-testid="precedence"]').textContent()).toBe('FLASH');
    expect(await incoming.locator('[data-testid="verified"]').count()).toBe(1);
    expect(await incoming.locator('[data-testid="awaiting-ack"]').count()).toBe(1);
    const alarm = dc.locator('[data-testid="precedence-alarm"][data-precedence="FLASH"]');
    await alarm.waitFor({ timeout: WAIT });
    expect(await alarm.locator('[data-testid="countdown"]').textContent()).toMatch(/^(9|10):\d\d$/);
    await dc.waitForFunction(
      () => document.querySelector('[data-testid="live-assertive"]')?.textContent?.includes('FLASH'),
      null,
      { timeout: WAIT },
    );
    await waitState(bj, 'Aircraft incident', 'delivered');
    await screenshot(dc, 'washington-flash-alarm');
    await axe(dc, 'conversation screen with a FLASH alarm');

    // Acknowledge with the keyboard shortcut.
    await dc.keyboard.press('Alt+A');
    await waitState(dc, 'Aircraft incident', 'acknowledged');
    await alarm.waitFor({ state: 'detached', timeout: WAIT });
    await waitState(bj, 'Aircraft incident', 'acknowledged');

    // Beijing sees every state with its time.
    const sent = cards(bj, 'Aircraft incident');
    for (const state of ['queued', 'accepted', 'delivered', 'acknowledged']) {
      const li = sent.locator(`.states [data-state="${state}"]`);
      expect(await li.getAttribute('data-done'), state).toBe('true');
      expect(await li.locator('time').textContent(), state).toMatch(/^\d\d:\d\d:\d\dZ$/);
    }
    expect(await sent.locator('.msg-dtg').textContent()).toMatch(/\d{6}Z [A-Z]{3} \d\d$/);
    await screenshot(bj, 'beijing-states');
    await axe(bj, 'conversation screen (zh)');

    // Switchable language; a reload keeps the enrolment, the choice, and shows the message once.
    await bj.click('[data-testid="lang-switch"]');
    expect(await bj.locator('[data-testid="station-name"]').textContent()).toContain('Beijing');
    await bj.reload();
    await waitState(bj, 'Aircraft incident', 'acknowledged');
    expect(await bj.locator('[data-testid="station-name"]').textContent()).toContain('Beijing');
    expect(await cards(bj).count()).toBe(1);
    await screenshot(bj, 'beijing-states-en');
  });
});

describe('keyboard only', () => {
  it('enrols (by link and by typed code), composes, sends with Ctrl+Enter and acknowledges with Alt+A', async () => {
    const r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    const kb = (page: Page) => page.keyboard;

    // Beijing by link: focus starts in the operator field.
    const code = await r.issueCode('beijing');
    await bj.goto(`${r.url}/console#code=${code}`);
    await bj.waitForFunction(() => document.activeElement?.id === 'enrol-operator', null, { timeout: WAIT });
    await kb(bj).type('Duty officer Wang');
    await kb(bj).press('Enter');
    await waitLink(bj, 'open');

    // Washington types the code: focus starts in the code field, Tab reaches the name.
    const typed = await r.issueCode('washington');
    await dc.goto(`${r.url}/console`);
    await dc.waitForFunction(() => document.activeElement?.id === 'enrol-code', null, { timeout: WAIT });
    await kb(dc).type('ABCDE-FGHJK-MNPQR-STVWX-YZ012-3'); // a mistyped code first
    await kb(dc).press('Tab');
    expect(await dc.evaluate(() => document.activeElement?.id)).toBe('enrol-operator');
    await kb(dc).type('Watch officer Jones');
    await kb(dc).press('Enter');
    const error = dc.locator('[data-testid="enrol-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('ENROLMENT_CODE_INVALID');
    expect(await dc.evaluate(() => document.activeElement?.id)).toBe('enrol-code');
    await kb(dc).press('Control+A');
    await kb(dc).type(typed.toLowerCase()); // codes are accepted in any case
    await kb(dc).press('Enter');
    await waitLink(dc, 'open');
    await waitPeer(bj, 'online');

    // Compose from the keyboard: Alt+N, arrows to IMMEDIATE, Tab to subject and body, Ctrl+Enter.
    await kb(bj).press('Alt+N');
    expect(await bj.evaluate(() => document.activeElement?.value)).toBe('ROUTINE');
    await kb(bj).press('ArrowUp');
    await kb(bj).press('ArrowUp');
    expect(await bj.evaluate(() => document.activeElement?.value)).toBe('IMMEDIATE');
    await kb(bj).press('Tab');
    await kb(bj).type('Naval vessels');
    await kb(bj).press('Tab');
    await kb(bj).type('Two vessels are holding position. Confirm receipt.');
    await kb(bj).press('Control+Enter');
    await waitState(bj, 'Naval vessels', 'delivered');

    // Washington: IMMEDIATE alarm with a 30-minute deadline; Alt+A from wherever the focus is.
    const alarm = dc.locator('[data-testid="precedence-alarm"][data-precedence="IMMEDIATE"]');
    await alarm.waitFor({ timeout: WAIT });
    expect(await alarm.locator('[data-testid="countdown"]').textContent()).toMatch(/^(29|30):\d\d$/);
    await kb(dc).press('Alt+T');
    expect(await dc.evaluate(() => document.activeElement?.closest('li.msg')?.getAttribute('data-precedence'))).toBe(
      'IMMEDIATE',
    );
    await kb(dc).press('Alt+A');
    await waitState(bj, 'Naval vessels', 'acknowledged');
    await alarm.waitFor({ state: 'detached', timeout: WAIT });
    // The keyboard help documents the shortcuts on the page.
    expect(await dc.locator('[data-testid="keyboard-help"]').textContent()).toMatch(/Alt.*A.*Acknowledge/s);
  });
});

describe('durability in the browser', () => {
  it('keeps a message queued while the relay is down across a reload and sends it exactly once', async () => {
    let r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    await enrolByLink(bj, r, 'beijing', 'Duty officer Zhao');
    await enrolByLink(dc, r, 'washington', 'Watch officer Brown');

    r = await restart(r, async () => {
      await waitLink(bj, 'reconnecting');
      await bj.locator('[data-testid="link-detail"]').filter({ hasText: /\d+ s/ }).waitFor({ timeout: WAIT });
      await compose(bj, {
        precedence: 'PRIORITY',
        subject: 'Queued while down',
        body: 'Sent while the relay was stopped.',
      });
      await compose(bj, {
        precedence: 'ROUTINE',
        subject: 'Corrupted in the outbox',
        body: 'Its signature is damaged before it is sent.',
      });
      await waitState(bj, 'Queued while down', 'queued');
      expect(await cards(bj, 'Queued while down').locator('[data-testid="unverified"]').count()).toBe(1);
      expect(await bj.locator('[data-testid="outbox-count"]').textContent()).toMatch(/2/);
      await screenshot(bj, 'beijing-queued-offline');
      // Reload: the page goes away with the message only in IndexedDB (the relay cannot even serve the
      // page, so Chromium shows its error page; wait until that navigation has committed).
      await bj.reload({ timeout: WAIT }).catch(() => undefined);
      await until(() => bj.url().startsWith('chrome-error:'), WAIT, 'the error page after reloading');
    });

    // Damage the second item's signature at rest (from a same-origin page that is not the console), so the
    // relay refuses it: the console must show the refusal with its reason, and still deliver the first.
    await bj.goto(`${r.url}/livez`);
    await corruptOutboxItem(bj, 'Corrupted in the outbox');
    await bj.goto(`${r.url}/console`);
    await waitState(bj, 'Queued while down', 'delivered', RECONNECT);
    const refused = cards(bj, 'Corrupted in the outbox');
    await waitState(bj, 'Corrupted in the outbox', 'rejected');
    expect(await refused.locator('.state-rejected').textContent()).toMatch(/BAD_SIGNATURE/);
    expect(await refused.locator('[data-testid="refused"]').count()).toBe(1);
    expect(await refused.locator('.state-reason').textContent()).toMatch(/签名|signature/i);
    await screenshot(bj, 'beijing-delivered-and-refused');
    await cards(dc, 'Queued while down').waitFor({ timeout: RECONNECT });
    expect(await cards(bj, 'Queued while down').count()).toBe(1);
    expect(await cards(dc, 'Queued while down').count()).toBe(1);
    // The log holds it exactly once.
    const log = await exported(r);
    expect(log.filter((e) => e.kind === 'message' && payload(e).subject === 'Queued while down')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'message' && payload(e).subject === 'Corrupted in the outbox')).toHaveLength(0);
    expect(await cards(dc, 'Corrupted in the outbox').count()).toBe(0);
  });

  it('reconnects both consoles after a relay restart and resumes without duplicates', async () => {
    const r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    await enrolByLink(bj, r, 'beijing', 'Duty officer Sun');
    await enrolByLink(dc, r, 'washington', 'Watch officer Miller');
    await compose(bj, { precedence: 'ROUTINE', subject: 'Before restart', body: 'Line check one.' });
    await waitState(bj, 'Before restart', 'delivered');

    await restart(r, async () => {
      await Promise.all([waitLink(bj, 'reconnecting'), waitLink(dc, 'reconnecting')]);
      await screenshot(dc, 'washington-reconnecting');
    });
    await Promise.all([waitLink(bj, 'open', RECONNECT), waitLink(dc, 'open', RECONNECT)]);
    await Promise.all([waitPeer(bj, 'online'), waitPeer(dc, 'online')]);

    await compose(dc, { precedence: 'ROUTINE', subject: 'After restart', body: 'Line check two.' });
    await waitState(dc, 'After restart', 'delivered');
    await bj.keyboard.press('Alt+A');
    await waitState(dc, 'After restart', 'acknowledged');
    for (const page of [bj, dc]) {
      expect(await cards(page).count()).toBe(2);
      expect(await cards(page, 'Before restart').count()).toBe(1);
    }
    // Both verified the same number of log entries (the labels differ: Beijing reads Chinese).
    const counts = await Promise.all(
      [bj, dc].map(async (p) => (await p.locator('[data-testid="log-count"]').textContent())?.match(/\d+/)?.[0]),
    );
    expect(counts[0]).toBeDefined();
    expect(counts[0]).toBe(counts[1]);
  });
});

describe('verification alarm', () => {
  it('raises a named alarm when a replayed log entry was tampered with, and does not show the item', async () => {
    const r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    await enrolByLink(bj, r, 'beijing', 'Duty officer Zhou');
    await enrolByLink(dc, r, 'washington', 'Watch officer Davis');
    await compose(bj, { precedence: 'ROUTINE', subject: 'Genuine', body: 'An untouched message.' });
    await compose(bj, { precedence: 'ROUTINE', subject: 'Tampered', body: 'This entry is altered at rest.' });
    await waitState(bj, 'Tampered', 'delivered');

    let tamperedIdx = -1;
    await restart(r, async () => {
      const db = new Database(path.join(r.dataDir, 'hotline.db'));
      try {
        const rows = db.prepare("SELECT idx, body FROM entries WHERE exercise = 'dtl' ORDER BY idx").all() as {
          idx: number;
          body: string;
        }[];
        const entries = rows.map((x) => ({ idx: x.idx, entry: JSON.parse(x.body) as LoggedEntry & { at: string } }));
        const { idx, entry } = entries.find(
          (x) => x.entry.kind === 'message' && payload(x.entry).subject === 'Tampered',
        )!;
        entry.at = new Date(Date.parse(entry.at) - 3_600_000).toISOString(); // backdated by an hour
        db.prepare("UPDATE entries SET body = ? WHERE exercise = 'dtl' AND idx = ?").run(JSON.stringify(entry), idx);
        tamperedIdx = idx;
      } finally {
        db.close();
      }
    });

    await dc.reload();
    const alarm = dc.locator('[data-testid="verification-alarm"][data-code="CHAIN_BROKEN"]');
    await alarm.waitFor({ timeout: RECONNECT });
    const text = await alarm.textContent();
    expect(text).toContain('CHAIN_BROKEN');
    expect(text).toContain(`entry ${tamperedIdx}`);
    expect(text).toMatch(/does not match its content/);
    await dc.waitForFunction(
      () => document.querySelector('[data-testid="live-assertive"]')?.textContent?.includes('CHAIN_BROKEN'),
      null,
      { timeout: WAIT },
    );
    await cards(dc, 'Genuine').waitFor({ timeout: WAIT });
    expect(await cards(dc, 'Tampered').count()).toBe(0);
    await screenshot(dc, 'verification-alarm');
  });
});

describe('small screens and a second device', () => {
  it('renders at 390x844 without horizontal scrolling; a second browser of the same station acknowledges', async () => {
    const r = await relay();
    const bj = beijing.page;
    const dc = washington.page;
    await enrolByLink(bj, r, 'beijing', 'Duty officer Qian');
    await enrolByLink(dc, r, 'washington', 'Watch officer Taylor');
    const phone = await openBrowser({ width: 390, height: 844 });
    extra.push(phone);
    watch(phone.page);
    const code = await r.issueCode('washington');
    await phone.page.goto(`${r.url}/console#code=${code}`);
    await phone.page.locator('#enrol-operator').waitFor({ timeout: WAIT });
    await noHorizontalScroll(phone.page);
    await screenshot(phone.page, 'mobile-enrolment');
    await phone.page.fill('#enrol-operator', 'Deputy watch officer Lee');
    await phone.page.press('#enrol-operator', 'Enter');
    await waitLink(phone.page, 'open');

    const subject = 'Request for a call between defence ministers within forty-eight hours';
    await compose(bj, {
      precedence: 'FLASH',
      subject,
      body: `${'Reference: DTL-2007-11-0001/ACK-REQUIRED/'.repeat(4)}\nPlease confirm.`,
    });
    await cards(phone.page, subject).waitFor({ timeout: WAIT });
    await phone.page.locator('[data-testid="precedence-alarm"]').waitFor({ timeout: WAIT });
    await noHorizontalScroll(phone.page);
    await screenshot(phone.page, 'mobile-console');
    await axe(phone.page, 'conversation screen at 390 px');

    // Acknowledged on the phone: the sender sees it, and the desk console's alarm clears too.
    await cards(phone.page, subject).locator('[data-testid="ack"]').click();
    await waitState(bj, subject, 'acknowledged');
    await dc.locator('[data-testid="precedence-alarm"]').waitFor({ state: 'detached', timeout: WAIT });
    await waitState(dc, subject, 'acknowledged');
  });
});

describe('revocation', () => {
  it('shows a fatal alarm when the console key is revoked and offers to enrol again', async () => {
    const r = await relay();
    const dc = washington.page;
    await enrolByLink(dc, r, 'washington', 'Watch officer Clark');
    const kid = (await storedKey(dc)).slot.split(':')[2]!;
    const res = await r.api(
      'POST',
      `/v1/exercises/dtl/keys/${kid}/revoke`,
      { reason: 'device lost' },
      await r.trainerToken(),
    );
    expect(res.status).toBeLessThan(300);
    if ((await dc.locator('[data-testid="fatal-alarm"]').count()) === 0) await dc.reload(); // a relay may only refuse the next hello
    const fatal = dc.locator('[data-testid="fatal-alarm"][data-code="KEY_REVOKED"]');
    await fatal.waitFor({ timeout: RECONNECT });
    await fatal.getByRole('button').click();
    await dc.locator('[data-testid="enrolment"]').waitFor();
  });
});

/** Flips one character in the middle of the signature of the queued item with this subject (in IndexedDB). */
async function corruptOutboxItem(page: Page, subject: string): Promise<void> {
  const changed = await page.evaluate(async (subject) => {
    const slot = localStorage.getItem('hotline.console.active') ?? '';
    const done = <T>(req: IdbRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
      });
    const db = await done(indexedDB.open('hotline'));
    const store = () => db.transaction('consoles', 'readwrite').objectStore('consoles');
    const state = (await done(store().get(slot))) as { outbox: { jws: string; payload: { subject?: string } }[] };
    const item = state.outbox.find((i) => i.payload.subject === subject);
    if (!item) return false;
    const [h, p, sig] = item.jws.split('.') as [string, string, string];
    const at = Math.floor(sig.length / 2);
    item.jws = `${h}.${p}.${sig.slice(0, at)}${sig[at] === 'A' ? 'B' : 'A'}${sig.slice(at + 1)}`;
    await done(store().put(state, slot));
    db.close();
    return true;
  }, subject);
  expect(changed, `outbox item "${subject}"`).toBe(true);
}

/** What IndexedDB holds for the active console slot (read in the page, as the console does). */
async function storedKey(
  page: Page,
): Promise<{ slot: string; found: boolean; algorithm?: string; extractable?: boolean; type?: string }> {
  return page.evaluate(async () => {
    const slot = localStorage.getItem('hotline.console.active') ?? '';
    const done = <T>(req: IdbRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
      });
    const db = await done(indexedDB.open('hotline'));
    const state = (await done(db.transaction('consoles').objectStore('consoles').get(slot))) as
      { identity?: { privateKey?: StoredKey } } | undefined;
    db.close();
    const key = state?.identity?.privateKey;
    return key
      ? { slot, found: true, algorithm: key.algorithm.name, extractable: key.extractable, type: key.type }
      : { slot, found: false };
  });
}

// ---- log helpers --------------------------------------------------------------------------------------

interface LoggedEntry {
  idx: number;
  kind: string;
  jws?: string;
}

async function exported(r: TestRelay): Promise<LoggedEntry[]> {
  const res = await r.api<string>('GET', '/v1/exercises/dtl/export', undefined, await r.trainerToken());
  expect(res.status).toBe(200);
  return res.body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter(
      (x): x is LoggedEntry & Record<string, unknown> => typeof x['idx'] === 'number' && typeof x['kind'] === 'string',
    );
}

function payload(entry: { jws?: string }): Record<string, unknown> {
  if (!entry.jws) return {};
  return JSON.parse(Buffer.from(entry.jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
