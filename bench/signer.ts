// A load generator's Ed25519 JWS signer on node:crypto: synchronous and cheaper than jose (each run's
// calibration measures both), and byte-identical to it (same protected header JSON, same payload JSON, and
// Ed25519 is deterministic), so the relay sees exactly what a console signing with jose would send.
// test/bench/signer.test.ts proves it.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { fromBase64url, fromUtf8 } from '../shared/encoding.js';
import { HotlineError } from '../shared/errors.js';
import { ALG, thumbprint } from '../shared/jws.js';
import type { PublicJwk, Typ } from '../shared/items.js';

export interface BenchKey {
  kid: string;
  publicJwk: PublicJwk;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A fresh Ed25519 key pair with its RFC 7638 kid, as a console would make. */
export async function generateBenchKey(): Promise<BenchKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return fromKeyObjects(privateKey, publicKey);
}

/** Wraps an existing private JWK (for tests that compare with jose). */
export async function benchKeyFromJwk(privateJwk: {
  kty: string;
  crv: string;
  x: string;
  d: string;
}): Promise<BenchKey> {
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  return fromKeyObjects(privateKey, createPublicKey(privateKey));
}

async function fromKeyObjects(privateKey: KeyObject, publicKey: KeyObject): Promise<BenchKey> {
  const jwk = publicKey.export({ format: 'jwk' });
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
  return { kid: await thumbprint(publicJwk), publicJwk, privateKey, publicKey };
}

/**
 * Signs compact JWS with header exactly {alg, kid, typ} (in that order, as shared/jws.ts signJws does).
 * The encoded header is cached per typ: only the payload and the signature cost anything per item.
 */
export class JwsSigner {
  readonly #headers = new Map<string, string>();

  constructor(readonly key: BenchKey) {}

  #header(typ: Typ): string {
    let h = this.#headers.get(typ);
    if (h === undefined) {
      h = b64url(JSON.stringify({ alg: ALG, kid: this.key.kid, typ }));
      this.#headers.set(typ, h);
    }
    return h;
  }

  sign(payload: unknown, typ: Typ): string {
    const input = `${this.#header(typ)}.${b64url(JSON.stringify(payload))}`;
    const signature = sign(null, Buffer.from(input, 'ascii'), this.key.privateKey);
    return `${input}.${signature.toString('base64url')}`;
  }
}

/** Verifies a compact JWS's Ed25519 signature with node:crypto (the inline check of a bench console).
 * The signature is decoded strictly, as the relay and the consoles do: a second spelling fails. */
export function verifyCompact(jws: string, publicKey: KeyObject): boolean {
  const dot = jws.lastIndexOf('.');
  if (dot < 0) return false;
  const signature = fromBase64url(jws.slice(dot + 1));
  return signature !== null && verify(null, Buffer.from(jws.slice(0, dot), 'ascii'), publicKey, signature);
}

/** The payload of a compact JWS, decoded strictly without verification (the bench reads ids and refs this way). */
export function decodePayload<T>(jws: string): T {
  const first = jws.indexOf('.');
  const second = jws.indexOf('.', first + 1);
  const bytes = fromBase64url(jws.slice(first + 1, second));
  if (!bytes) throw new HotlineError('BAD_JWS', 'The payload is not canonical base64url.');
  return JSON.parse(fromUtf8(bytes)) as T;
}
