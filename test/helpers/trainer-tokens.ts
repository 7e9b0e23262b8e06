// Trainer tokens made by hand with a relay's own private key (read from its data directory), so tests can
// sign any claims the relay itself never would: no exp, a wrong audience, an old auth_time, a short life.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, importJWK, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { ALG, thumbprint } from '../../shared/jws.js';

/** Seconds since the epoch, as in JWT claims. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims to set (undefined removes one) and header parameters to override. */
export type Forge = (claims?: Record<string, unknown>, header?: Record<string, unknown>) => Promise<string>;

/** A forger for the relay whose data directory this is. By default its tokens are what the relay issues. */
export async function tokenForger(dataDir: string): Promise<Forge> {
  const jwk = JSON.parse(readFileSync(path.join(dataDir, 'relay-key.jwk'), 'utf8')) as JWK;
  const key = (await importJWK(jwk, ALG)) as CryptoKey;
  const kid = await thumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! });
  return (claims = {}, header = {}) => {
    const t = nowSeconds();
    const payload: Record<string, unknown> = {
      role: 'trainer',
      iss: 'hotline-relay',
      aud: 'hotline-trainer',
      sub: 'trainer',
      iat: t,
      exp: t + 600,
      auth_time: t,
      name: 'Trainer',
      ...claims,
    };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: ALG, kid, typ: 'JWT', ...header }).sign(key);
  };
}
