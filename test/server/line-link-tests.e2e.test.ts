// Link tests on a real relay (docs/PROTOCOL.md section 16): every linkTestIntervalMs (real time) the relay
// tests each station that has an enrolled key; a console of that station answers within linkTestTimeoutMs
// or the relay logs the miss. First reply wins; none after ENDEX; a restarted relay keeps going.
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.js';
import {
  accepted,
  lineFixture,
  logOf,
  nextEntry,
  nextTest,
  verifyLog,
  waitForEntry,
  type LineFixture,
} from '../helpers/line-fixture.js';
import { enrolKey, RawConsole } from '../helpers/raw-console.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

const FAST = { linkTestIntervalMs: 1_000, linkTestTimeoutMs: 400 };

let fx: LineFixture | undefined;
const more: RawConsole[] = [];
let other: TestRelay | undefined;

afterEach(async () => {
  for (const c of [fx?.bj, fx?.wa, ...more.splice(0)]) c?.close();
  await fx?.relay.cleanup();
  await other?.cleanup();
  fx = undefined;
  other = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reply(c: RawConsole, test: Entry) {
  return c.submitLine({ type: 'link-reply', ref: (test.data as { id: string }).id, refHash: test.hash });
}

describe('link tests', () => {
  it('tests each station every interval; a reply is logged with its round trip, silence is missed', async () => {
    fx = await lineFixture(FAST);
    const { bj, wa, relay } = fx;
    // Beijing answers its test; Washington stays silent.
    const toBj = await nextTest(bj);
    expect(toBj.data).toMatchObject({ to: 'beijing', timeoutMs: 400 });
    const answer = accepted((await reply(bj, toBj)).answer);
    const missed = await waitForEntry(relay, 'link-missed', (e) => (e.data as { to: string }).to === 'washington');
    const toWa = (await logOf(relay)).find(
      (e) => e.kind === 'link-test' && (e.data as { to: string }).to === 'washington',
    )!;
    expect(missed.data).toEqual({ ref: (toWa.data as { id: string }).id, refHash: toWa.hash, to: 'washington' });
    expect(Date.parse(missed.at) - Date.parse(toWa.at)).toBeGreaterThanOrEqual(400);
    // The miss reaches the consoles too.
    expect((await nextEntry(wa, 'link-missed')).hash).toBe(missed.hash);

    const v = await verifyLog(relay);
    const bjHealth = v.line.health('beijing');
    expect(bjHealth.lastRttMs).toBe(Date.parse(answer.at) - Date.parse(toBj.at));
    expect(bjHealth.missed).toBe(0);
    expect(v.line.health('washington').missed).toBeGreaterThanOrEqual(1);
  });

  it('refuses a reply after the timeout, a second device’s reply, and a reply to the other station’s test', async () => {
    fx = await lineFixture(FAST);
    const { bj, wa, relay } = fx;
    const second = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    more.push(second);
    const test = await nextTest(bj);
    expect((test.data as { to: string }).to).toBe('beijing');
    const notMine = await wa.submitLine({
      type: 'link-reply',
      ref: (test.data as { id: string }).id,
      refHash: test.hash,
    });
    expect(notMine.answer).toMatchObject({ type: 'rejected', code: 'UNKNOWN_REF' });
    accepted((await reply(bj, test)).answer);
    const late = await reply(second, test);
    expect(late.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });

    // The next test: nobody answers in time, then the answer comes too late.
    const next = await nextTest(bj);
    await waitForEntry(
      relay,
      'link-missed',
      (e) => (e.data as { ref: string }).ref === (next.data as { id: string }).id,
    );
    const tooLate = await reply(bj, next);
    expect(tooLate.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    await verifyLog(relay);
  });

  it('tests no station without an enrolled key, and stops at ENDEX', async () => {
    const relay = (other = await startTestRelay());
    const trainer = await relay.trainer();
    await trainer.setProcedures('dtl', { line: FAST });
    const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    more.push(bj);
    await nextTest(bj);
    await nextTest(bj);
    const tests = (await logOf(relay)).filter((e) => e.kind === 'link-test');
    expect(tests.map((e) => (e.data as { to: string }).to)).toEqual(tests.map(() => 'beijing'));
    await trainer.setState('dtl', { state: 'running' });
    await trainer.setState('dtl', { state: 'ended' });
    const at = (await logOf(relay)).length;
    await sleep(2_200);
    const after = (await logOf(relay)).slice(at);
    expect(after).toEqual([]);
    await verifyLog(relay);
  });

  it('new line settings take effect at once: a relay on the hourly default re-arms to the new interval', async () => {
    fx = await lineFixture();
    const { bj, trainer, relay } = fx;
    await sleep(300);
    expect((await logOf(relay)).some((e) => e.kind === 'link-test')).toBe(false);
    await trainer.setProcedures('dtl', { line: FAST });
    const test = await nextTest(bj);
    const settings = (await logOf(relay)).filter((e) => e.kind === 'procedures').at(-1)!;
    // One new interval after the settings (the hourly default would be an hour after the enrolment).
    const after = Date.parse(test.at) - Date.parse(settings.at);
    expect(after).toBeGreaterThanOrEqual(1_000);
    expect(after).toBeLessThan(3_000);
    expect(test.data).toMatchObject({ timeoutMs: 400 });
    await verifyLog(relay);
  });

  it('a restarted relay marks an overdue open test missed at once and keeps testing', async () => {
    const dir = tempDir();
    fx = await lineFixture(FAST, dir);
    const { bj, relay } = fx;
    const test = await nextTest(bj);
    // Stop before the timeout: the test is left open in the log.
    bj.close();
    fx.wa.close();
    await relay.close();
    fx = undefined;
    await sleep(1_200);
    const again = (other = await startTestRelay({}, dir));
    const id = (test.data as { id: string }).id;
    const missed = await waitForEntry(again, 'link-missed', (e) => (e.data as { ref: string }).ref === id, 3_000);
    // Marked at once on restart, long after its timeout.
    expect(Date.parse(missed.at) - Date.parse(test.at)).toBeGreaterThanOrEqual(1_200);
    const toBeijing = (e: Entry) => (e.data as { to: string }).to === 'beijing' && e.idx > missed.idx;
    const next = await waitForEntry(again, 'link-test', toBeijing, 3_000);
    // The next test is one interval after the last, which had long passed: it follows at once.
    expect(Date.parse(next.at) - Date.parse(test.at)).toBeGreaterThanOrEqual(1_000);
    expect(Date.parse(next.at) - Date.parse(missed.at)).toBeLessThan(1_000);
    await verifyLog(again);
  });
});
