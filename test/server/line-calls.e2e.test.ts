// Call requests on a real relay (docs/PROTOCOL.md section 16): request and answers, who may answer, refs,
// the open-request limit, and the window on line time (expiry, a late answer, no expiry while paused).
import { afterEach, describe, expect, it } from 'vitest';
import { accepted, lineFixture, logOf, verifyLog, waitForEntry, type LineFixture } from '../helpers/line-fixture.js';
import { RawConsole, type LineFields } from '../helpers/raw-console.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

let fx: LineFixture | undefined;
let again: TestRelay | undefined;
const extra: RawConsole[] = [];

afterEach(async () => {
  for (const c of [fx?.bj, fx?.wa, ...extra.splice(0)]) c?.close();
  await fx?.relay.cleanup();
  await again?.cleanup();
  fx = undefined;
  again = undefined;
});

const SOON = '2026-12-03T08:00:00.000Z';

async function request(c: RawConsole, subject = 'Maritime incident') {
  const { payload, answer } = await c.submitLine({
    type: 'call',
    action: 'request',
    level: 'deputy',
    subject,
    proposedAt: SOON,
  });
  return { id: payload['id'] as string, hash: accepted(answer).hash };
}

describe('call requests', () => {
  it('request → accept; request → propose → accept by the requester; decline with a note', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const a = await request(bj);
    accepted(
      (await wa.submitLine({ type: 'call', action: 'accept', ref: a.id, refHash: a.hash, callAt: SOON })).answer,
    );

    const b = await request(bj, 'Air encounter');
    const later = '2026-12-03T12:00:00.000Z';
    const propose: LineFields = { type: 'call', action: 'propose', ref: b.id, refHash: b.hash, proposedAt: later };
    accepted((await wa.submitLine(propose)).answer);
    // The requester answers the counter-proposal, still naming the request's entry.
    accepted(
      (await bj.submitLine({ type: 'call', action: 'accept', ref: b.id, refHash: b.hash, callAt: later })).answer,
    );

    const c = await request(wa, 'Exercise notice');
    const decline: LineFields = { type: 'call', action: 'decline', ref: c.id, refHash: c.hash, note: 'Not now.' };
    accepted((await bj.submitLine(decline)).answer);

    const v = await verifyLog(relay);
    expect(v.line.calls.get(a.id)).toMatchObject({ state: 'accepted', callAt: SOON });
    expect(v.line.calls.get(b.id)).toMatchObject({ state: 'accepted', callAt: later, proposedAt: later });
    expect(v.line.calls.get(b.id)?.steps.map((s) => [s.action, s.by])).toEqual([
      ['request', 'beijing'],
      ['propose', 'washington'],
      ['accept', 'beijing'],
    ]);
    expect(v.line.calls.get(c.id)).toMatchObject({ state: 'declined' });
    expect(v.line.calls.get(c.id)?.steps.at(-1)?.note).toBe('Not now.');
  });

  it('refuses an answer by the wrong side, to an unknown ref, with a wrong refHash, and a second answer', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const a = await request(bj);
    // The requester cannot answer its own request while the other side is awaited.
    const own = await bj.submitLine({ type: 'call', action: 'accept', ref: a.id, refHash: a.hash, callAt: SOON });
    expect(own.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    const unknown = await wa.submitLine({
      type: 'call',
      action: 'decline',
      ref: '01900000-0000-7000-8000-000000000000',
      refHash: a.hash,
    });
    expect(unknown.answer).toMatchObject({ type: 'rejected', code: 'UNKNOWN_REF' });
    const wrongHash = await wa.submitLine({ type: 'call', action: 'decline', ref: a.id, refHash: 'A'.repeat(43) });
    expect(wrongHash.answer).toMatchObject({ type: 'rejected', code: 'REF_HASH_MISMATCH' });
    accepted((await wa.submitLine({ type: 'call', action: 'decline', ref: a.id, refHash: a.hash })).answer);
    const again = await wa.submitLine({ type: 'call', action: 'accept', ref: a.id, refHash: a.hash, callAt: SOON });
    expect(again.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    expect((await logOf(relay)).filter((e) => e.kind === 'call')).toHaveLength(2);
    await verifyLog(relay);
  });

  it('refuses a fifth open request from one station; the other station may still ask', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    for (let i = 0; i < 4; i++) await request(bj, `Request ${i}`);
    const fifth = await bj.submitLine({
      type: 'call',
      action: 'request',
      level: 'working',
      subject: 'Five',
      proposedAt: SOON,
    });
    expect(fifth.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    await request(wa);
    const v = await verifyLog(relay);
    expect(v.line.openCalls().filter((c) => c.from === 'beijing')).toHaveLength(4);
  });

  it('expires an unanswered request when its window of line time closes, and refuses a late answer', async () => {
    // 60 000 line ms at compression 60: one real second.
    fx = await lineFixture({ callWindowMs: 60_000 });
    const { bj, wa, relay, trainer } = fx;
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    const a = await request(bj);
    const started = Date.now();
    const expired = await waitForEntry(relay, 'call-expired', () => true, 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(expired.data).toEqual({ ref: a.id, refHash: a.hash, awaiting: 'washington', windowMs: 60_000 });
    const late = await wa.submitLine({ type: 'call', action: 'accept', ref: a.id, refHash: a.hash, callAt: SOON });
    expect(late.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    const v = await verifyLog(relay);
    expect(v.line.calls.get(a.id)).toMatchObject({ state: 'expired' });
  });

  it('a restarted relay rebuilds its calls from the log: an answer is accepted, a second one refused', async () => {
    const dir = tempDir();
    fx = await lineFixture(undefined, dir);
    const a = await request(fx.bj);
    const waKey = fx.wa.key!;
    fx.bj.close();
    fx.wa.close();
    await fx.relay.close();
    fx = undefined;
    const relay = (again = await startTestRelay({}, dir));
    const wa = await RawConsole.open(relay, waKey);
    extra.push(wa);
    accepted(
      (await wa.submitLine({ type: 'call', action: 'accept', ref: a.id, refHash: a.hash, callAt: SOON })).answer,
    );
    const twice = await wa.submitLine({ type: 'call', action: 'decline', ref: a.id, refHash: a.hash });
    expect(twice.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    const v = await verifyLog(relay);
    expect(v.line.calls.get(a.id)).toMatchObject({ state: 'accepted' });
  });

  it('does not expire a request while the exercise is paused; it expires once resumed', async () => {
    fx = await lineFixture({ callWindowMs: 60_000 });
    const { bj, relay, trainer } = fx;
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    const a = await request(bj);
    await trainer.setState('dtl', { state: 'paused' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await logOf(relay)).some((e) => e.kind === 'call-expired')).toBe(false);
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    const expired = await waitForEntry(relay, 'call-expired', () => true, 5_000);
    expect(expired.data).toMatchObject({ ref: a.id });
    await verifyLog(relay);
  });
});
