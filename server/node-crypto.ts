// node:crypto equivalents of the jose paths the relay runs for every item: the same Ed25519 JWS,
// accepted and refused alike (test/node-crypto.test.ts runs both over every tamper case), at about
// half the CPU. Signature checks run on libuv's thread pool, so both cores share them.
import { createHash, KeyObject, sign, verify } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { base64url, fromBase64url, utf8 } from '../shared/encoding.js';
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

/** Decodes a signature exactly as jose does on Node 20 (forgiving base64 through atob), so the two
 * paths accept the same spellings, including the second spelling of the last character. */
function joseSignature(text: string): Buffer | null {
  if (text.includes('+') || text.includes('/')) return null;
  try {
    return Buffer.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), 'latin1');
  } catch {
    return null;
  }
}

/** Verifies the signature of a compact JWS whose header decodeHeader already accepted. */
export function verifyCompact(jws: string, key: CryptoKey, _typ: Typ): Promise<Uint8Array> {
  const first = jws.indexOf('.');
  const last = jws.lastIndexOf('.');
  const payload = fromBase64url(jws.slice(first + 1, last));
  const signature = joseSignature(jws.slice(last + 1));
  if (!payload || !signature || signature.length !== 64) return Promise.reject(new HotlineError('BAD_SIGNATURE'));
  return new Promise((resolve, reject) => {
    verify(null, Buffer.from(jws.slice(0, last), 'latin1'), keyObject(key), signature, (err, ok) => {
      if (err || !ok) reject(new HotlineError('BAD_SIGNATURE'));
      else resolve(payload);
    });
  });
}

export const NODE_CRYPTO: ItemCrypto = {
  verify: verifyCompact,
  hash: (bytes) => createHash('sha256').update(bytes).digest('base64url'),
};

/** Signs exactly what jose's CompactSign makes with header {alg, kid, typ}; Ed25519 is deterministic. */
export function signCompact(payload: unknown, key: CryptoKey, kid: string, typ: Typ): Promise<string> {
  const input = `${base64url(utf8(JSON.stringify({ alg: ALG, kid, typ })))}.${base64url(utf8(JSON.stringify(payload)))}`;
  return new Promise((resolve, reject) => {
    sign(null, Buffer.from(input, 'latin1'), keyObject(key), (err, sig) => {
      if (err) reject(err);
      else resolve(`${input}.${sig.toString('base64url')}`);
    });
  });
}
