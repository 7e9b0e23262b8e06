// The relay's own Ed25519 key: it signs checkpoints and the trainer JWTs. The private JWK lives in the
// data directory with mode 0600 and never leaves it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { HotlineError } from '../shared/errors.js';
import { ALG, thumbprint } from '../shared/jws.js';
import { signCompact } from './node-crypto.js';
import { TYP, type CheckpointPayload, type PublicJwk } from '../shared/items.js';

const FILE = 'relay-key.jwk';
const ISSUER = 'hotline-relay';
const AUDIENCE = 'hotline-trainer';

export class RelayKey {
  private constructor(
    readonly kid: string,
    readonly publicJwk: PublicJwk,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  static async loadOrCreate(dataDir: string): Promise<{ key: RelayKey; created: boolean }> {
    const file = path.join(dataDir, FILE);
    let jwk: JWK;
    let created = false;
    try {
      jwk = JSON.parse(await fs.readFile(file, 'utf8')) as JWK;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const pair = await generateKeyPair(ALG, { extractable: true });
      jwk = await exportJWK(pair.privateKey);
      // wx: never overwrite a key another process just made.
      await fs.writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
      created = true;
    }
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) {
      throw new HotlineError('INTERNAL', `${file} is not an Ed25519 private JWK.`);
    }
    const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk, ALG)) as CryptoKey;
    return { key: new RelayKey(await thumbprint(publicJwk), publicJwk, privateKey, publicKey), created };
  }

  get verifyKey(): CryptoKey {
    return this.publicKey;
  }

  /** One per commit batch: node:crypto makes the same JWS as jose's CompactSign, for less CPU. */
  signCheckpoint(payload: CheckpointPayload): Promise<string> {
    return signCompact(payload, this.privateKey, this.kid, TYP.checkpoint);
  }

  async signToken(subject: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
    const token = await new SignJWT({ role: 'trainer' })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verifyToken(token: string): Promise<{ sub: string }> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: 'JWT',
      });
      if (payload['role'] !== 'trainer' || !payload.sub) throw new Error('role');
      return { sub: payload.sub };
    } catch {
      throw new HotlineError('UNAUTHORIZED', 'The trainer token is missing, invalid or expired.');
    }
  }
}
