// Schema of the embedded store. Entries keep their exact JSON (body) so the relay never re-serializes.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS exercises (
  id TEXT PRIMARY KEY, def TEXT NOT NULL, created_at TEXT NOT NULL,
  head_idx INTEGER NOT NULL, head_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (exercise, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
  kid TEXT NOT NULL, seq INTEGER NOT NULL, exercise TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
  idx INTEGER NOT NULL, payload_hash TEXT NOT NULL, from_station TEXT NOT NULL, to_station TEXT NOT NULL,
  PRIMARY KEY (kid, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS items_by_id ON items (exercise, id);
CREATE TABLE IF NOT EXISTS keys (
  kid TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  operator TEXT NOT NULL, jwk TEXT NOT NULL, enrolled_idx INTEGER NOT NULL, revoked_idx INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enrolment_codes (
  code_hash TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
) WITHOUT ROWID;
`;
