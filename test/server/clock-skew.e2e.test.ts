// An item's sentAt is the sender's claim; the relay bounds it against its own clock at submit
// (LIMITS.clockSkewSeconds either way) and refuses the rest with CLOCK_SKEW, leaving the log unchanged and
// the connection open. Deadlines and response times count from the entry's `at`, never from sentAt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/items.js';
import { enrolKey, RawConsole, type TestKey } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

const S = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('sentAt against the relay clock', () => {
  let relay: TestRelay;
  let bj: TestKey;
  let c: RawConsole;

  beforeAll(async () => {
    relay = await startTestRelay();
    [bj] = await Promise.all([enrolKey(relay, 'beijing'), enrolKey(relay, 'washington')]);
    c = await RawConsole.open(relay, bj);
  });

  afterAll(async () => {
    c?.close();
    await relay?.cleanup();
  });

  const head = async () =>
    (await relay.api<{ head: { idx: number } }>('GET', '/v1/exercises/dtl', undefined, await relay.trainerToken())).body
      .head.idx;

  it('uses the one documented bound, 300 s', () => {
    expect(LIMITS.clockSkewSeconds).toBe(300);
  });

  it.each([
    ['301 s in the past', -301 * S],
    ['301 s in the future', 301 * S],
  ])('refuses a sentAt %s with CLOCK_SKEW, changes nothing, keeps the connection', async (_name, offset) => {
    const before = await head();
    const payload = c.message({ sentAt: iso(Date.now() + offset) });
    const answer = await c.submit(await c.sign(payload));
    expect(answer).toMatchObject({ type: 'rejected', code: 'CLOCK_SKEW', id: payload.id, seq: payload.seq });
    expect(await head()).toBe(before);
    expect(c.isOpen).toBe(true);
    // The refusal proves the seq is still the key's next: the same item signed again with a fresh sentAt
    // takes it.
    const again = await c.submit(await c.sign({ ...payload, sentAt: iso(Date.now()) }));
    expect(again).toMatchObject({ type: 'accepted', id: payload.id, seq: payload.seq, idx: before + 1 });
    c.seq = payload.seq + 1;
  });

  it.each([
    ['299 s in the past', -299 * S],
    ['299 s in the future', 299 * S],
  ])('accepts a sentAt %s, and the entry carries the relay time', async (_name, offset) => {
    const sentAt = iso(Date.now() + offset);
    const { accepted } = await c.accept({ sentAt });
    expect(Math.abs(Date.parse(accepted.at) - Date.now())).toBeLessThan(60 * S);
    expect(Math.abs(Date.parse(accepted.at) - Date.parse(sentAt))).toBeGreaterThan(298 * S);
  });
});
