// POST /v1/enrol/preview: the enrolment page names what a code enrols before it is used. The look-up must
// change nothing, refuse codes exactly as enrolment does, and give no extra guesses (one rate limit with
// POST /v1/enrol). Real relay, real SQLite, real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { newEnrolmentCode, hashEnrolmentCode } from '../../server/enrolment-code.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { previewEnrolment } from '../../client/identity.js';
import { HotlineError } from '../../shared/errors.js';
import { postEnrol, TestKey } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

let relay: TestRelay;

afterEach(async () => {
  await relay.cleanup();
});

const preview = (body: unknown) => relay.api<Record<string, unknown>>('POST', '/v1/enrol/preview', body);

describe('POST /v1/enrol/preview', () => {
  it('names the exercise, station and expiry without using the code; the code still enrols afterwards', async () => {
    relay = await startTestRelay();
    const issued = await (await relay.trainer()).issueCode('dtl', 'beijing', 600);
    const head = (await relay.store.head('dtl'))?.idx;
    for (let i = 0; i < 3; i++) {
      const res = await preview({ code: issued.code });
      expect(res).toEqual({
        status: 200,
        body: {
          exercise: { id: 'dtl', title: 'Defense Telephone Link', classification: 'UNCLASSIFIED // EXERCISE' },
          station: { id: 'beijing', name: 'Beijing · Ministry of National Defense', lang: 'zh' },
          expiresAt: issued.expiresAt,
        },
      });
    }
    // Loosely typed (lower case, spaces) as enrolment accepts it; through both client calls.
    const loose = issued.code.toLowerCase().replaceAll('-', ' ');
    expect((await previewEnrolment({ url: relay.url, code: loose })).station.id).toBe('beijing');
    expect((await new TrainerApi(relay.url, { token: () => undefined }).previewEnrolment(loose)).expiresAt).toBe(
      issued.expiresAt,
    );
    expect((await relay.store.head('dtl'))?.idx).toBe(head);
    expect((await relay.store.findEnrolmentCode(hashEnrolmentCode(issued.code)))?.used).toBe(false);
    expect((await postEnrol(relay, issued.code, await TestKey.generate())).status).toBe(201);
  });

  it('refuses a used, an expired and an unknown code with the codes enrolment uses, and a missing code', async () => {
    relay = await startTestRelay();
    const used = await relay.issueCode('washington');
    expect((await postEnrol(relay, used, await TestKey.generate())).status).toBe(201);
    expect(await preview({ code: used })).toMatchObject({ status: 401, body: { code: 'ENROLMENT_CODE_USED' } });

    const expired = newEnrolmentCode();
    const now = Date.now();
    await relay.store.addEnrolmentCode({
      codeHash: hashEnrolmentCode(expired),
      exercise: 'dtl',
      station: 'beijing',
      issuedAt: new Date(now - 120_000).toISOString(),
      expiresAt: new Date(now - 60_000).toISOString(),
    });
    expect(await preview({ code: expired })).toMatchObject({ status: 401, body: { code: 'ENROLMENT_CODE_EXPIRED' } });
    expect(await postEnrol(relay, expired, await TestKey.generate())).toMatchObject({
      status: 401,
      body: { code: 'ENROLMENT_CODE_EXPIRED' },
    });

    const unknown = newEnrolmentCode();
    expect(await preview({ code: unknown })).toMatchObject({ status: 401, body: { code: 'ENROLMENT_CODE_INVALID' } });
    await expect(previewEnrolment({ url: relay.url, code: unknown })).rejects.toSatisfy(
      (e) => e instanceof HotlineError && e.code === 'ENROLMENT_CODE_INVALID',
    );
    expect(await preview({})).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(await preview({ code: 'x'.repeat(65) })).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
  });

  it('counts refused previews against the enrolment limit: wrong guesses there lock enrolment too', async () => {
    relay = await startTestRelay({ authFailuresPerMinute: 5 });
    const code = await relay.issueCode('beijing');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await preview({ code: newEnrolmentCode() })).status);
    for (let i = 0; i < 2; i++) statuses.push((await postEnrol(relay, `WRONG-${i}`, await TestKey.generate())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The minute's failures are used up across both routes: the right code is refused on both.
    const limited = await preview({ code });
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect((await postEnrol(relay, code, await TestKey.generate())).status).toBe(429);
  });

  it('lets good previews through without counting them', async () => {
    relay = await startTestRelay({ authFailuresPerMinute: 2 });
    const code = await relay.issueCode('beijing');
    for (let i = 0; i < 10; i++) expect((await preview({ code })).status).toBe(200);
    expect((await postEnrol(relay, code, await TestKey.generate())).status).toBe(201);
  });
});
