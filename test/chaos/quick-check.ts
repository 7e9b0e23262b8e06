// `npx tsx test/chaos/quick-check.ts [ENTRIES]`: what the start-up integrity check costs on a realistic
// file. Builds a data file of ENTRIES (100,000 by default) entries and item rows of the size a real
// exercise writes (1.3 KB bodies, each a message's entry row) in the relay's own schema, then times each
// check level of server/store/sqlite-check.ts, warm (file in the page cache) and, when this process may
// drop the page cache (root), cold. The figures behind QUICK_CHECK_MAX_BYTES (docs/operations.md).
import { rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkDataFile, type CheckLevel } from '../../server/store/sqlite-check.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { tempDir } from '../helpers/relay.js';

const entries = Number(process.argv[2] ?? 100_000);
const dir = tempDir('hotline-qc-');
const file = path.join(dir, 'hotline.db');

function build(): void {
  void openSqliteStore(file, 'none').close();
  const db = new Database(file);
  const body = 'x'.repeat(1300);
  const hash = (i: number) => `h${i.toString(36).padStart(42, '0')}`;
  db.prepare("INSERT INTO exercises VALUES ('dtl', '{}', '2026-01-01T00:00:00Z')").run();
  // Schema version 5: each message's item columns on its entry row; bodies chained as the edge check reads them.
  const entry = db.prepare(
    'INSERT INTO entries (exercise, idx, hash, body, item_id, item_type, kid, seq, payload_hash, from_station, to_station) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < entries; i++) {
      const json = JSON.stringify({ idx: i, prev: hash(i - 1), hash: hash(i), body });
      const id = `id-${i}-${'0'.repeat(24)}`;
      entry.run('dtl', i, hash(i), json, id, 'message', `kid${i % 2}`, i, 'p'.repeat(43), 'a', 'b');
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function dropCaches(): boolean {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function time(level: CheckLevel): string {
  const started = performance.now();
  checkDataFile(file, level);
  return `${(performance.now() - started).toFixed(0)} ms`;
}

try {
  build();
  const mb = (statSync(file).size / 1e6).toFixed(0);
  process.stdout.write(`${entries} entries, ${mb} MB\n`);
  for (const level of ['quick', 'edges', 'full'] as const) {
    const cold = dropCaches() ? time(level) : 'n/a (cannot drop the page cache)';
    process.stdout.write(`${level.padEnd(5)}  cold ${cold}, warm ${time(level)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
