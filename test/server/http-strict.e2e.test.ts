// The HTTP API is as strict as the signed items: a request body that repeats a member is refused rather
// than read by its last value, and a revocation reason cut to its limit never ends in half a character.
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.js';
import { LIMITS } from '../../shared/items.js';
import { enrolClient, startTestRelay, type TestRelay } from '../helpers/relay.js';

let relay: TestRelay | undefined;

afterEach(async () => {
  await relay?.cleanup();
  relay = undefined;
});

describe('HTTP request bodies', () => {
  it('refuses a body that repeats a member with BAD_REQUEST naming it, and creates nothing', async () => {
    relay = await startTestRelay();
    const token = await relay.trainerToken();
    const def = `{"id":"twice","title":"A","title":"B","classification":"","stations":[{"id":"a","name":"A","lang":"en"},{"id":"b","name":"B","lang":"zh"}]}`;
    const res = await relay.api('POST', '/v1/exercises', def, token);
    expect(res).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(String(res.body['message'])).toContain('"title"');
    expect((await (await relay.trainer()).listExercises()).map((e) => e.id)).toEqual(['dtl']);
    // The same body without the repeat is fine: the refusal is about the repeat alone.
    const once = def.replace('"title":"A",', '');
    expect((await relay.api('POST', '/v1/exercises', once, token)).status).toBe(201);
  });

  it('refuses a body whose strings are not Unicode (an unpaired surrogate), and creates nothing', async () => {
    relay = await startTestRelay();
    const token = await relay.trainerToken();
    const def = `{"id":"lone","title":"A \\ud800","classification":"","stations":[{"id":"a","name":"A","lang":"en"},{"id":"b","name":"B","lang":"zh"}]}`;
    const res = await relay.api('POST', '/v1/exercises', def, token);
    expect(res).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(String(res.body['message'])).toContain('unpaired surrogate');
    expect((await (await relay.trainer()).listExercises()).map((e) => e.id)).toEqual(['dtl']);
  });

  it('still reports malformed JSON as not JSON', async () => {
    relay = await startTestRelay();
    const res = await relay.api('POST', '/v1/exercises', '{"id":', await relay.trainerToken());
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' },
    });
  });
});

describe('a revocation reason over its limit', () => {
  it('is cut to the limit in UTF-16 units without splitting a surrogate pair', async () => {
    relay = await startTestRelay();
    const client = await enrolClient(relay, 'beijing');
    const reason = `${'x'.repeat(LIMITS.revocationReason - 1)}😀 and more`;
    const trainer = await relay.trainer();
    const { idx } = await trainer.revoke('dtl', client.identity.kid, reason);
    const text = await (await trainer.exportBlob('dtl')).text();
    const entry = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry)
      .find((e) => e.idx === idx);
    const logged = (entry?.data as { reason: string }).reason;
    expect(logged).toBe('x'.repeat(LIMITS.revocationReason - 1));
    // No lone high surrogate at the end (what slice() alone leaves when it cuts a pair).
    expect(logged.at(-1)).toBe('x');
  });
});
