// The verifier's synchronous path (submissionNow, the relay's hot path) against its asynchronous one
// (submission): the same request for a good item, the same refusal for every bad one, and no answer at all
// whenever it would have to wait. Real relay, real SQLite store, keys enrolled through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { TYP } from '../../shared/items.js';
import { inspectItem } from '../../shared/signed.js';
import { Verifier, type Identity } from '../../server/verifier.js';
import { enrolKey, message, RawConsole, receipt, type TestKey } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

describe('Verifier.submissionNow', () => {
  let relay: TestRelay;
  let bj: TestKey;
  let wa: TestKey;
  let verifier: Verifier;
  let who: Identity;
  let seq = 0;
  /** A message from Washington in the log, its entry hash, for receipts. */
  let logged: { id: string; hash: string };

  const msg = (overrides = {}) =>
    message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: seq++, ...overrides });

  /** What each path makes of the same JWS: the request (without its time) or the refusal's code. */
  async function both(jws: string, as: Identity = who): Promise<{ now: unknown; later: unknown }> {
    const outcome = async (f: () => unknown) => {
      try {
        const req = (await f()) as { at?: string } | undefined;
        if (req === undefined) return 'waits';
        const { at: _at, ...rest } = req;
        return rest;
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      }
    };
    return {
      now: await outcome(() => verifier.submissionNow(as, jws, inspectItem(jws))),
      later: await outcome(() => verifier.submission(as, jws)),
    };
  }

  beforeAll(async () => {
    relay = await startTestRelay();
    [bj, wa] = await Promise.all([enrolKey(relay, 'beijing'), enrolKey(relay, 'washington')]);
    verifier = new Verifier({ store: relay.store, now: Date.now });
    who = { exercise: 'dtl', station: 'beijing', kid: bj.kid };
    const washington = await RawConsole.open(relay, wa);
    const { payload, accepted } = await washington.accept();
    logged = { id: payload.id, hash: accepted.hash };
    washington.close();
  });

  afterAll(async () => {
    await relay.close();
  });

  it('waits (answers nothing) until the key and the exercise are known, then decides at once', async () => {
    const first = await bj.sign(msg());
    expect(verifier.submissionNow(who, first, inspectItem(first))).toBeUndefined();
    await verifier.submission(who, first);
    const { now, later } = await both(await bj.sign(msg()));
    expect(now).toEqual(later);
    expect(now).toMatchObject({ exercise: 'dtl', kind: 'message', item: { kid: bj.kid, from: 'beijing' } });
  });

  it('refuses every bad item with the code the asynchronous path gives', async () => {
    const good = await bj.sign(msg());
    const flipped = good.slice(0, -2) + (good.at(-2) === 'A' ? 'B' : 'A') + good.at(-1);
    const cases: [string, string][] = [
      [flipped, 'BAD_SIGNATURE'],
      [await bj.sign(msg({ from: 'washington', to: 'beijing' })), 'WRONG_STATION'],
      [await bj.sign(msg({ to: 'beijing' })), 'WRONG_RECIPIENT'],
      [await bj.sign(msg({ exercise: 'other' })), 'WRONG_EXERCISE'],
      [await bj.sign(msg()).then((j) => `${j.split('.')[0]}.${j.split('.')[1]}.${'A'.repeat(85)}`), 'BAD_JWS'],
    ];
    for (const [jws, code] of cases) expect(await both(jws), code).toEqual({ now: code, later: code });
  });

  it('refuses a key of the other station on this connection once that key is known too', async () => {
    const asWa: Identity = { exercise: 'dtl', station: 'washington', kid: wa.kid };
    const fromWa = message({ exercise: 'dtl', from: 'washington', to: 'beijing', seq: 100 });
    await verifier.submission(asWa, await wa.sign(fromWa));
    expect(await both(await wa.sign(fromWa))).toEqual({ now: 'WRONG_STATION', later: 'WRONG_STATION' });
  });

  it('decides a receipt of a message the store holds in memory, and waits for one it would have to read', async () => {
    const rcpt = (overrides = {}) =>
      receipt({
        exercise: 'dtl',
        from: 'beijing',
        to: 'washington',
        seq: seq++,
        ref: logged.id,
        refHash: logged.hash,
        ...overrides,
      });
    const sign = (p: unknown) => bj.sign(p, { typ: TYP.receipt });
    const ok = await both(await sign(rcpt()));
    expect(ok.now).toEqual(ok.later);
    expect(ok.now).toMatchObject({ kind: 'receipt' });
    expect(
      await both(await sign(rcpt({ refHash: logged.hash.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }))),
    ).toEqual({
      now: 'REF_HASH_MISMATCH',
      later: 'REF_HASH_MISMATCH',
    });
    expect(await both(await sign(rcpt({ ref: uuidv7() })))).toEqual({ now: 'waits', later: 'UNKNOWN_REF' });
  });

  it('leaves the line procedures to the asynchronous path, and refuses a revoked key on both', async () => {
    const call = {
      v: 1,
      type: 'call',
      action: 'request',
      id: uuidv7(),
      exercise: 'dtl',
      from: 'beijing',
      to: 'washington',
      seq: seq++,
      sentAt: new Date().toISOString(),
      level: 'working',
      subject: 'Line check',
      proposedAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const callJws = await bj.sign(call, { typ: TYP.call });
    expect(verifier.submissionNow(who, callJws, inspectItem(callJws))).toBeUndefined();
    verifier.revoked(bj.kid, 99);
    expect(await both(await bj.sign(msg()))).toEqual({ now: 'KEY_REVOKED', later: 'KEY_REVOKED' });
  });
});
