// node:crypto equivalents of the jose paths the relay runs for every item: the same Ed25519 JWS,
// accepted and refused alike (test/shared/protocol.test.ts runs both over every tamper case), for less CPU.
// They run synchronously on the main thread: a check is short, and handing it to libuv's pool costs a
// large share of it again in thread wake-ups (futex, eventfd). docs/performance.md has the figures.
import { createHash, KeyObject, sign, verify } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { fromBase64url, isBase64url } from '../shared/encoding.js';
import { HotlineError } from '../shared/errors.js';
import { ALG } from '../shared/jws.js';
import type { Typ } from '../shared/items.js';
import type { ItemCrypto } from '../shared/signed.js';

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObject(key: CryptoKey): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    keyObjects.set(key, k);
  }
  return k;
}

/** Checks the signature of a compact JWS whose header decodeHeader already accepted, synchronously; throws
 * BAD_JWS or BAD_SIGNATURE. The payload is only checked to be canonical base64url, not decoded again: its
 * reader (inspectItem) decoded it already. */
export function checkCompact(jws: string, key: KeyObject): void {
  const first = jws.indexOf('.');
  const last = jws.lastIndexOf('.');
  // Strict, as everywhere: a second spelling of the last character is refused (decodeHeader already did).
  const signature = fromBase64url(jws.slice(last + 1));
  if (!isBase64url(jws.slice(first + 1, last)) || !signature)
    throw new HotlineError('BAD_JWS', 'A JWS part is not canonical base64url.');
  if (signature.length !== 64) throw new HotlineError('BAD_SIGNATURE');
  let ok: boolean;
  try {
    ok = verify(null, Buffer.from(jws.slice(0, last), 'latin1'), key, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new HotlineError('BAD_SIGNATURE');
}

/** checkCompact as the ItemCrypto interface has it (a promise, a WebCrypto key). */
export function verifyCompact(jws: string, key: CryptoKey, _typ: Typ): Promise<void> {
  try {
    checkCompact(jws, keyObject(key));
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** The payload hash that deduplication compares: SHA-256 of the payload bytes, base64url. */
export function payloadHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

export const NODE_CRYPTO: ItemCrypto = {
  verify: verifyCompact,
  hash: payloadHash,
};

/** Signs exactly what jose's CompactSign makes with header {alg, kid, typ}; Ed25519 is deterministic. */
export function signCompact(payload: unknown, key: CryptoKey, kid: string, typ: Typ): Promise<string> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const input = `${b64({ alg: ALG, kid, typ })}.${b64(payload)}`;
  return Promise.resolve(`${input}.${sign(null, Buffer.from(input, 'latin1'), keyObject(key)).toString('base64url')}`);
}
