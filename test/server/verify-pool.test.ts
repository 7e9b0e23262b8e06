// Signature checks on worker threads (server/verify-pool.ts): the pool accepts and refuses exactly what
// verifyCompact does, with the same codes and messages, in batches, within its bound, and every check settles
// when a worker dies or the pool closes. Real worker threads, started from the TypeScript sources.
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CryptoKey } from 'jose';
import { base64url, fromBase64url } from '../../shared/encoding.js';
import { importPublicKey } from '../../shared/jws.js';
import { TYP } from '../../shared/items.js';
import { loadConfig } from '../../server/config.js';
import { verifyCompact } from '../../server/node-crypto.js';
import { poolSize, VerifyPool } from '../../server/verify-pool.js';
import { message, RawConsole, enrolKey, TestKey } from '../helpers/raw-console.js';
import { startTestRelay } from '../helpers/relay.js';
import { nonCanonical, oddLength } from '../helpers/log-fixture.js';

const withPart = (jws: string, i: number, value: string) =>
  jws
    .split('.')
    .map((p, j) => (j === i ? value : p))
    .join('.');
const part = (jws: string, i: number) => jws.split('.')[i]!;

/** How a check settled: 'ok', or the error's name, code and message. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const e = err as { name: string; code?: string; message: string };
    return `${e.name} ${e.code ?? ''} ${e.message}`;
  }
}

const routing = { exercise: 'dtl', from: 'beijing', to: 'washington' };

describe('the signature pool', () => {
  let bj: TestKey;
  let stranger: TestKey;
  /** As the relay holds keys: imported from the enrolled JWK (not extractable). */
  let bjKey: CryptoKey;
  let good: string[];
  const pools: VerifyPool[] = [];
  const pool = (options: ConstructorParameters<typeof VerifyPool>[0]) => {
    const p = new VerifyPool(options);
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    [bj, stranger] = await Promise.all([TestKey.generate(), TestKey.generate()]);
    bjKey = await importPublicKey(bj.publicJwk);
    good = await Promise.all(Array.from({ length: 40 }, (_, seq) => bj.sign(oddLength(message({ ...routing, seq })))));
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  /** Good and forged JWS mixed: every way a signature or its encoding can be wrong at this stage. */
  async function forgeries(): Promise<[string, string][]> {
    const jws = good[0]!;
    const flip = (i: number, at: number) => {
      const bytes = fromBase64url(part(jws, i))!;
      bytes[at] = bytes[at]! ^ 0x01;
      return withPart(jws, i, base64url(bytes));
    };
    return [
      ['a flipped payload byte', flip(1, 20)],
      ['a flipped signature byte', flip(2, 10)],
      ['a flipped header byte', flip(0, 3)],
      ['another payload under this signature', withPart(jws, 1, part(good[1]!, 1))],
      ['signed by a stranger', await stranger.sign(message({ ...routing, seq: 0 }), { kid: bj.kid })],
      ['a signature of 63 bytes', withPart(jws, 2, base64url(fromBase64url(part(jws, 2))!.slice(0, 63)))],
      ['a signature of 65 bytes', withPart(jws, 2, base64url(new Uint8Array(65)))],
      ['an empty signature', withPart(jws, 2, '')],
      ['a second spelling of the signature', withPart(jws, 2, nonCanonical(part(jws, 2)))],
      ['a second spelling of the payload', withPart(jws, 1, nonCanonical(part(jws, 1)))],
      ['a padded payload', withPart(jws, 1, `${part(jws, 1)}=`)],
      ['a standard base64 character in the signature', withPart(jws, 2, `+${part(jws, 2).slice(1)}`)],
      ['a standard base64 character in the payload', withPart(jws, 1, `/${part(jws, 1).slice(1)}`)],
      ['an empty payload', withPart(jws, 1, '')],
      ['a signature of zeros', withPart(jws, 2, base64url(new Uint8Array(64)))],
      ['the good one', jws],
    ];
  }

  it('accepts good signatures and refuses every forgery exactly as verifyCompact, in one batch', async () => {
    const cases = await forgeries();
    const p = pool({ threads: 1 });
    const inline = await Promise.all(cases.map(([, jws]) => outcome(verifyCompact(jws, bjKey, TYP.message))));
    const pooled = await Promise.all(cases.map(([, jws]) => outcome(p.verify(jws, bjKey, TYP.message))));
    expect(pooled).toEqual(inline);
    // The forgeries do fail, and with the codes of PROTOCOL.md: the comparison above is not of two passes.
    expect(inline.at(-1)).toBe('ok');
    expect(inline.slice(0, -1).every((o) => /^HotlineError (BAD_SIGNATURE|BAD_JWS) /.test(o))).toBe(true);
    expect(inline.filter((o) => o.includes('BAD_JWS')).length).toBeGreaterThanOrEqual(5);
  });

  it('checks the same cases one by one, each in a batch of its own', async () => {
    const p = pool({ threads: 1 });
    for (const [name, jws] of await forgeries()) {
      const expected = await outcome(verifyCompact(jws, bjKey, TYP.message));
      expect([name, await outcome(p.verify(jws, bjKey, TYP.message))]).toEqual([name, expected]);
    }
  });

  it('sends the checks of one turn as one message per worker, at most maxBatch each', async () => {
    const p = pool({ threads: 1, maxBatch: 16 });
    const worker = p.workers()[0]!;
    const post = vi.spyOn(worker, 'postMessage');
    const all = good.map((jws) => p.verify(jws, bjKey, TYP.message));
    await Promise.all(all);
    // 40 checks: 16 + 16 + 8.
    expect(post.mock.calls.map(([batch]) => (batch as { inputs: string[] }).inputs.length)).toEqual([16, 16, 8]);
  });

  it('spreads a batch over two workers and answers many checks with the right verdicts', async () => {
    const p = pool({ threads: 2 });
    const posts = p.workers().map((w) => vi.spyOn(w, 'postMessage'));
    const forged = withPart(good[0]!, 1, part(good[1]!, 1));
    const jwss = Array.from({ length: 400 }, (_, i) => (i % 7 === 3 ? forged : good[i % good.length]!));
    const results = await Promise.all(jwss.map((jws) => outcome(p.verify(jws, bjKey, TYP.message))));
    results.forEach((r, i) =>
      expect(r).toBe(i % 7 === 3 ? 'HotlineError BAD_SIGNATURE The signature does not verify.' : 'ok'),
    );
    expect(posts.map((s) => s.mock.calls.length)).toEqual([1, 1]);
  });

  it('keeps a small batch whole: a message to a worker holds at least minBatch checks', async () => {
    const p = pool({ threads: 2, minBatch: 8 });
    const posts = p.workers().map((w) => vi.spyOn(w, 'postMessage'));
    const sizes = () =>
      posts.flatMap((s) => s.mock.calls.map(([batch]) => (batch as { inputs: string[] }).inputs.length));
    await Promise.all(good.slice(0, 6).map((jws) => p.verify(jws, bjKey, TYP.message)));
    expect(sizes()).toEqual([6]);
    posts.forEach((s) => s.mockClear());
    await Promise.all(good.slice(0, 20).map((jws) => p.verify(jws, bjKey, TYP.message)));
    expect(sizes()).toEqual([10, 10]);
  });

  it('answers every check of a worker stopped mid-batch on the main thread, and starts another', async () => {
    const p = pool({ threads: 1 });
    await p.verify(good[0]!, bjKey, TYP.message); // the worker is up
    const first = p.workers()[0]!;
    const forged = withPart(good[0]!, 2, base64url(new Uint8Array(64)));
    const jwss = Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? forged : good[i % good.length]!));
    const pending = jwss.map((jws) => outcome(p.verify(jws, bjKey, TYP.message)));
    // The batch leaves on the next turn; stop the worker as soon as it holds it.
    await new Promise((resolve) => setImmediate(resolve));
    const stopped = first.terminate();
    const results = await Promise.all(pending);
    await stopped;
    results.forEach((r, i) =>
      expect(r).toBe(i % 5 === 0 ? 'HotlineError BAD_SIGNATURE The signature does not verify.' : 'ok'),
    );
    expect(p.threads).toBe(1);
    expect(p.workers()[0]).not.toBe(first);
    expect(await outcome(p.verify(forged, bjKey, TYP.message))).toMatch(/BAD_SIGNATURE/);
    expect(await outcome(p.verify(good[1]!, bjKey, TYP.message))).toBe('ok');
  });

  it('checks inline once its restart budget is spent', async () => {
    const p = pool({ threads: 1, maxRestarts: 0 });
    const pending = good.map((jws) => outcome(p.verify(jws, bjKey, TYP.message)));
    await new Promise((resolve) => setImmediate(resolve));
    await p.workers()[0]!.terminate();
    expect((await Promise.all(pending)).every((r) => r === 'ok')).toBe(true);
    expect(p.threads).toBe(0);
    expect(await outcome(p.verify(good[2]!, bjKey, TYP.message))).toBe('ok');
    expect(await outcome(p.verify(withPart(good[2]!, 1, part(good[3]!, 1)), bjKey, TYP.message))).toMatch(
      /BAD_SIGNATURE/,
    );
  });

  it('holds at most maxQueued checks; the rest are checked inline', async () => {
    const p = pool({ threads: 1, maxQueued: 10 });
    const post = vi.spyOn(p.workers()[0]!, 'postMessage');
    const forged = withPart(good[0]!, 1, part(good[1]!, 1));
    const jwss = [...good, forged, forged];
    const results = await Promise.all(jwss.map((jws) => outcome(p.verify(jws, bjKey, TYP.message))));
    expect(results.slice(0, good.length).every((r) => r === 'ok')).toBe(true);
    expect(results.slice(good.length)).toEqual([
      'HotlineError BAD_SIGNATURE The signature does not verify.',
      'HotlineError BAD_SIGNATURE The signature does not verify.',
    ]);
    const sent = post.mock.calls.reduce((n, [batch]) => n + (batch as { inputs: string[] }).inputs.length, 0);
    expect(sent).toBe(10);
  });

  it('ends its workers on close, answers what was in flight, and checks inline after', async () => {
    const p = pool({ threads: 2 });
    const exits = p.workers().map((w) => once(w, 'exit'));
    const pending = good.map((jws) => outcome(p.verify(jws, bjKey, TYP.message)));
    await p.close();
    await Promise.all(exits);
    expect((await Promise.all(pending)).every((r) => r === 'ok')).toBe(true);
    expect(p.threads).toBe(0);
    expect(await outcome(p.verify(good[5]!, bjKey, TYP.message))).toBe('ok');
    expect(await outcome(p.verify(withPart(good[5]!, 2, nonCanonical(part(good[5]!, 2))), bjKey, TYP.message))).toBe(
      'HotlineError BAD_JWS A JWS part is not canonical base64url.',
    );
    await p.close(); // twice is harmless
  });
});

