// Rate limits: guesses of the trainer secret and of enrolment codes per address (429 with Retry-After), and
// a console whose submits keep being refused, closed before it can starve the others.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REJECTIONS } from '../../server/submit-guard.js';
import { enrolKey, postEnrol, RawConsole, TestKey, type FrameOf } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

let relay: TestRelay;
const consoles: RawConsole[] = [];

afterEach(async () => {
  for (const c of consoles.splice(0)) c.close();
  await relay.cleanup();
});

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; retryAfter: string | null; code: unknown }> {
  const res = await fetch(new URL(path, relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { code?: unknown };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: json.code };
}

function expectLimited(answers: { status: number; retryAfter: string | null; code: unknown }[], allowed: number) {
  expect(answers.slice(0, allowed).map((a) => a.status)).toEqual(Array<number>(allowed).fill(401));
  for (const a of answers.slice(allowed)) {
    expect(a.status).toBe(429);
    expect(a.code).toBe('RATE_LIMITED');
    const seconds = Number(a.retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
  }
}

describe('failed authentication per address', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the wrong trainer secrets fill the minute', async () => {
    relay = await startTestRelay({ authFailuresPerMinute: 10 });
    const answers = [];
    for (let i = 0; i < 300; i++) answers.push(await post('/v1/auth/token', { secret: `hts_wrong${i}` }));
    expectLimited(answers, 10);
    // The right secret too, from that address, until the minute is over: guessing gains nothing.
    const right = await post('/v1/auth/token', { secret: relay.newTrainerSecret });
    expect(right.status).toBe(429);
  });

  it('answers 429 RATE_LIMITED with Retry-After once failed enrolments fill the minute; enrolment counts apart', async () => {
    relay = await startTestRelay({ authFailuresPerMinute: 5 });
    const code = await relay.issueCode('beijing');
    const key = await TestKey.generate();
    const answers = [];
    for (let i = 0; i < 50; i++)
      answers.push(await post('/v1/enrol', { code: `WRONG-${i}`, publicJwk: key.publicJwk, operator: 'guesser' }));
    expectLimited(answers, 5);
    expect((await postEnrol(relay, code, key)).status).toBe(429);
    // The trainer routes are limited apart: the trainer can still sign in from that address.
    expect((await relay.api('POST', '/v1/auth/token', { secret: 'hts_wrong' })).status).toBe(401);
  });
});

describe('a console whose submits keep being refused', () => {
  it(`is closed with TOO_MANY_REJECTIONS (4430) after ${MAX_REJECTIONS}; the others' messages all get through`, async () => {
    relay = await startTestRelay();
    const beijing = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    const washington = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    const noisy = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    consoles.push(beijing, washington, noisy);

    const signed = await noisy.sign(noisy.message());
    const forged = `${signed.slice(0, signed.lastIndexOf('.') + 1)}${'A'.repeat(86)}`;
    for (let i = 0; i < 5_000; i++) noisy.send({ type: 'submit', jws: forged });

    const accepted: FrameOf<'accepted'>[] = [];
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      accepted.push((await beijing.accept({ body: `message ${i}` })).accepted);
      worst = Math.max(worst, performance.now() - started);
    }
    console.log(`worst round trip of the other console during the flood: ${worst.toFixed(1)} ms`);

    const closed = await noisy.waitForClose(10_000);
    expect(closed).toEqual({ code: 4430, reason: 'TOO_MANY_REJECTIONS' });
    const rejected = noisy.queue.filter((f) => f.type === 'rejected');
    expect(rejected.length).toBe(MAX_REJECTIONS + 1);
    expect(rejected.every((f) => f.type === 'rejected' && f.code === 'BAD_SIGNATURE')).toBe(true);
    expect(noisy.queue.find((f) => f.type === 'error')).toMatchObject({ code: 'TOO_MANY_REJECTIONS' });

    // Every message of the other console was accepted and delivered, in order.
    for (const a of accepted) {
      const entry = await washington.waitForFrame(
        (f): f is FrameOf<'entry'> => f.type === 'entry' && f.entry.kind === 'message' && f.entry.idx === a.idx,
      );
      expect(entry.entry.hash).toBe(a.hash);
    }
  });
});
