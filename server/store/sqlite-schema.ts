// Schema of the embedded store. Entries keep their exact JSON (body) so the relay never re-serializes.
import type Database from 'better-sqlite3';
import { HotlineError } from '../../shared/errors.js';
import { migrateBefore, migrateAfter } from './sqlite-migrations.js';

/** PRAGMA user_version of the schema below. Version 1 kept entries in a WITHOUT ROWID table; version 2 had
 * no control table; version 3 had no key role; version 4 kept items in their own table, keyed by (kid, seq),
 * with an (exercise, id) index, and each exercise's head on its row. */
export const SCHEMA_VERSION = 5;

// Entries live in commit order (an integer key), so one commit appends to the last pages of the table
// whatever exercises it touches; the (exercise, idx) index is small. Version 1 keyed the ~1.3 KB rows by
// (exercise, idx) themselves, which spread every commit over one leaf page per exercise and cost more CPU
// per committed item (docs/performance.md has the figures).
// Every page a commit changes is written to the WAL and fsynced, so each table or index a commit touches
// costs a page (docs/performance.md, "Pages per commit"). A message or receipt therefore lives on its entry
// row (the item columns, NULL on other entries): the partial (exercise, item_id) index is the only one it
// adds, and it appends at its end (item ids are UUIDv7, in time order). It answers the dedupe and ID_CONFLICT
// checks and receipts' look-ups of old messages. A key's last seq is one row per key (key_seqs), written
// once per batch: a loaded batch touches one or two of its pages, where an index on (kid, seq) touched one
// leaf per key. An exercise's head is its last entry, read through entries_by_idx, so no head row is
// rewritten per batch.
// `control` indexes the few entries that are not messages or receipts (lifecycle, scenario, injects, keys,
// and the line's calls, translations, link tests and replies), so the exercise runner and the ENDEX check
// read them without scanning the log, and a message's commit touches no page of it.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS exercises (id TEXT PRIMARY KEY, def TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  pos INTEGER PRIMARY KEY,
  exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
  item_id TEXT, item_type TEXT, kid TEXT, seq INTEGER, payload_hash TEXT, from_station TEXT, to_station TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_idx ON entries (exercise, idx);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_item ON entries (exercise, item_id) WHERE item_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS key_seqs (kid TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (
  kid TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  operator TEXT NOT NULL, jwk TEXT NOT NULL, enrolled_idx INTEGER NOT NULL, revoked_idx INTEGER,
  role TEXT NOT NULL DEFAULT 'operator'
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS control (
  exercise TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT, PRIMARY KEY (exercise, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enrolment_codes (
  code_hash TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
) WITHOUT ROWID;
`;

/** Creates the schema, or brings an older file up to date in one transaction (sqlite-migrations.ts: nothing
 * is lost, entries are kept exactly as stored). A newer file is refused. */
export function prepareSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new HotlineError(
      'STORE_UNAVAILABLE',
      `The data file has schema version ${version}; this relay knows up to ${SCHEMA_VERSION}.`,
    );
  }
  db.transaction(() => {
    const state = migrateBefore(db);
    db.exec(SCHEMA);
    migrateAfter(db, version, state);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
