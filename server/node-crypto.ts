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

/** Verifies the signature of a compact JWS whose header decodeHeader already accepted. The payload is only
 * checked to be canonical base64url, not decoded again: its reader (inspectItem) decoded it already. */
export function verifyCompact(jws: string, key: CryptoKey, _typ: Typ): Promise<void> {
  const first = jws.indexOf('.');
  const last = jws.lastIndexOf('.');
  // Strict, as everywhere: a second spelling of the last character is refused (decodeHeader already did).
  const signature = fromBase64url(jws.slice(last + 1));
  if (!isBase64url(jws.slice(first + 1, last)) || !signature)
    return Promise.reject(new HotlineError('BAD_JWS', 'A JWS part is not canonical base64url.'));
  if (signature.length !== 64) return Promise.reject(new HotlineError('BAD_SIGNATURE'));
  let ok: boolean;
  try {
    ok = verify(null, Buffer.from(jws.slice(0, last), 'latin1'), keyObject(key), signature);
  } catch {
    ok = false;
  }
  return ok ? Promise.resolve() : Promise.reject(new HotlineError('BAD_SIGNATURE'));
}

export const NODE_CRYPTO: ItemCrypto = {
  verify: verifyCompact,
  hash: (bytes) => createHash('sha256').update(bytes).digest('base64url'),
};

/** Signs exactly what jose's CompactSign makes with header {alg, kid, typ}; Ed25519 is deterministic. */
export function signCompact(payload: unknown, key: CryptoKey, kid: string, typ: Typ): Promise<string> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const input = `${b64({ alg: ALG, kid, typ })}.${b64(payload)}`;
  return Promise.resolve(`${input}.${sign(null, Buffer.from(input, 'latin1'), keyObject(key)).toString('base64url')}`);
}
