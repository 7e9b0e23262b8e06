// How an older data file becomes the current schema (sqlite-schema.ts), inside the one transaction that
// prepareSchema runs: what must change before the current CREATE statements run (a table they would not
// replace, a column an index of theirs needs), and what is copied or dropped after.
import type Database from 'better-sqlite3';

/** What migrateBefore found, for migrateAfter. */
export interface MigrationState {
  /** Version 1 entries (WITHOUT ROWID, no pos), renamed to entries_v1 to be copied. */
  entriesV1: boolean;
}

const ITEM_COLUMNS = [
  'item_id TEXT',
  'item_type TEXT',
  'kid TEXT',
  'seq INTEGER',
  'payload_hash TEXT',
  'from_station TEXT',
  'to_station TEXT',
];

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;
}

export function migrateBefore(db: Database.Database): MigrationState {
  const entriesV1 = hasTable(db, 'entries') && !hasColumn(db, 'entries', 'pos');
  if (entriesV1) db.exec('ALTER TABLE entries RENAME TO entries_v1');
  // Versions 2 to 4: the item columns (version 5) join the entry rows, NULL until migrateAfter fills them;
  // the entries_by_item index the schema then creates needs them.
  else if (hasTable(db, 'entries') && !hasColumn(db, 'entries', 'item_id')) {
    for (const column of ITEM_COLUMNS) db.exec(`ALTER TABLE entries ADD COLUMN ${column}`);
  }
  return { entriesV1 };
}

export function migrateAfter(db: Database.Database, version: number, state: MigrationState): void {
  if (state.entriesV1) {
    db.exec(
      'INSERT INTO entries (exercise, idx, hash, body) SELECT exercise, idx, hash, body FROM entries_v1 ORDER BY exercise, idx',
    );
    db.exec('DROP TABLE entries_v1');
  }
  // Version 3: the control table, filled from the log.
  if (version < 3) {
    db.exec(`INSERT OR IGNORE INTO control (exercise, idx, kind, state)
      SELECT exercise, idx, json_extract(body, '$.kind'), json_extract(body, '$.data.state') FROM entries
      WHERE json_extract(body, '$.kind') NOT IN ('message', 'receipt')`);
  }
  // Version 4: keys enrolled before roles existed are operators.
  if (!hasColumn(db, 'keys', 'role')) db.exec("ALTER TABLE keys ADD COLUMN role TEXT NOT NULL DEFAULT 'operator'");
  // Version 5: each item onto its entry row, each key's last seq into key_seqs; the items table goes.
  if (hasTable(db, 'items')) {
    db.exec(`UPDATE entries SET item_id = i.id, item_type = i.type, kid = i.kid, seq = i.seq,
        payload_hash = i.payload_hash, from_station = i.from_station, to_station = i.to_station
      FROM items i WHERE i.exercise = entries.exercise AND i.idx = entries.idx`);
    db.exec('INSERT INTO key_seqs (kid, last_seq) SELECT kid, MAX(seq) FROM items GROUP BY kid');
    db.exec('DROP TABLE items');
  }
  // Version 5: an exercise's head is its last entry, no longer a copy on its row.
  if (hasColumn(db, 'exercises', 'head_idx')) {
    db.exec('ALTER TABLE exercises DROP COLUMN head_idx');
    db.exec('ALTER TABLE exercises DROP COLUMN head_hash');
  }
}
