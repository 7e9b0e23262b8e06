// The Ed25519 checks of server/verify-pool.ts, on their own thread. The main thread has already refused every
// JWS that is not canonical or whose signature is not 64 bytes: what arrives here is only bytes to check, a
// batch at a time, and one message goes back per batch, so the cost of the hop is shared by the batch.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/** One batch, main thread to worker: item i is signed over inputs[i] (the JWS up to its last dot, read as
 * latin1), with the 64 bytes at sigs[64 i], by the Ed25519 public key whose JWK x is keys[i]. */
export interface VerifyBatch {
  id: number;
  inputs: string[];
  sigs: Uint8Array;
  keys: string[];
}

/** The answer, worker to main thread: ok[i] is 1 when item i's signature holds. */
export interface VerifyVerdicts {
  id: number;
  ok: Uint8Array<ArrayBuffer>;
}

export const SIGNATURE_BYTES = 64;

/** Enough for every key of many exercises; a relay that sees more starts the cache again rather than grow. */
const MAX_KEYS = 4096;
const keyObjects = new Map<string, KeyObject>();

function keyObject(x: string): KeyObject {
  let key = keyObjects.get(x);
  if (!key) {
    if (keyObjects.size >= MAX_KEYS) keyObjects.clear();
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    keyObjects.set(x, key);
  }
  return key;
}

export function verifyBatch(batch: VerifyBatch): VerifyVerdicts {
  const ok = new Uint8Array(batch.inputs.length);
  for (let i = 0; i < ok.length; i++) {
    const signature = batch.sigs.subarray(i * SIGNATURE_BYTES, (i + 1) * SIGNATURE_BYTES);
    try {
      ok[i] = verify(null, Buffer.from(batch.inputs[i]!, 'latin1'), keyObject(batch.keys[i]!), signature) ? 1 : 0;
    } catch {
      // As verifyCompact: a key node:crypto cannot use is a signature that does not hold.
      ok[i] = 0;
    }
  }
  return { id: batch.id, ok };
}

const port = parentPort;
port?.on('message', (batch: VerifyBatch) => {
  const verdicts = verifyBatch(batch);
  port.postMessage(verdicts, [verdicts.ok.buffer]);
});
