// Every statement the embedded store runs, prepared once per connection (sqlite-schema.ts has the tables).
import type Database from 'better-sqlite3';

export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    exercise: p('SELECT def, created_at, head_idx, head_hash FROM exercises WHERE id = ?'),
    exercises: p('SELECT id FROM exercises ORDER BY created_at, id'),
    insertExercise: p('INSERT INTO exercises (id, def, created_at, head_idx, head_hash) VALUES (?, ?, ?, -1, ?)'),
    setHead: p('UPDATE exercises SET head_idx = ?, head_hash = ? WHERE id = ?'),
    insertEntry: p('INSERT INTO entries (exercise, idx, hash, body) VALUES (?, ?, ?, ?)'),
    read: p('SELECT body FROM entries WHERE exercise = ? AND idx >= ? ORDER BY idx LIMIT ?'),
    readOne: p('SELECT body FROM entries WHERE exercise = ? AND idx = ?'),
    readControl: p(
      'SELECT e.body FROM control c JOIN entries e ON e.exercise = c.exercise AND e.idx = c.idx WHERE c.exercise = ? ORDER BY c.idx',
    ),
    insertControl: p('INSERT INTO control (exercise, idx, kind, state) VALUES (?, ?, ?, ?)'),
    ended: p("SELECT 1 FROM control WHERE exercise = ? AND kind = 'exercise-state' AND state = 'ended'"),
    insertItem: p(
      'INSERT INTO items (kid, seq, exercise, id, type, idx, payload_hash, from_station, to_station) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    itemBySeq: p('SELECT idx, payload_hash, exercise FROM items WHERE kid = ? AND seq = ?'),
    itemById: p('SELECT idx FROM items WHERE exercise = ? AND id = ?'),
    lastSeq: p('SELECT MAX(seq) AS s FROM items WHERE kid = ?'),
    message: p(
      "SELECT i.idx, e.hash, i.from_station, i.to_station FROM items i JOIN entries e ON e.exercise = i.exercise AND e.idx = i.idx WHERE i.exercise = ? AND i.id = ? AND i.type = 'message'",
    ),
    key: p('SELECT * FROM keys WHERE kid = ?'),
    keys: p('SELECT * FROM keys WHERE exercise = ? ORDER BY enrolled_idx'),
    insertKey: p(
      'INSERT INTO keys (kid, exercise, station, operator, jwk, enrolled_idx, role) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    keyRevoked: p('SELECT 1 FROM keys WHERE kid = ? AND revoked_idx IS NOT NULL'),
    revokeKey: p('UPDATE keys SET revoked_idx = ? WHERE kid = ? AND revoked_idx IS NULL'),
    code: p('SELECT * FROM enrolment_codes WHERE code_hash = ?'),
    insertCode: p(
      'INSERT INTO enrolment_codes (code_hash, exercise, station, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    useCode: p('UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL'),
    getMeta: p('SELECT value FROM meta WHERE key = ?'),
    setMeta: p('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
