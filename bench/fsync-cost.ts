// What durability costs in time on this disk (docs/performance.md, "Today's figures": the p50 ratio): the
// wall time of one fdatasync after a page-sized write, and of one one-item commit through the embedded
// store (the relay's inline commit on an idle relay: insert, WAL write, fsync), each many times in a row in
// the temporary directory the bench relays use. A round trip holds two such commits in series (the
// message's, then the receipt's), which the crypto floor does not have.
// Run: npx tsx bench/fsync-cost.ts [count=400] [gap ms=0]
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_EXERCISE } from '../server/exercises.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import type { AppendRequest } from '../server/store/types.js';

const COUNT = Number(process.argv[2] ?? 400);
/** Milliseconds between two operations: 0 back to back; 5 is an idle relay at 100 msg/s (200 items/s). */
const GAP_MS = Number(process.argv[3] ?? 0);
const gap = () => (GAP_MS > 0 ? new Promise((r) => setTimeout(r, GAP_MS)) : Promise.resolve());

function summary(label: string, ms: number[]): void {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(3);
  const mean = (s.reduce((a, b) => a + b, 0) / s.length).toFixed(3);
  console.log(`${label.padEnd(34)} p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  mean ${mean} ms  (n=${s.length})`);
}

async function fdatasyncTimes(dir: string): Promise<number[]> {
  const fd = openSync(path.join(dir, 'sync-test'), 'w');
  const page = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < COUNT; i++) {
      await gap();
      const t = performance.now();
      writeSync(fd, page, 0, page.length, (i % 256) * page.length);
      fdatasyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
  }
  return times;
}

async function commitTimes(dir: string): Promise<number[]> {
  const store = openSqliteStore(path.join(dir, 'hotline.db'), 'none');
  const times: number[] = [];
  try {
    const at = new Date().toISOString();
    await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    for (let i = 0; i < COUNT; i++) {
      await gap();
      const note: AppendRequest = {
        exercise: 'dtl',
        kind: 'note',
        at: new Date().toISOString(),
        data: { text: 'x'.repeat(1000) },
      };
      const t = performance.now();
      const [r] = await store.append([note]);
      times.push(performance.now() - t);
      if (!r?.ok) throw new Error('the commit was refused');
    }
  } finally {
    await store.close();
  }
  return times;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-fsync-'));
try {
  console.log(`${COUNT} each, in ${os.tmpdir()}, ${GAP_MS > 0 ? `${GAP_MS} ms apart` : 'one after another'}`);
  summary('write 4 KiB + fdatasync', await fdatasyncTimes(dir));
  summary('one-item store commit (inline)', await commitTimes(dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
