// Compact JWS on jose with the algorithm pinned to Ed25519 and the typ checked per item kind.
// Cheap structural checks run before any key lookup or signature work, so junk costs nothing.
import { CompactSign, compactVerify, importJWK, calculateJwkThumbprint, type CryptoKey, type JWK } from 'jose';
import { HotlineError } from './errors.js';
import { fromBase64url, fromUtf8, isBase64url, utf8 } from './encoding.js';
import { publicJwk as publicJwkSchema, type PublicJwk, type Typ } from './items.js';
import { validate } from './protocol.js';
import { parseStrictJson } from './strict-json.js';

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
  const header = parseHeader(parts[0]!);
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
  requireCanonicalSignature(parts[2]!);
  const extra = Object.keys(h).filter((k) => !HEADER_KEYS.includes(k));
  if (extra.length > 0) throw new HotlineError('BAD_JWS', `Header parameters not allowed: ${extra.join(', ')}.`);
  if (typeof h['kid'] !== 'string' || h['kid'].length === 0 || h['kid'].length > 64) {
    throw new HotlineError('BAD_JWS', 'The header needs a kid (the key thumbprint).');
  }
  if (typeof h['typ'] !== 'string') throw new HotlineError('BAD_TYPE', 'The header needs a typ.');
  return { alg: ALG, kid: h['kid'], typ: h['typ'] };
}

/** jose decodes the signature forgivingly; a second spelling of it must not verify (PROTOCOL.md section 1). */
function requireCanonicalSignature(b64: string): void {
  if (!isBase64url(b64)) throw new HotlineError('BAD_JWS', 'The signature is not canonical base64url.');
}

/** The header's JSON value; BAD_JWS unless it is canonical base64url of UTF-8 I-JSON. */
function parseHeader(b64: string): unknown {
  const raw = fromBase64url(b64);
  let text: string | undefined;
  try {
    text = raw ? fromUtf8(raw) : undefined;
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new HotlineError('BAD_JWS', 'The protected header is not a base64url JSON object.');
  return parseStrictJson(text, 'BAD_JWS', 'The protected header');
}

/** Decodes the payload bytes of a compact JWS (no verification). */
export function payloadBytes(jws: string): Uint8Array {
  const bytes = fromBase64url(jws.split('.')[1] ?? '');
  if (!bytes) throw new HotlineError('BAD_JWS', 'The payload is not base64url.');
  return bytes;
}

/** The payload's JSON value; SCHEMA_INVALID unless it is UTF-8 I-JSON (no repeated member names). */
export function parseJsonPayload(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw new HotlineError('SCHEMA_INVALID', 'The payload is not UTF-8 JSON.');
  }
  return parseStrictJson(text, 'SCHEMA_INVALID', 'The payload');
}

/** Verifies the signature with the given key; returns the signed payload bytes, decoded strictly here
 * (jose's own base64url decoding accepts a second spelling of the last character). */
export async function verifySignature(jws: string, key: CryptoKey, typ: Typ): Promise<Uint8Array> {
  const payload = payloadBytes(jws);
  requireCanonicalSignature(jws.slice(jws.lastIndexOf('.') + 1));
  let result;
  try {
    result = await compactVerify(jws, key, { algorithms: [ALG] });
  } catch {
    throw new HotlineError('BAD_SIGNATURE');
  }
  if (result.protectedHeader.typ !== typ) throw new HotlineError('BAD_TYPE', `Expected typ ${typ}.`);
  return payload;
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
