// What an Ed25519 check of a submitted item costs inline (NODE_CRYPTO, today's relay) and through the pool of
// server/verify-pool.ts with 1 and 2 workers, at batch sizes 1, 8, 32 and 128 (docs/performance.md,
// "Signature checks on worker threads"). One batch in flight at a time: B checks issued in one turn, awaited,
// again, for --ms each. Per item: wall time, CPU of the main thread (/proc/thread-self/schedstat, Linux) and of
// the whole process (process.cpuUsage: every thread). Δ process CPU is what the pool adds per batch over inline.
// Run: npx tsx bench/verify-pool-cost.ts [--ms 700] (about 15 s with the default)
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { TYP } from '../shared/items.js';
import { importPublicKey } from '../shared/jws.js';
import { signCompact, verifyCompact } from '../server/node-crypto.js';
import { VerifyPool } from '../server/verify-pool.js';

type Verify = (jws: string, key: CryptoKey) => Promise<unknown>;

interface Cell {
  items: number;
  batches: number;
  wallUs: number;
  mainUs: number;
  processUs: number;
}

const msArg = process.argv.indexOf('--ms');
const MS = msArg > 0 ? Number(process.argv[msArg + 1]) : 700;
const BATCHES = [1, 8, 32, 128];

/** CPU time of the calling thread, in µs. */
function threadCpuUs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
}

function processCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** A typical message item (about 700 characters of payload), signed as a console signs it. */
async function items(n: number): Promise<{ jwss: string[]; key: CryptoKey }> {
  const pair = await generateKeyPair('Ed25519', { extractable: true });
  const { x } = await exportJWK(pair.publicKey);
  const key = await importPublicKey({ kty: 'OKP', crv: 'Ed25519', x: x! });
  const jwss = await Promise.all(
    Array.from({ length: n }, (_, seq) =>
      signCompact(
        {
          v: 1,
          type: 'message',
          id: crypto.randomUUID(),
          exercise: 'dtl',
          from: 'beijing',
          to: 'washington',
          seq,
          sentAt: new Date().toISOString(),
          precedence: 'ROUTINE',
          lang: 'en',
          subject: 'Line check',
          body: 'x'.repeat(256),
          classification: 'UNCLASSIFIED // EXERCISE',
        },
        pair.privateKey,
        'kid',
        TYP.message,
      ),
    ),
  );
  return { jwss, key };
}

async function run(verify: Verify, jwss: string[], key: CryptoKey, batch: number, ms: number): Promise<Cell> {
  const wall0 = performance.now();
  const main0 = threadCpuUs();
  const proc0 = processCpuUs();
  let n = 0;
  let batches = 0;
  while (performance.now() - wall0 < ms) {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < batch; i++) pending.push(verify(jwss[(n + i) % jwss.length]!, key));
    await Promise.all(pending);
    n += batch;
    batches++;
  }
  return {
    items: n,
    batches,
    wallUs: (performance.now() - wall0) * 1000,
    mainUs: threadCpuUs() - main0,
    processUs: processCpuUs() - proc0,
  };
}

const f1 = (v: number) => v.toFixed(1).padStart(7);

async function main(): Promise<void> {
  const { jwss, key } = await items(256);
  console.log(
    `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${MS} ms per cell`,
  );
  console.log('mode       batch | per item µs: wall  main CPU  process CPU | per batch: wall µs  Δ process CPU µs');
  const inline: Verify = (jws, k) => verifyCompact(jws, k, TYP.message);
  await run(inline, jwss, key, 8, 300); // warm
  const inlineCost = new Map<number, Cell>();
  for (const b of BATCHES) inlineCost.set(b, await run(inline, jwss, key, b, MS));
  const modes: [string, Verify, VerifyPool | undefined][] = [['inline', inline, undefined]];
  for (const threads of [1, 2]) {
    const pool = new VerifyPool({ threads });
    modes.push([`pool ${threads}`, (jws, k) => pool.verify(jws, k, TYP.message), pool]);
  }
  for (const [name, verify, pool] of modes) {
    if (pool) await run(verify, jwss, key, 32, 500); // the workers started and warm
    const cells = new Map<number, Cell>();
    for (const b of BATCHES) {
      const c = name === 'inline' ? inlineCost.get(b)! : await run(verify, jwss, key, b, MS);
      cells.set(b, c);
      const base = inlineCost.get(b)!;
      const hop = (c.processUs / c.items - base.processUs / base.items) * b;
      console.log(
        `${name.padEnd(9)} ${String(b).padStart(6)} |           ${f1(c.wallUs / c.items)} ${f1(c.mainUs / c.items)} ${f1(
          c.processUs / c.items,
        )}     | ${f1(c.wallUs / c.batches).padStart(18)} ${pool ? f1(hop).padStart(11) : '          -'}`,
      );
    }
    // main(B) = perMessage / B + perItem, fitted from the smallest and largest batch.
    const [lo, hi] = [BATCHES[0]!, BATCHES.at(-1)!].map((b) => cells.get(b)!.mainUs / cells.get(b)!.items) as [
      number,
      number,
    ];
    const perMessage = ((lo - hi) * BATCHES.at(-1)!) / (BATCHES.at(-1)! - 1);
    const perItem = hi - perMessage / BATCHES.at(-1)!;
    console.log(`${name}: main thread ${perMessage.toFixed(1)} µs per batch + ${perItem.toFixed(1)} µs per item`);
    await pool?.close();
  }
}

await main();
