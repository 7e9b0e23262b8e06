// Trainer tokens end to end: every claim the relay puts in is required on every check (HTTP API and
// observe), an observer is closed when its token expires, and a token can be renewed up to the session cap.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { TrainerToken } from '../../shared/http-api.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { resetTrainerSecret } from '../../server/trainer-secret.js';
import { RawConsole } from '../helpers/raw-console.js';
import { nonCanonical } from '../helpers/log-fixture.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';
import { nowSeconds as now, tokenForger, type Forge } from '../helpers/trainer-tokens.js';

const HOUR = 3600;

let relay: TestRelay;
let forge: Forge;

beforeEach(async () => {
  relay = await startTestRelay();
  forge = await tokenForger(relay.dataDir);
});

afterEach(async () => {
  await relay.cleanup();
});

const BAD: [string, () => Promise<string>][] = [
  ['without exp', () => forge({ exp: undefined })],
  ['without iat', () => forge({ iat: undefined })],
  ['without auth_time', () => forge({ auth_time: undefined })],
  ['with a wrong issuer', () => forge({ iss: 'someone-else' })],
  ['without an issuer', () => forge({ iss: undefined })],
  ['with a wrong audience', () => forge({ aud: 'hotline-console' })],
  ['without an audience', () => forge({ aud: undefined })],
  ['without a subject', () => forge({ sub: undefined })],
  ['with another role', () => forge({ role: 'console' })],
  ['with another typ', () => forge({}, { typ: 'at+jwt' })],
  ['expired', () => forge({ iat: now() - 120, exp: now() - 60 })],
  ['with an empty name', () => forge({ name: '' })],
  ['with a name of 81 characters', () => forge({ name: 'n'.repeat(81) })],
  ['with a name that is not a string', () => forge({ name: 7 })],
];

async function observe(token: string): Promise<RawConsole> {
  const c = await RawConsole.connect(relay);
  c.send({ type: 'observe', token, exercise: 'dtl' });
  return c;
}

describe('token checks', () => {
  it('accepts a well-formed forged token (the forge helper makes what the relay makes)', async () => {
    const token = await forge();
    expect((await relay.api('GET', '/v1/exercises', undefined, token)).status).toBe(200);
    const c = await observe(token);
    await c.waitFor('observing');
    c.close();
    // And the relay's own tokens carry every claim the checks require.
    const own = decodeJwt(await relay.trainerToken());
    expect(Object.keys(own).sort()).toEqual(['aud', 'auth_time', 'exp', 'iat', 'iss', 'name', 'role', 'sub']);
  });

  it.each(BAD)('refuses a relay-signed token %s on the HTTP API and on observe', async (_name, make) => {
    const token = await make();
    const res = await relay.api('GET', '/v1/exercises', undefined, token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHORIZED' });
    const c = await observe(token);
    expect(await c.waitFor('error')).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await c.waitForClose()).toEqual({ code: 4401, reason: 'UNAUTHORIZED' });
    expect(c.queue.filter((f) => f.type === 'observing' || f.type === 'entry')).toEqual([]);
  });
});

describe('token spelling', () => {
  it('refuses a token whose signature is spelled non-canonically (spare bits set), on the API and observe', async () => {
    const { token } = await (await relay.trainer()).signIn();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const odd = `${header}.${payload}.${nonCanonical(signature)}`;
    expect((await relay.api('GET', '/v1/exercises', undefined, token)).status).toBe(200);
    const res = await relay.api('GET', '/v1/exercises', undefined, odd);
    expect(res).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    const c = await observe(odd);
    expect(await c.waitFor('error')).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('observer expiry', () => {
  it('closes an observer when its token expires: error TOKEN_EXPIRED, close 4401', async () => {
    const c = await observe(await forge({ exp: now() + 2 }));
    const observing = await c.waitFor('observing');
    expect(observing.exercise).toBe('dtl');
    await c.waitFor('entry');
    const error = await c.waitFor('error', 5_000);
    expect(error).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
    expect(await c.waitForClose()).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
  });

  it('keeps an observer with a valid token open past another observer token expiry', async () => {
    const short = await observe(await forge({ exp: now() + 2 }));
    const long = await observe(await forge());
    await short.waitFor('observing');
    await long.waitFor('observing');
    expect(await short.waitForClose()).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
    // The long one still answers.
    long.send({ type: 'ping', id: 'p1' });
    expect(await long.waitFor('pong')).toMatchObject({ id: 'p1' });
    long.close();
  });
});

describe('POST /v1/auth/renew', () => {
  it('returns a fresh token with the same auth_time that works on the API and on observe', async () => {
    const authTime = now() - 60;
    const old = await forge({ iat: authTime, auth_time: authTime });
    const res = await relay.api<TrainerToken>('POST', '/v1/auth/renew', undefined, old);
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.body.token);
    expect(claims.auth_time).toBe(authTime);
    expect(claims.iat).toBeGreaterThan(authTime);
    expect(new Date(res.body.expiresAt).getTime()).toBe((claims.exp ?? 0) * 1000);
    expect((await relay.api('GET', '/v1/exercises', undefined, res.body.token)).status).toBe(200);
    const c = await observe(res.body.token);
    await c.waitFor('observing');
    c.close();
  });

  it('needs a valid token: none, a bad one or an expired one is 401 UNAUTHORIZED', async () => {
    for (const token of [undefined, 'not-a-token-at-all', await forge({ iat: now() - 120, exp: now() - 60 })]) {
      const res = await relay.api('POST', '/v1/auth/renew', undefined, token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('never extends a session past 12 h since the secret was used', async () => {
    const authTime = now() - 12 * HOUR + 100;
    const res = await relay.api<TrainerToken>(
      'POST',
      '/v1/auth/renew',
      undefined,
      await forge({ auth_time: authTime }),
    );
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.token).exp).toBe(authTime + 12 * HOUR);
    const over = await forge({ auth_time: now() - 12 * HOUR - 1 });
    const refused = await relay.api('POST', '/v1/auth/renew', undefined, over);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses to renew a session that signed in before the trainer secret was reset', async () => {
    const before = await forge({ iat: now() - 5, auth_time: now() - 5 });
    expect((await relay.api('POST', '/v1/auth/renew', undefined, before)).status).toBe(200);
    // What `hotline trainer-secret` does, on the same database, while the relay runs.
    const secret = await resetTrainerSecret(relay.store);
    const refused = await relay.api('POST', '/v1/auth/renew', undefined, before);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(String(refused.body['message'])).toMatch(/reset/);
    // A session opened with the new secret renews as before.
    const fresh = new TrainerApi(relay.url, { secret });
    await fresh.signIn();
    expect(decodeJwt((await fresh.renew()).token).sub).toBe('trainer');
  });

  it('TrainerApi.renew() renews the token it holds', async () => {
    const api = await relay.trainer();
    const first = await api.signIn();
    const renewed = await api.renew();
    expect(await api.token()).toBe(renewed.token);
    expect(decodeJwt(renewed.token).auth_time).toBe(decodeJwt(first.token).auth_time);
    expect(await api.listExercises()).toHaveLength(1);
  });
});
