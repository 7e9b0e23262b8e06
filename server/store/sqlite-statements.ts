// Every statement the embedded store runs, prepared once per connection (sqlite-schema.ts has the tables), and
// the rows a linked entry writes with them.
import type { Entry } from '../../shared/entry.js';
import type { AppendRequest } from './types.js';
import type Database from 'better-sqlite3';

export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    exercise: p('SELECT def, created_at FROM exercises WHERE id = ?'),
    exercises: p('SELECT id FROM exercises ORDER BY created_at, id'),
    insertExercise: p('INSERT INTO exercises (id, def, created_at) VALUES (?, ?, ?)'),
    head: p('SELECT idx, hash FROM entries WHERE exercise = ? ORDER BY idx DESC LIMIT 1'),
    lastControl: p('SELECT max(idx) AS idx FROM control WHERE exercise = ?'),
    insertEntry: p(
      'INSERT INTO entries (exercise, idx, hash, body, item_id, item_type, kid, seq, payload_hash, from_station, to_station) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    read: p('SELECT body FROM entries WHERE exercise = ? AND idx >= ? ORDER BY idx LIMIT ?'),
    readControl: p(
      'SELECT e.body FROM control c JOIN entries e ON e.exercise = c.exercise AND e.idx = c.idx WHERE c.exercise = ? ORDER BY c.idx',
    ),
    insertControl: p('INSERT INTO control (exercise, idx, kind, state) VALUES (?, ?, ?, ?)'),
    ended: p("SELECT 1 FROM control WHERE exercise = ? AND kind = 'exercise-state' AND state = 'ended'"),
    // The item look-ups go through entries_by_item (a partial index: `item_id = ?` implies its condition).
    itemById: p('SELECT kid, seq, payload_hash, body FROM entries WHERE exercise = ? AND item_id = ?'),
    idTaken: p('SELECT 1 FROM entries WHERE exercise = ? AND item_id = ?'),
    message: p(
      "SELECT idx, hash, from_station, to_station FROM entries WHERE exercise = ? AND item_id = ? AND item_type = 'message'",
    ),
    lastSeq: p('SELECT last_seq FROM key_seqs WHERE kid = ?'),
    setLastSeq: p(
      'INSERT INTO key_seqs (kid, last_seq) VALUES (?, ?) ON CONFLICT (kid) DO UPDATE SET last_seq = excluded.last_seq',
    ),
    /** Changes when another connection (the relay's other one: threaded-sqlite.ts) commits. */
    dataVersion: p('PRAGMA data_version').pluck(),
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
    insertMeta: p('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    swapMeta: p('UPDATE meta SET value = ? WHERE key = ? AND value = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** The rows one linked entry writes, inside its batch's transaction: the entry (with its item's columns), the
 * exercise row when it is created, the control index, keys and used codes. Each key's last seq is written
 * once per batch by the caller (sqlite.ts), not here. */
export function writeEntry(s: Statements, req: AppendRequest, entry: Entry, json: string): void {
  if (req.kind === 'exercise-created') {
    s.insertExercise.run(req.exercise, JSON.stringify((req.data as { exercise: unknown }).exercise), req.at);
  }
  const i = req.item;
  s.insertEntry.run(
    req.exercise,
    entry.idx,
    entry.hash,
    json,
    ...(i ? [i.id, i.type, i.kid, i.seq, i.payloadHash, i.from, i.to] : [null, null, null, null, null, null, null]),
  );
  if (req.kind !== 'message' && req.kind !== 'receipt') {
    const state = (req.data as { state?: unknown } | undefined)?.state;
    s.insertControl.run(req.exercise, entry.idx, req.kind, typeof state === 'string' ? state : null);
  }
  if (req.kind === 'key-enrolled') {
    const d = req.data as { kid: string; station: string; operator: string; publicJwk: unknown; role?: string };
    const role = d.role ?? 'operator';
    s.insertKey.run(d.kid, req.exercise, d.station, d.operator, JSON.stringify(d.publicJwk), entry.idx, role);
    if (req.codeHash) s.useCode.run(req.at, req.codeHash);
  }
  if (req.kind === 'key-revoked') s.revokeKey.run(entry.idx, (req.data as { kid: string }).kid);
}
