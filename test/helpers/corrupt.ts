// Damages a SQLite file the way a disk or a stray write would: one table's root page overwritten.
import { openSync, writeSync, closeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Folds the WAL into the main file (so the page on disk is the page SQLite reads), overwrites the root
 * page of `table` with garbage, then commits one small write elsewhere: a relay running on the file sees
 * the database changed and drops the pages it cached, as it would after any commit. Returns the page. */
export function corruptRootPage(file: string, table: string): number {
  const db = new Database(file);
  let root: number;
  let pageSize: number;
  try {
    const done = db.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number }[];
    if (done[0]?.busy !== 0) throw new Error('the WAL could not be folded into the file (a reader holds it)');
    root = (db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number })
      .rootpage;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (root - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  const poke = new Database(file);
  try {
    poke.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('test-corrupted', ?)").run(table);
  } finally {
    poke.close();
  }
  return root;
}
