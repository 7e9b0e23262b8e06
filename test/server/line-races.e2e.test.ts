// The race rules of the line's procedures on a real relay (docs/PROTOCOL.md section 16): an item already in
// the log is answered as a duplicate, never PROCEDURE_STATE; while an answer is in flight a second answer to
// the same call or test is refused and the relay's own expiry or miss waits; while the relay writes its own
// closing entry an answer is refused. Whatever the interleaving, the log verifies.
import { afterEach, describe, expect, it } from 'vitest';
import { answerKey } from '../../server/line-pending.js';
import {
  accepted,
  lineFixture,
  logOf,
  nextTest,
  verifyLog,
  waitForEntry,
  type LineFixture,
} from '../helpers/line-fixture.js';
import { enrolKey, LINE_TYP, RawConsole } from '../helpers/raw-console.js';

let fx: LineFixture | undefined;
const more: RawConsole[] = [];

afterEach(async () => {
  for (const c of [fx?.bj, fx?.wa, ...more.splice(0)]) c?.close();
  await fx?.relay.cleanup();
  fx = undefined;
});

const SOON = '2026-12-03T08:00:00.000Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function request(c: RawConsole) {
  const { payload, answer } = await c.submitLine({
    type: 'call',
    action: 'request',
    level: 'principal',
    subject: 'Strait transit',
    proposedAt: SOON,
  });
  return { id: payload['id'] as string, hash: accepted(answer).hash };
}

describe('race rules', () => {
  it('answers a resubmitted answer as the duplicate it is, on the same or a new connection', async () => {
    fx = await lineFixture({ linkTestIntervalMs: 1_000, linkTestTimeoutMs: 400 });
    const { bj, wa, relay } = fx;
    const call = await request(bj);
    const payload = wa.lineItem({ type: 'call', action: 'accept', ref: call.id, refHash: call.hash, callAt: SOON });
    const jws = await wa.sign(payload, { typ: LINE_TYP.call });
    const first = accepted(await wa.submit(jws));
    wa.seq = first.seq + 1;
    // The call is closed now; the same item again is still `accepted`, at the same place.
    expect(await wa.submit(jws)).toMatchObject({ type: 'accepted', idx: first.idx, hash: first.hash });
    const again = await RawConsole.open(relay, wa.key!);
    more.push(again);
    expect(await again.submit(jws)).toMatchObject({ type: 'accepted', idx: first.idx });

    // A link reply resubmitted after its test was answered and its timeout passed.
    const test = await nextTest(bj);
    const reply = await bj.sign(
      bj.lineItem({ type: 'link-reply', ref: (test.data as { id: string }).id, refHash: test.hash }),
      {
        typ: LINE_TYP['link-reply'],
      },
    );
    const r1 = accepted(await bj.submit(reply));
    bj.seq = r1.seq + 1;
    await sleep(500);
    expect(await bj.submit(reply)).toMatchObject({ type: 'accepted', idx: r1.idx });
    // The same item twice at once: one entry, both answered accepted.
    const decl = await request(wa);
    const d = await bj.sign(bj.lineItem({ type: 'call', action: 'decline', ref: decl.id, refHash: decl.hash }), {
      typ: LINE_TYP.call,
    });
    bj.send({ type: 'submit', jws: d });
    bj.send({ type: 'submit', jws: d });
    const [x, y] = [await bj.result(), await bj.result()];
    expect([x.type, y.type]).toEqual(['accepted', 'accepted']);
    expect((await logOf(relay)).filter((e) => e.kind === 'call')).toHaveLength(4);
    await verifyLog(relay);
  });

  it('two devices answer one call at once: exactly one is logged, the other is PROCEDURE_STATE', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const wa2 = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    more.push(wa2);
    const call = await request(bj);
    const sign = async (c: RawConsole) =>
      c.sign(c.lineItem({ type: 'call', action: 'accept', ref: call.id, refHash: call.hash, callAt: SOON }), {
        typ: LINE_TYP.call,
      });
    const [j1, j2] = [await sign(wa), await sign(wa2)];
    wa.send({ type: 'submit', jws: j1 });
    wa2.send({ type: 'submit', jws: j2 });
    const answers = [await wa.result(), await wa2.result()];
    expect(answers.map((a) => a.type).sort()).toEqual(['accepted', 'rejected']);
    expect(answers.find((a) => a.type === 'rejected')).toMatchObject({ code: 'PROCEDURE_STATE' });
    const v = await verifyLog(relay);
    expect(v.line.calls.get(call.id)?.steps).toHaveLength(2);
  });

  it('an answer in flight refuses a second answer until it settles', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const call = await request(bj);
    // Another device's answer holds the call (as between its check and its commit).
    const release = relay.runner.pending.mark(answerKey('dtl', call.id), 'other-device:0:x');
    const held = await wa.submitLine({
      type: 'call',
      action: 'accept',
      ref: call.id,
      refHash: call.hash,
      callAt: SOON,
    });
    expect(held.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    expect((held.answer as { message: string }).message).toMatch(/being admitted/);
    release();
    accepted(
      (await wa.submitLine({ type: 'call', action: 'accept', ref: call.id, refHash: call.hash, callAt: SOON })).answer,
    );
    await verifyLog(relay);
  });

  it('postpones the expiry while an answer is in flight, then writes it once the state still calls for it', async () => {
    fx = await lineFixture({ callWindowMs: 60_000 });
    const { bj, relay, trainer } = fx;
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    const call = await request(bj);
    const release = relay.runner.pending.mark(answerKey('dtl', call.id), 'washington-key:0:x');
    await sleep(1_600);
    expect((await logOf(relay)).some((e) => e.kind === 'call-expired')).toBe(false);
    // The answer was refused after all (released without a commit): the expiry follows at once.
    const released = Date.now();
    release();
    await waitForEntry(relay, 'call-expired', () => true, 2_000);
    // Well within the window's second: the relay looks again every few tens of ms while an answer is held.
    expect(Date.now() - released).toBeLessThan(1_000);
    await verifyLog(relay);
  });

  it('postpones a link test’s miss while a reply is in flight; a reply while the relay writes the miss is refused', async () => {
    fx = await lineFixture({ linkTestIntervalMs: 1_000, linkTestTimeoutMs: 400 });
    const { bj, relay } = fx;
    const test = await nextTest(bj);
    const id = (test.data as { id: string }).id;
    const release = relay.runner.pending.mark(answerKey('dtl', id), 'beijing-key:9:x');
    await sleep(700);
    const missedNow = (await logOf(relay)).some(
      (e) => e.kind === 'link-missed' && (e.data as { ref: string }).ref === id,
    );
    expect(missedNow).toBe(false);
    release();
    await waitForEntry(relay, 'link-missed', (e) => (e.data as { ref: string }).ref === id, 2_000);

    // The relay holds the next test while it writes the miss: an answer then is refused.
    const next = await nextTest(bj);
    const nextId = (next.data as { id: string }).id;
    const relayHold = relay.runner.pending.mark(answerKey('dtl', nextId), 'relay');
    const refused = await bj.submitLine({ type: 'link-reply', ref: nextId, refHash: next.hash });
    expect(refused.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    relayHold();
    await verifyLog(relay);
  });
});