describe('the setting', () => {
  it('sizes the pool: none on 2 cores, cores - 2 above, at most 4; a number as given', () => {
    expect([1, 2, 3, 4, 6, 8, 16, 64].map((cores) => poolSize('auto', cores))).toEqual([0, 0, 1, 2, 4, 4, 4, 4]);
    expect(poolSize(3, 2)).toBe(3);
    expect(poolSize(0, 16)).toBe(0);
  });

  it('reads HOTLINE_VERIFY_THREADS: auto by default, a whole number to 64, anything else refused', () => {
    expect(loadConfig({}, {}).verifyThreads).toBe('auto');
    expect(loadConfig({}, { HOTLINE_VERIFY_THREADS: '3' }).verifyThreads).toBe(3);
    expect(loadConfig({}, { HOTLINE_VERIFY_THREADS: 'auto' }).verifyThreads).toBe('auto');
    expect(loadConfig({ verifyThreads: 0 }, { HOTLINE_VERIFY_THREADS: '3' }).verifyThreads).toBe(0);
    for (const bad of ['65', 'many', '-1', '1.5'])
      expect(() => loadConfig({}, { HOTLINE_VERIFY_THREADS: bad })).toThrow(/^HOTLINE_VERIFY_THREADS: /);
    expect(() => loadConfig({ verifyThreads: 99 }, {}, { verifyThreads: '--verify-threads' })).toThrow(
      /^--verify-threads: must be between 0 and 64/,
    );
  });
});

describe('a relay that checks signatures on a worker', () => {
  it('accepts a message and refuses a forged one with BAD_SIGNATURE, then closes its pool', async () => {
    const checked = vi.spyOn(VerifyPool.prototype, 'verify');
    const closed = vi.spyOn(VerifyPool.prototype, 'close');
    const relay = await startTestRelay({ verifyThreads: 1 });
    try {
      const [bj, wa] = [await enrolKey(relay, 'beijing'), await enrolKey(relay, 'washington')];
      const c = await RawConsole.open(relay, bj);
      await RawConsole.open(relay, wa);
      await c.accept();
      const jws = await c.sign(c.message());
      const forged = withPart(jws, 2, base64url(new Uint8Array(64)));
      expect(await c.submit(forged)).toMatchObject({ type: 'rejected', code: 'BAD_SIGNATURE' });
      expect(await c.submit(jws)).toMatchObject({ type: 'accepted' });
      expect(checked).toHaveBeenCalledTimes(3);
    } finally {
      await relay.cleanup();
      checked.mockRestore();
    }
    expect(closed).toHaveBeenCalledTimes(1);
    closed.mockRestore();
  });
});
