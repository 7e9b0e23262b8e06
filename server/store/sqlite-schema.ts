// Schema of the embedded store. Entries keep their exact JSON (body) so the relay never re-serializes.
import type Database from 'better-sqlite3';
import { HotlineError } from '../../shared/errors.js';

/** PRAGMA user_version of the schema below. Version 1 kept entries in a WITHOUT ROWID table; version 2 had
 * no control table; version 3 had no key role. */
export const SCHEMA_VERSION = 4;

// Entries live in commit order (an integer key), so one commit appends to the last pages of the table
// whatever exercises it touches; the (exercise, idx) index is small. Version 1 keyed the ~1.3 KB rows by
// (exercise, idx) themselves, which spread every commit over one leaf page per exercise and cost more CPU
// per committed item (docs/performance.md has the figures). `control` indexes the few entries that are not
// messages or receipts (lifecycle, scenario, injects, keys, and the line's calls, translations, link tests
// and replies), so the exercise runner and the ENDEX check read them without scanning the log, and a
// message's commit touches no page of it.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS exercises (
  id TEXT PRIMARY KEY, def TEXT NOT NULL, created_at TEXT NOT NULL,
  head_idx INTEGER NOT NULL, head_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  pos INTEGER PRIMARY KEY,
  exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_idx ON entries (exercise, idx);
CREATE TABLE IF NOT EXISTS items (
  kid TEXT NOT NULL, seq INTEGER NOT NULL, exercise TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
  idx INTEGER NOT NULL, payload_hash TEXT NOT NULL, from_station TEXT NOT NULL, to_station TEXT NOT NULL,
  PRIMARY KEY (kid, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS items_by_id ON items (exercise, id);
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

/** Creates the schema, or brings a version 1, 2 or 3 file up to date in one transaction (nothing is lost:
 * entries are copied as stored, then the old table is dropped; the control table is filled from the log;
 * keys enrolled before roles existed are operators).
 * A newer file is refused. */
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
    const old =
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'entries'").get() !== undefined &&
      db.prepare("SELECT 1 FROM pragma_table_info('entries') WHERE name = 'pos'").get() === undefined;
    if (old) db.exec('ALTER TABLE entries RENAME TO entries_v1');
    db.exec(SCHEMA);
    if (old) {
      db.exec(
        'INSERT INTO entries (exercise, idx, hash, body) SELECT exercise, idx, hash, body FROM entries_v1 ORDER BY exercise, idx',
      );
      db.exec('DROP TABLE entries_v1');
    }
    if (version < 3) {
      db.exec(`INSERT OR IGNORE INTO control (exercise, idx, kind, state)
        SELECT exercise, idx, json_extract(body, '$.kind'), json_extract(body, '$.data.state') FROM entries
        WHERE json_extract(body, '$.kind') NOT IN ('message', 'receipt')`);
    }
    const roleless = db.prepare("SELECT 1 FROM pragma_table_info('keys') WHERE name = 'role'").get() === undefined;
    if (roleless) db.exec("ALTER TABLE keys ADD COLUMN role TEXT NOT NULL DEFAULT 'operator'");
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
