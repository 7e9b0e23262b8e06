// After the run, outside the measurement: every entry each receiver got goes through shared/chain.ts's
// ChainVerifier (the verifier consoles and `hotline verify` use): hash links, each entry's hash, every
// message and receipt signature against the key enrolled in the same log, per-key seq continuity, receipts
// that refer to real messages with the right refHash. Each relay checkpoint the sender was handed must verify
// against the relay key and match the receiver's entry at its idx.
import type { CryptoKey } from 'jose';
import { ChainVerifier } from '../shared/chain.js';
import type { Entry } from '../shared/entry.js';
import { importPublicKey } from '../shared/jws.js';
import type { PublicJwk } from '../shared/items.js';
import { verifyCheckpoint } from '../shared/signed.js';
import type { Fault } from './checker.js';
import { inParallel } from './setup.js';

export interface LogToVerify {
  pair: number;
  entries: Entry[];
  checkpoints: Iterable<string>;
}

export interface Verification {
  mode: 'after-the-fact' | 'skipped';
  /** Message and receipt signatures checked. */
  signatures: number;
  checkpoints: number;
  entries: number;
  seconds: number;
  faults: Fault[];
}

async function verifyOne(
  log: LogToVerify,
  relayKey: CryptoKey | undefined,
): Promise<{ signatures: number; checkpoints: number; faults: Fault[] }> {
  const chain = new ChainVerifier();
  const faults: Fault[] = [];
  let signatures = 0;
  // Arrival order is checked elsewhere; here each distinct idx once, in order, so one fault does not hide the rest.
  const byIdx = new Map<number, Entry>();
  for (const e of log.entries) if (!byIdx.has(e.idx)) byIdx.set(e.idx, e);
  const ordered = [...byIdx.values()].sort((a, b) => a.idx - b.idx);
  for (const entry of ordered) {
    try {
      const applied = await chain.apply(entry);
      if (applied.item) signatures++;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'INTERNAL';
      faults.push({
        pair: log.pair,
        kind: code === 'BAD_SIGNATURE' ? 'bad-signature' : 'chain',
        detail: `${code}: ${(err as Error).message}`,
      });
      break;
    }
  }
  let checkpoints = 0;
  if (relayKey) {
    for (const jws of log.checkpoints) {
      try {
        const cp = await verifyCheckpoint(jws, relayKey);
        const have = chain.hashes[cp.idx];
        if (have !== undefined && have !== cp.hash)
          throw new Error(`checkpoint for entry ${cp.idx} disagrees with the log`);
        checkpoints++;
      } catch (err) {
        faults.push({ pair: log.pair, kind: 'bad-signature', detail: `relay checkpoint: ${(err as Error).message}` });
        break;
      }
    }
  }
  return { signatures, checkpoints, faults };
}

/** Verifies every pair's log; pairs run concurrently (jose verifies on libuv's thread pool). */
export async function verifyLogs(logs: LogToVerify[], relayJwk: PublicJwk | undefined): Promise<Verification> {
  const started = performance.now();
  const relayKey = relayJwk ? await importPublicKey(relayJwk) : undefined;
  const result: Verification = {
    mode: 'after-the-fact',
    signatures: 0,
    checkpoints: 0,
    entries: 0,
    seconds: 0,
    faults: [],
  };
  await inParallel(logs.length, 8, async (i) => {
    const log = logs[i]!;
    const r = await verifyOne(log, relayKey);
    result.signatures += r.signatures;
    result.checkpoints += r.checkpoints;
    result.entries += log.entries.length;
    result.faults.push(...r.faults);
  });
  result.seconds = Math.round(performance.now() - started) / 1000;
  return result;
}
