// What a commit of the embedded store writes, page by page (docs/performance.md, "Pages per commit"), and
// what its writing connection may remember between commits: the relay's two connections of one file both
// commit (threaded-sqlite.ts), so neither may link on a head or a seq the other has moved on from.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageOwners, pagesByOwner, walCommits } from '../../bench/wal-frames.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite.js';
import type { AppendRequest, AppendResult } from '../../server/store/types.js';
import { tempDir } from '../helpers/relay.js';

const at = () => new Date().toISOString();

function message(seq: number, kid = 'kid-beijing', body = `m${seq}`): AppendRequest {
  return {
    exercise: 'dtl',
    kind: 'message',
    at: at(),
    jws: `${'h'.repeat(100)}.${body}${'p'.repeat(800)}.${'s'.repeat(86)}`,
    item: {
      kid,
      seq,
      id: `019ad000-0000-7000-8000-${String(seq).padStart(6, '0')}${kid.slice(-6)}`,
      type: 'message',
      payloadHash: `h-${kid}-${body}`,
      from: 'beijing',
      to: 'washington',
      sentAt: at(),
    },
  };
}

function outcome(r: AppendResult | undefined): string {
  if (!r) return 'none';
  return r.ok ? (r.value.duplicate ? 'duplicate' : 'ok') : r.error.code;
}

describe('the embedded store, page by page', () => {
  let dir = '';
  let file = '';
  const open: SqliteStore[] = [];

  beforeEach(async () => {
    dir = tempDir('hotline-pages-');
    file = path.join(dir, 'hotline.db');
    const store = openSqliteStore(file);
    open.push(store);
    const [created] = await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at: at(), data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    expect(created?.ok).toBe(true);
  });

  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a one-item message on the entry row, two indexes and its key’s seq row: no other table', async () => {
    const store = open[0]!;
    // A reader from the start keeps every frame in the WAL (no checkpoint can restart it under the count).
    const reader = new Database(file, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM sqlite_schema').get();
      for (let seq = 0; seq < 120; seq++) expect(outcome((await store.append([message(seq)]))[0])).toBe('ok');
      const commits = walCommits(file).slice(-120);
      reader.exec('COMMIT');
      const byOwner = pagesByOwner(commits, pageOwners(reader));
      expect([...byOwner.keys()].sort()).toEqual(
        ['entries', 'entries_by_idx', 'entries_by_item', 'key_seqs', 'page 1 (header)'].filter((n) => byOwner.has(n)),
      );
      expect(byOwner.get('key_seqs')).toBe(1);
      expect(byOwner.get('entries_by_idx')).toBeGreaterThanOrEqual(1);
      // Version 4 wrote 6.35 (the items table, its id index and the exercise's head row besides).
      const total = [...byOwner.values()].reduce((sum, n) => sum + n, 0);
      expect(total).toBeLessThan(5.5);
    } finally {
      reader.close();
    }
  });

  it('links on what the file holds when the other connection has committed since (heads and seqs it remembered)', async () => {
    const a = open[0]!;
    const b = openSqliteStore(file, 'none');
    open.push(b);
    const order: [SqliteStore, AppendRequest][] = [
      [a, message(0)],
      [b, message(1)],
      [a, message(2)],
      [a, message(0, 'kid-washington')],
      [b, message(1, 'kid-washington')],
      [b, message(3)],
      [a, message(4)],
    ];
    for (const [store, req] of order) expect(outcome((await store.append([req]))[0])).toBe('ok');
    // A resubmission committed by the other connection, and a conflict with it.
    expect((await a.append([message(3), message(3, 'kid-beijing', 'other')])).map(outcome)).toEqual([
      'duplicate',
      'SEQ_CONFLICT',
    ]);
    const log = await a.read('dtl', 0, 100);
    expect(log.map((c) => c.entry.idx)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (let i = 1; i < log.length; i++) expect(log[i]!.entry.prev).toBe(log[i - 1]!.entry.hash);
    expect(await b.nextSeq('kid-beijing')).toBe(5);
    expect(await a.nextSeq('kid-washington')).toBe(2);
  });
});
