// Compact JWS on jose with the algorithm pinned to Ed25519 and the typ checked per item kind.
// Cheap structural checks run before any key lookup or signature work, so junk costs nothing.
import { CompactSign, compactVerify, importJWK, calculateJwkThumbprint, type CryptoKey, type JWK } from 'jose';
import { HotlineError } from './errors.js';
import { fromBase64url, fromUtf8, utf8 } from './encoding.js';
import { publicJwk as publicJwkSchema, type PublicJwk, type Typ } from './items.js';
import { validate } from './protocol.js';

export const ALG = 'Ed25519';
const HEADER_KEYS = ['alg', 'kid', 'typ'];

export interface JwsHeader {
  alg: typeof ALG;
  kid: string;
  typ: string;
}

/** Decodes and checks the protected header without touching the signature. */
export function decodeHeader(jws: string): JwsHeader {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[0]!.length === 0) {
    throw new HotlineError('BAD_JWS', 'A compact JWS has three non-empty base64url parts.');
  }
  const raw = fromBase64url(parts[0]!);
  let header: unknown;
  try {
    header = raw && JSON.parse(fromUtf8(raw));
  } catch {
    header = undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new HotlineError('BAD_JWS', 'The protected header is not a base64url JSON object.');
  }
  const h = header as Record<string, unknown>;
  if (h['alg'] !== ALG) {
    throw new HotlineError('BAD_ALGORITHM', `alg ${JSON.stringify(h['alg'] ?? null)} is not accepted; only "Ed25519".`);
  }
  // Checked after alg, so an unsecured alg-none JWS (empty signature) is named for what it is.
  if (parts[1]!.length === 0 || parts[2]!.length === 0) {
    throw new HotlineError('BAD_JWS', 'A compact JWS has three non-empty base64url parts.');
  }
  const extra = Object.keys(h).filter((k) => !HEADER_KEYS.includes(k));
  if (extra.length > 0) throw new HotlineError('BAD_JWS', `Header parameters not allowed: ${extra.join(', ')}.`);
  if (typeof h['kid'] !== 'string' || h['kid'].length === 0 || h['kid'].length > 64) {
    throw new HotlineError('BAD_JWS', 'The header needs a kid (the key thumbprint).');
  }
  if (typeof h['typ'] !== 'string') throw new HotlineError('BAD_TYPE', 'The header needs a typ.');
  return { alg: ALG, kid: h['kid'], typ: h['typ'] };
}

/** Decodes the payload bytes of a compact JWS (no verification). */
export function payloadBytes(jws: string): Uint8Array {
  const bytes = fromBase64url(jws.split('.')[1] ?? '');
  if (!bytes) throw new HotlineError('BAD_JWS', 'The payload is not base64url.');
  return bytes;
}

export function parseJsonPayload(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch {
    throw new HotlineError('SCHEMA_INVALID', 'The payload is not UTF-8 JSON.');
  }
}

/** Verifies the signature with the given key; returns the signed payload bytes. */
export async function verifySignature(jws: string, key: CryptoKey, typ: Typ): Promise<Uint8Array> {
  let result;
  try {
    result = await compactVerify(jws, key, { algorithms: [ALG] });
  } catch {
    throw new HotlineError('BAD_SIGNATURE');
  }
  if (result.protectedHeader.typ !== typ) throw new HotlineError('BAD_TYPE', `Expected typ ${typ}.`);
  return result.payload;
}

export async function signJws(payload: unknown, key: CryptoKey, kid: string, typ: Typ): Promise<string> {
  return new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader({ alg: ALG, kid, typ }).sign(key);
}

export function parsePublicJwk(value: unknown): PublicJwk {
  return validate(publicJwkSchema, value, 'BAD_REQUEST');
}

export async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  return (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, ALG)) as CryptoKey;
}

/** RFC 7638 thumbprint: the kid of every key in Hotline. */
export async function thumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, 'sha256');
}

/** Imports a key once per kid: imports are not free, and every item of a device uses the same key. */
export class KeyCache {
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  get(kid: string, jwk: PublicJwk): Promise<CryptoKey> {
    let key = this.#keys.get(kid);
    if (!key) {
      key = importPublicKey(jwk);
      this.#keys.set(kid, key);
    }
    return key;
  }
}
