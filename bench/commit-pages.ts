// How many pages the embedded store writes per commit (docs/performance.md, "Pages per commit"): a fresh data
// file, one exercise, then one-item message batches (what an idle relay commits) and 40-item batches from 20
// keys (a loaded relay's batch) through the store's own append. Every page a commit changes is one WAL frame
// (24-byte header + page: two pwrites), so frames are counted from the WAL itself. A second connection holds
// a read transaction open from the start, so no checkpoint can restart the WAL under the count; each frame's
// page is then named by the table or index that owns it (dbstat, read at the end). The page counts are
// deterministic; the CPU per commit (user + system, fsync included) is only a rough figure on a busy machine.
// Run: npx tsx bench/commit-pages.ts [commits=400] [one|batch: only that run]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../server/store/sqlite.js';
import type { AppendRequest } from '../server/store/types.js';
import { DEFAULT_EXERCISE } from '../server/exercises.js';
import { pageOwners, pagesByOwner, walCommits } from './wal-frames.js';

const COMMITS = Number(process.argv[2] ?? 400);
const ONLY = process.argv[3];
const WARMUP = 100;
const BIG_BATCH = { items: 40, kids: 20 };

/** A message as the relay logs it: a compact JWS of a typical size (about 1 KB). */
function message(kid: string, seq: number, n: number): AppendRequest {
  // Ids in time order, as UUIDv7 ids are.
  const id = `019ad000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const at = new Date().toISOString();
  return {
    exercise: 'dtl',
    kind: 'message',
    at,
    jws: `${'h'.repeat(120)}.${'p'.repeat(800)}.${'s'.repeat(86)}`,
    item: { kid, seq, id, type: 'message', payloadHash: `hash-${n}`, from: 'beijing', to: 'washington', sentAt: at },
  };
}

async function run(label: string, batchOf: (n: number) => AppendRequest[]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-pages-'));
  const file = path.join(dir, 'hotline.db');
  const store = openSqliteStore(file, 'none');
  const reader = new Database(file, { readonly: true });
  try {
    const at = new Date().toISOString();
    const [created] = await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    if (!created?.ok) throw new Error('could not create the exercise');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_schema').get();
    let cpu = process.cpuUsage();
    for (let c = 0; c < WARMUP + COMMITS; c++) {
      if (c === WARMUP) cpu = process.cpuUsage();
      const results = await store.append(batchOf(c));
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) throw new Error(`commit ${c}: ${refused.error.code}`);
    }
    const used = process.cpuUsage(cpu);
    const commits = walCommits(file).slice(-COMMITS);
    reader.exec('COMMIT');
    const byOwner = pagesByOwner(commits, pageOwners(reader));
    const total = [...byOwner.values()].reduce((sum, n) => sum + n, 0);
    const us = (used.user + used.system) / COMMITS;
    console.log(`${label}: ${commits.length} commits, ${total.toFixed(2)} pages per commit, ${us.toFixed(0)} us CPU`);
    for (const [name, n] of [...byOwner].sort((a, b) => b[1] - a[1]))
      console.log(`  ${name.padEnd(24)} ${n.toFixed(2)}`);
  } finally {
    reader.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ONLY !== 'batch') await run('one-item batches', (c) => [message('kid-beijing', c, c)]);
if (ONLY !== 'one')
  await run(`${BIG_BATCH.items}-item batches from ${BIG_BATCH.kids} keys`, (c) =>
    Array.from({ length: BIG_BATCH.items }, (_, i) => {
      const k = i % BIG_BATCH.kids;
      const perKid = BIG_BATCH.items / BIG_BATCH.kids;
      return message(`kid-${k}`, c * perKid + Math.floor(i / BIG_BATCH.kids), c * BIG_BATCH.items + i);
    }),
  );
