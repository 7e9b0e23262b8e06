// The edge check at start (sqlite-check.ts, `edges`) on schema version 5, where no row names an exercise's
// head: the last entries, read through entries_by_idx, must have no gap, carry their body's hash and link
// to the entry before; the partial index of items is read under its own condition.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { checkDataFile } from '../../server/store/sqlite-check.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { tempDir } from '../helpers/relay.js';

describe('the edge check of a data file', () => {
  let dir = '';
  let file = '';

  beforeEach(async () => {
    dir = tempDir('hotline-edges-');
    file = path.join(dir, 'hotline.db');
    const store = openSqliteStore(file);
    const at = new Date().toISOString();
    await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    for (let seq = 0; seq < 5; seq++) {
      const id = `019ad000-0000-7000-8000-00000000000${seq}`;
      const item = { kid: 'kid-b', seq, id, type: 'message' as const, payloadHash: `h${seq}`, from: 'beijing' };
      await store.append([
        { exercise: 'dtl', kind: 'message', at, jws: `h.${id}.s`, item: { ...item, to: 'washington', sentAt: at } },
      ]);
    }
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function damage(sql: string): void {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  }

  it('passes a sound file', () => {
    expect(() => checkDataFile(file, 'edges')).not.toThrow();
  });

  it('finds an entry missing from the end of a chain', () => {
    damage("DELETE FROM entries WHERE exercise = 'dtl' AND idx = 4");
    expect(() => checkDataFile(file, 'edges')).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });

  it('finds an entry whose stored hash is not its body’s', () => {
    damage("UPDATE entries SET hash = 'other' WHERE exercise = 'dtl' AND idx = 5");
    expect(() => checkDataFile(file, 'edges')).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });
});
