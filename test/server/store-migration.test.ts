// Schema version 4 to 5: a file written by the version 4 statements (items in their own table keyed by
// (kid, seq), an (exercise, id) index, each exercise's head on its row) opens, migrated in one transaction,
// and every look-up the relay makes of an old item answers as before: the dedupe of a resubmission,
// SEQ_CONFLICT, ID_CONFLICT, findMessage, nextSeq and the chain's head.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { checkDataFile } from '../../server/store/sqlite-check.js';
import { SCHEMA_VERSION } from '../../server/store/sqlite-schema.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite.js';
import type { AppendRequest, AppendResult } from '../../server/store/types.js';
import { tempDir } from '../helpers/relay.js';

/** The version 4 schema, as server/store/sqlite-schema.ts had it. */
const V4_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE exercises (
  id TEXT PRIMARY KEY, def TEXT NOT NULL, created_at TEXT NOT NULL,
  head_idx INTEGER NOT NULL, head_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE entries (
  pos INTEGER PRIMARY KEY,
  exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL
);
CREATE UNIQUE INDEX entries_by_idx ON entries (exercise, idx);
CREATE TABLE items (
  kid TEXT NOT NULL, seq INTEGER NOT NULL, exercise TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
  idx INTEGER NOT NULL, payload_hash TEXT NOT NULL, from_station TEXT NOT NULL, to_station TEXT NOT NULL,
  PRIMARY KEY (kid, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX items_by_id ON items (exercise, id);
CREATE TABLE keys (
  kid TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  operator TEXT NOT NULL, jwk TEXT NOT NULL, enrolled_idx INTEGER NOT NULL, revoked_idx INTEGER,
  role TEXT NOT NULL DEFAULT 'operator'
) WITHOUT ROWID;
CREATE TABLE control (
  exercise TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT, PRIMARY KEY (exercise, idx)
) WITHOUT ROWID;
CREATE TABLE enrolment_codes (
  code_hash TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
) WITHOUT ROWID;
`;

const at = () => new Date().toISOString();

function created(exercise: string): AppendRequest {
  return { exercise, kind: 'exercise-created', at: at(), data: { exercise: { ...DEFAULT_EXERCISE, id: exercise } } };
}

function item(exercise: string, id: string, seq: number, type: 'message' | 'receipt', from: string, body = id) {
  const to = from === 'beijing' ? 'washington' : 'beijing';
  const req: AppendRequest = {
    exercise,
    kind: type,
    at: at(),
    jws: `header.${body}.sig`,
    item: { kid: `kid-${exercise}-${from}`, seq, id, type, payloadHash: `h-${body}`, from, to, sentAt: at() },
  };
  return req;
}

function outcome(r: AppendResult | undefined): string {
  if (!r) return 'none';
  return r.ok ? (r.value.duplicate ? 'duplicate' : 'ok') : r.error.code;
}

/** Writes `v4File` with the version 4 statements only, holding the rows a version 4 relay would have
 * written for the same log: a current store writes the log, and its rows are copied into the old tables. */
async function writeV4File(dir: string, v4File: string): Promise<void> {
  const source = path.join(dir, 'source.db');
  const store = openSqliteStore(source);
  const batches: AppendRequest[][] = [
    [created('dtl'), created('other')],
    [item('dtl', 'm1', 0, 'message', 'beijing'), item('dtl', 'r1', 0, 'receipt', 'washington')],
    [item('dtl', 'm2', 1, 'message', 'beijing'), item('other', 'o1', 0, 'message', 'beijing')],
    [{ exercise: 'dtl', kind: 'note', at: at(), data: { n: 1 } }],
  ];
  for (const batch of batches) expect((await store.append(batch)).map(outcome)).toEqual(batch.map(() => 'ok'));
  await store.close();
  const db = new Database(v4File);
  db.exec(V4_SCHEMA);
  db.exec(`ATTACH '${source}' AS v5;
    INSERT INTO exercises SELECT x.id, x.def, x.created_at, h.idx, h.hash FROM v5.exercises x JOIN v5.entries h
      ON h.exercise = x.id AND h.idx = (SELECT MAX(idx) FROM v5.entries WHERE exercise = x.id);
    INSERT INTO entries SELECT pos, exercise, idx, hash, body FROM v5.entries;
    INSERT INTO items SELECT kid, seq, exercise, item_id, item_type, idx, payload_hash, from_station, to_station
      FROM v5.entries WHERE item_id IS NOT NULL;
    INSERT INTO control SELECT * FROM v5.control;
    DETACH v5;
    PRAGMA user_version = 4;`);
  db.close();
}

describe('schema version 4 to 5', () => {
  let dir = '';
  let file = '';
  let store: SqliteStore | undefined;

  beforeEach(async () => {
    dir = tempDir('hotline-store-v4-');
    file = path.join(dir, 'hotline.db');
    await writeV4File(dir, file);
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the items onto their entries and drops the old table, the old head columns and nothing else', async () => {
    const v4 = new Database(file, { readonly: true });
    const entries = v4.prepare('SELECT pos, exercise, idx, hash, body FROM entries ORDER BY pos').all();
    const items = v4.prepare('SELECT * FROM items ORDER BY kid, seq').all();
    v4.close();

    store = openSqliteStore(file);
    await store.close();
    store = undefined;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT pos, exercise, idx, hash, body FROM entries ORDER BY pos').all()).toEqual(entries);
      expect(
        db
          .prepare(
            `SELECT kid, seq, exercise, item_id AS id, item_type AS type, idx, payload_hash, from_station, to_station
             FROM entries WHERE item_id IS NOT NULL ORDER BY kid, seq`,
          )
          .all(),
      ).toEqual(items);
      expect(db.prepare('SELECT kid, last_seq FROM key_seqs ORDER BY kid').all()).toEqual([
        { kid: 'kid-dtl-beijing', last_seq: 1 },
        { kid: 'kid-dtl-washington', last_seq: 0 },
        { kid: 'kid-other-beijing', last_seq: 0 },
      ]);
      const names = db.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").pluck();
      expect(names.all()).not.toContain('items');
      expect(names.all()).not.toContain('items_by_id');
      expect(db.prepare("SELECT name FROM pragma_table_info('exercises')").pluck().all()).toEqual([
        'id',
        'def',
        'created_at',
      ]);
    } finally {
      db.close();
    }
    for (const level of ['quick', 'edges', 'full'] as const) expect(() => checkDataFile(file, level)).not.toThrow();
  });

  it('answers every look-up of an old item as before: dedupe, SEQ_CONFLICT, ID_CONFLICT, findMessage, nextSeq', async () => {
    store = openSqliteStore(file);
    const old = await store.read('dtl', 0, 100);
    const m2 = old.find((c) => c.entry.jws === 'header.m2.sig');
    const head = old[old.length - 1]!.entry;
    expect(await store.head('dtl')).toEqual({ idx: head.idx, hash: head.hash });
    expect((await store.getExercise('dtl'))?.head).toEqual({ idx: head.idx, hash: head.hash });
    expect(await store.findMessage('dtl', 'm2')).toEqual({
      idx: m2?.entry.idx,
      hash: m2?.entry.hash,
      from: 'beijing',
      to: 'washington',
    });
    expect(await store.findMessage('dtl', 'r1')).toBeUndefined();
    expect(await store.findMessage('other', 'm2')).toBeUndefined();
    expect(await store.nextSeq('kid-dtl-beijing')).toBe(2);
    expect(await store.nextSeq('kid-dtl-washington')).toBe(1);
    expect(await store.nextSeq('kid-nobody')).toBe(0);

    const results = await store.append([
      item('dtl', 'm2', 1, 'message', 'beijing'), // the same item again: its logged entry
      item('dtl', 'm9', 1, 'message', 'beijing'), // another item at a used seq
      item('dtl', 'm2', 1, 'message', 'beijing', 'changed'), // the same id and seq, another payload
      item('dtl', 'm1', 2, 'message', 'beijing', 'm1-again'), // the next seq with a used id
      item('dtl', 'r1', 0, 'receipt', 'washington', 'r1-again'), // seq 0 taken by r1 with another payload
      item('dtl', 'm3', 2, 'message', 'beijing'),
    ]);
    expect(results.map(outcome)).toEqual([
      'duplicate',
      'SEQ_CONFLICT',
      'SEQ_CONFLICT',
      'ID_CONFLICT',
      'SEQ_CONFLICT',
      'ok',
    ]);
    expect(results[0]?.ok && results[0].value.json).toBe(m2?.json);
    expect(!results[1]?.ok && results[1]?.error.details).toMatchObject({ expectedSeq: 2 });
    const m3 = results[5]?.ok ? results[5].value.entry : undefined;
    expect(m3).toMatchObject({ idx: head.idx + 1, prev: head.hash });
    expect(await store.nextSeq('kid-dtl-beijing')).toBe(3);
    expect(await store.findMessage('dtl', 'm3')).toMatchObject({ idx: head.idx + 1 });
    // The other exercise's chain and key are untouched, and go on from where they were.
    const [o2] = await store.append([item('other', 'o2', 1, 'message', 'beijing')]);
    expect(o2?.ok && o2.value.entry).toMatchObject({ idx: 2 });
  });
});
