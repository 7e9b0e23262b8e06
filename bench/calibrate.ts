// What one Ed25519 signature costs on this machine, measured right before the run, so the report can put
// the relay's CPU per round trip next to the cost of the two verifications it must do (message + receipt).
import { CompactSign, compactVerify, importJWK, type CryptoKey } from 'jose';
import { ALG } from '../shared/jws.js';
import { TYP } from '../shared/items.js';
import { generateBenchKey, JwsSigner, verifyCompact } from './signer.js';

export interface Calibration {
  /** µs per operation, median of several batches, one at a time on the main thread. */
  signNodeUs: number;
  verifyNodeUs: number;
  /** CPU µs per node:crypto verification (synchronous, main thread): the reference for the relay's CPU per round trip. */
  verifyNodeCpuUs: number;
  signJoseUs: number;
  verifyJoseUs: number;
  /** CPU µs per jose verification, all threads (WebCrypto does the work on libuv's pool): the fair comparison for relay CPU. */
  verifyJoseCpuUs: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function perOp(batches: number, size: number, op: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < size; i++) await op();
    times.push(((performance.now() - t) * 1000) / size);
  }
  return Math.round(median(times) * 10) / 10;
}

async function cpuPerOp(count: number, op: () => unknown): Promise<number> {
  const c = process.cpuUsage();
  for (let i = 0; i < count; i++) await op();
  const d = process.cpuUsage(c);
  return Math.round(((d.user + d.system) / count) * 10) / 10;
}

export async function calibrate(): Promise<Calibration> {
  const key = await generateBenchKey();
  const signer = new JwsSigner(key);
  const payload = { v: 1, type: 'message', body: 'x'.repeat(256), seq: 0 };
  const jws = signer.sign(payload, TYP.message);
  const privateJwk = key.privateKey.export({ format: 'jwk' });
  const josePrivate = (await importJWK({ ...privateJwk, alg: ALG }, ALG)) as CryptoKey;
  const josePublic = (await importJWK({ ...key.publicJwk }, ALG)) as CryptoKey;
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const header = { alg: ALG, kid: key.kid, typ: TYP.message };
  return {
    signNodeUs: await perOp(5, 100, () => signer.sign(payload, TYP.message)),
    verifyNodeUs: await perOp(5, 100, () => verifyCompact(jws, key.publicKey)),
    verifyNodeCpuUs: await cpuPerOp(500, () => verifyCompact(jws, key.publicKey)),
    signJoseUs: await perOp(5, 100, () => new CompactSign(bytes).setProtectedHeader(header).sign(josePrivate)),
    verifyJoseUs: await perOp(5, 100, () => compactVerify(jws, josePublic, { algorithms: [ALG] })),
    verifyJoseCpuUs: await cpuPerOp(500, () => compactVerify(jws, josePublic, { algorithms: [ALG] })),
  };
}
