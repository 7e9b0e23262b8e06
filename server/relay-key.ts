// The relay's own Ed25519 key: it signs checkpoints and the trainer JWTs. The private JWK lives in a file
// with mode 0600 (in the data directory unless HOTLINE_RELAY_KEY_FILE names another) and never leaves it.
// Several relays serving one log share this one key, so a console, a trainer token and `verify` know one
// relay whichever process answers (docs/operations.md, "Several relays on one PostgreSQL"); the store
// records its key id (claim()), and a relay given another key refuses to start.
import { isBase64url } from '../shared/encoding.js';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { HotlineError } from '../shared/errors.js';
import { ALG, thumbprint } from '../shared/jws.js';
import { signCompact } from './node-crypto.js';
import { LIMITS, TYP, type CheckpointPayload, type PublicJwk } from '../shared/items.js';
import type { TrainerToken } from '../shared/http-api.js';
import type { Store } from './store/types.js';

const KID_META = 'relay_kid';
const ISSUER = 'hotline-relay';
const AUDIENCE = 'hotline-trainer';
const TOKEN_TYP = 'JWT';
/** How long a trainer session may be renewed after the secret was used (docs/PROTOCOL.md "Trainer auth"). */
export const SESSION_CAP_SECONDS = 12 * 3600;

/** What a checked trainer token says; times in seconds since the epoch, as in the JWT. */
export interface TrainerClaims {
  sub: string;
  exp: number;
  /** When the trainer secret was exchanged for the first token of this session. */
  authTime: number;
  /** The trainer's display name, given at sign-in: every entry the trainer causes records it. */
  name: string;
}

/** The name of a trainer who gave none at sign-in. */
export const DEFAULT_TRAINER_NAME = 'Trainer';

async function readJwk(file: string): Promise<JWK | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export class RelayKey {
  private constructor(
    readonly kid: string,
    readonly publicJwk: PublicJwk,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  static async loadOrCreate(file: string): Promise<{ key: RelayKey; created: boolean }> {
    let created = false;
    let jwk = await readJwk(file);
    if (!jwk) {
      const pair = await generateKeyPair(ALG, { extractable: true });
      const fresh = await exportJWK(pair.privateKey);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Written aside and linked into place: a relay starting beside this one never reads half a key, and
      // `link` fails when another made the key first; then that one is every relay's key.
      const temp = `${file}.${randomUUID()}.tmp`;
      await fs.writeFile(temp, JSON.stringify(fresh), { mode: 0o600 });
      try {
        await fs.link(temp, file);
        created = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        await fs.rm(temp, { force: true });
      }
      jwk = created ? fresh : await readJwk(file);
      if (!jwk) throw new HotlineError('INTERNAL', `${file} vanished while the relay was starting.`);
    }
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d) {
      throw new HotlineError('INTERNAL', `${file} is not an Ed25519 private JWK.`);
    }
    const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk, ALG)) as CryptoKey;
    return { key: new RelayKey(await thumbprint(publicJwk), publicJwk, privateKey, publicKey), created };
  }

  /** Records this key as the log's relay key, or checks that it is: every relay of one store must share
   * one key, or consoles would see checkpoints and tokens of a relay they did not enrol with. */
  async claim(store: Pick<Store, 'getMeta' | 'swapMeta'>, file: string): Promise<void> {
    const recorded =
      (await store.getMeta(KID_META)) ??
      ((await store.swapMeta(KID_META, null, this.kid)) ? this.kid : await store.getMeta(KID_META));
    if (recorded !== this.kid)
      throw new HotlineError(
        'RELAY_KEY_MISMATCH',
        `${file} holds relay key ${this.kid}, but this log's relay key is ${recorded ?? '(none)'}: every relay of one log must be given the same key file (HOTLINE_RELAY_KEY_FILE).`,
      );
  }

  get verifyKey(): CryptoKey {
    return this.publicKey;
  }

  /** One per commit batch: node:crypto makes the same JWS as jose's CompactSign, for less CPU. */
  signCheckpoint(payload: CheckpointPayload): Promise<string> {
    return signCompact(payload, this.privateKey, this.kid, TYP.checkpoint);
  }

  /** A fresh trainer session: the secret was just checked, so auth_time is now. */
  signToken(subject: string, ttlSeconds: number, name = DEFAULT_TRAINER_NAME): Promise<TrainerToken> {
    const t = Math.floor(Date.now() / 1000);
    return this.#sign({ sub: subject, authTime: t, name }, t, t + ttlSeconds);
  }

  /**
   * The same session with a fresh token: auth_time is carried over, so renewals cannot stretch a session
   * (or a stolen token) past SESSION_CAP_SECONDS after the secret was last used.
   */
  async renewToken(claims: TrainerClaims, ttlSeconds: number): Promise<TrainerToken> {
    const t = Math.floor(Date.now() / 1000);
    const cap = claims.authTime + SESSION_CAP_SECONDS;
    if (t >= cap)
      throw new HotlineError(
        'UNAUTHORIZED',
        'The trainer session is over 12 hours old; sign in with the secret again.',
      );
    return this.#sign(claims, t, Math.min(t + ttlSeconds, cap));
  }

  async #sign(claims: Omit<TrainerClaims, 'exp'>, iat: number, exp: number): Promise<TrainerToken> {
    const token = await new SignJWT({ role: 'trainer', auth_time: claims.authTime, name: claims.name })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: TOKEN_TYP })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.sub)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** Every claim signToken puts in is required: a token without exp, iat or auth_time is refused. */
  async verifyToken(token: string): Promise<TrainerClaims> {
    try {
      // jose decodes base64url leniently (spare bits ignored): a token, like every JWS here, has one spelling.
      if (!token.split('.').every(isBase64url)) throw new Error('spelling');
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TOKEN_TYP,
        requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'auth_time'],
      });
      const authTime = payload['auth_time'];
      if (payload['role'] !== 'trainer' || !payload.sub || payload.exp === undefined) throw new Error('role');
      if (typeof authTime !== 'number' || !Number.isSafeInteger(authTime)) throw new Error('auth_time');
      const name = payload['name'] ?? DEFAULT_TRAINER_NAME;
      if (typeof name !== 'string' || name.length === 0 || name.length > LIMITS.operator) throw new Error('name');
      return { sub: payload.sub, exp: payload.exp, authTime, name };
    } catch {
      throw new HotlineError('UNAUTHORIZED', 'The trainer token is missing, invalid or expired.');
    }
  }
}
