import { SCHEMA_VERSION } from '../../server/store/sqlite-schema.js';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite.js';
import { ThreadedSqliteStore } from '../../server/store/threaded-sqlite.js';
import type { AppendResult, Store } from '../../server/store/types.js';
import { MemoryStore } from '../../server/store/memory.js';
import { RecentMessages } from '../../server/store/recent-messages.js';
import { HotlineError } from '../../shared/errors.js';
import type { Entry } from '../../shared/entry.js';
import { hashEnrolmentCode } from '../../server/enrolment-code.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { TestKey } from '../helpers/raw-console.js';
import { tempDir } from '../helpers/relay.js';
import { openPgStore } from '../../server/store/postgres-open.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

// PostgreSQL: one database for this file (dropped at the end), and a schema of its own for each test, named
// after the test's temp file so that a reopen in the same test finds what it wrote.
let database: Promise<TestDatabase> | undefined;
afterAll(async () => {
  await (await database)?.drop();
});
async function openPostgres(file: string): Promise<Store> {
  const db = await (database ??= createTestDatabase('hotline_store'));
  const schema = `t_${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
  return openPgStore(db.url, { schema });
}

// One contract, every store: the embedded store on the main thread and with its writer thread, PostgreSQL,
// and the volatile store the benchmark uses as its no-storage floor.
const sqliteStores: [string, (file: string) => Promise<Store>, (s: Store) => number][] = [
  ['SQLite on the main thread', async (file) => openSqliteStore(file), (s) => (s as SqliteStore).synchronousLevel()],
  [
    'SQLite with a writer thread',
    (file) => ThreadedSqliteStore.open(file),
    (s) => (s as ThreadedSqliteStore).synchronous,
  ],
];
const stores: [string, (file: string) => Promise<Store>][] = [
  ...sqliteStores.map(([n, o]) => [n, o] as [string, (file: string) => Promise<Store>]),
  ['memory (volatile)', async () => new MemoryStore()],
  ['PostgreSQL', openPostgres],
];

describe.each(sqliteStores)('durability: %s', (_name, open, synchronousLevel) => {
  it('runs with synchronous=FULL on every open', async () => {
    const dir = tempDir('hotline-store-');
    let store = await open(path.join(dir, 'hotline.db'));
    try {
      expect(synchronousLevel(store)).toBe(2);
      await store.close();
      store = await open(path.join(dir, 'hotline.db'));
      expect(synchronousLevel(store)).toBe(2);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(stores)('the store contract: %s', (_name, open) => {
  let dir = '';
  let store: Store;

  beforeEach(() => {
    dir = tempDir('hotline-store-');
  });

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withExercise(): Promise<Store> {
    store = await open(path.join(dir, 'hotline.db'));
    const at = new Date().toISOString();
    const [r] = await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    expect(r?.ok).toBe(true);
    return store;
  }

  const enrolReq = (key: TestKey, code: string, station = 'beijing') => ({
    exercise: 'dtl',
    kind: 'key-enrolled' as const,
    at: new Date().toISOString(),
    data: { kid: key.kid, station, operator: 'op', publicJwk: key.publicJwk },
    codeHash: hashEnrolmentCode(code),
  });

  it('does not burn a one-time code on an enrolment it refuses, even within one batch', async () => {
    await withExercise();
    const issued = {
      exercise: 'dtl',
      station: 'beijing',
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    await store.addEnrolmentCode({ ...issued, codeHash: hashEnrolmentCode('CODE-ONE') });
    await store.addEnrolmentCode({ ...issued, codeHash: hashEnrolmentCode('CODE-TWO') });
    const a = await TestKey.generate();
    const b = await TestKey.generate();
    const [first] = await store.append([enrolReq(a, 'CODE-ONE')]);
    expect(first?.ok).toBe(true);
    // Key a again (refused), then key b with the same code in the same batch: the code was never used.
    const results = await store.append([enrolReq(a, 'CODE-TWO'), enrolReq(b, 'CODE-TWO')]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['KEY_ALREADY_ENROLLED', 'ok']);
    const [again] = await store.append([enrolReq(await TestKey.generate(), 'CODE-TWO')]);
    expect(again?.ok ? 'ok' : again?.error.code).toBe('ENROLMENT_CODE_USED');
  });

  const itemReq = (
    id: string,
    seq: number,
    type: 'message' | 'receipt',
    from = 'beijing',
    to = 'washington',
    sentAt = new Date().toISOString(),
  ) => ({
    exercise: 'dtl',
    kind: type,
    at: new Date().toISOString(),
    jws: `header.${id}.sig`,
    item: { kid: `kid-${from}`, seq, id, type, payloadHash: `h-${id}`, from, to, sentAt },
  });

  it('finds a committed message by id, the same before and after a reopen, and never a receipt or a refused item', async () => {
    await withExercise();
    const results = await store.append([
      itemReq('m1', 0, 'message'),
      itemReq('m2', 0, 'message'),
      itemReq('r1', 0, 'receipt', 'washington', 'beijing'),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'SEQ_CONFLICT', 'ok']);
    const m1 = results[0]!.ok ? results[0]!.value.entry : undefined;
    const expected = { idx: m1?.idx, hash: m1?.hash, from: 'beijing', to: 'washington' };
    expect(await store.findMessage('dtl', 'm1')).toEqual(expected);
    expect(await store.findMessage('dtl', 'm2')).toBeUndefined();
    expect(await store.findMessage('dtl', 'r1')).toBeUndefined();
    expect(await store.findMessage('other', 'm1')).toBeUndefined();
    if (!(store instanceof MemoryStore)) {
      // A fresh process has nothing in memory: the answer comes from the file and must be the same.
      await store.close();
      store = await open(path.join(dir, 'hotline.db'));
      expect(await store.findMessage('dtl', 'm1')).toEqual(expected);
      expect(await store.findMessage('dtl', 'm2')).toBeUndefined();
    }
  });

  it('never links an item of a key after its revocation: not later in the batch, not in a later batch', async () => {
    await withExercise();
    const key = (kid: string, station: string) => ({
      exercise: 'dtl',
      kind: 'key-enrolled' as const,
      at: new Date().toISOString(),
      data: { kid, station, operator: 'op', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: kid } },
    });
    const revoke = (kid: string) => ({
      exercise: 'dtl',
      kind: 'key-revoked' as const,
      at: new Date().toISOString(),
      data: { kid, reason: 'test' },
    });
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    const setup = await store.append([key('kid-beijing', 'beijing'), key('kid-washington', 'washington')]);
    expect(setup.map(code)).toEqual(['ok', 'ok']);
    const first = await store.append([itemReq('b0', 0, 'message')]);
    expect(first.map(code)).toEqual(['ok']);
    // The revocation is queued behind b1 and ahead of b2: b1 stays, b2 and everything after it is refused;
    // the other key is untouched.
    const batch = await store.append([
      itemReq('b1', 1, 'message'),
      revoke('kid-beijing'),
      itemReq('b2', 2, 'message'),
      itemReq('w0', 0, 'receipt', 'washington', 'beijing'),
      itemReq('b3', 3, 'message'),
    ]);
    expect(batch.map(code)).toEqual(['ok', 'ok', 'KEY_REVOKED', 'ok', 'KEY_REVOKED']);
    // A later batch finds the revocation in the store; a resubmission of an item logged before it is
    // still answered as the duplicate it is.
    const later = await store.append([itemReq('b2', 2, 'message'), itemReq('b0', 0, 'message')]);
    expect(later.map(code)).toEqual(['KEY_REVOKED', 'ok']);
    expect(later[1]?.ok && later[1].value.duplicate).toBe(true);
    // A lone item after a quiet spell (the writer-thread store commits it on the main thread): the same.
    await new Promise((r) => setTimeout(r, 5));
    expect((await store.append([itemReq('b4', 2, 'message')])).map(code)).toEqual(['KEY_REVOKED']);
    const kinds = (await store.read('dtl', 0, 100)).map((r) =>
      r.entry.kind === 'key-revoked' ? 'revoked' : (r.entry.jws?.split('.')[1] ?? r.entry.kind),
    );
    expect(kinds).toEqual(['exercise-created', 'key-enrolled', 'key-enrolled', 'b0', 'b1', 'revoked', 'w0']);
    expect((await store.getKey('kid-beijing'))?.revokedIdx).toBe(5);
    expect(await store.nextSeq('kid-beijing')).toBe(2);
  });

  it('bounds a new item’s sentAt by the entry time, after the duplicate and seq checks', async () => {
    await withExercise();
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    const at = (req: ReturnType<typeof itemReq>, ms: number) => ({ ...req, at: new Date(ms).toISOString() });
    const t = Date.parse('2026-01-01T00:00:00.000Z');
    const sent = (s: number) => new Date(t + s * 1000).toISOString();
    const results = await store.append([
      at(itemReq('early', 0, 'message', 'beijing', 'washington', sent(-301)), t),
      at(itemReq('late', 0, 'message', 'beijing', 'washington', sent(301)), t),
      at(itemReq('edge', 0, 'message', 'beijing', 'washington', sent(-300)), t),
      at(itemReq('near', 1, 'message', 'beijing', 'washington', sent(299)), t),
      // A stale sentAt at a taken seq is a seq conflict, not a clock problem.
      at(itemReq('taken', 1, 'message', 'beijing', 'washington', sent(-900)), t),
    ]);
    expect(results.map(code)).toEqual(['CLOCK_SKEW', 'CLOCK_SKEW', 'ok', 'ok', 'SEQ_CONFLICT']);
    // The same item again an hour later (its answer was lost): the duplicate it is, whatever its sentAt.
    const [again] = await store.append([
      at(itemReq('edge', 0, 'message', 'beijing', 'washington', sent(-300)), t + 3_600_000),
    ]);
    expect(again?.ok && again.value.duplicate).toBe(true);
  });

  it('leaves each exercise’s head at the last entry a batch linked, across exercises and past a refusal', async () => {
    await withExercise();
    const at = new Date().toISOString();
    const note = (exercise: string, text: string) => ({ exercise, kind: 'note' as const, at, data: { text } });
    const results = await store.append([
      {
        exercise: 'dtl2',
        kind: 'exercise-created',
        at,
        data: { exercise: { ...DEFAULT_EXERCISE, id: 'dtl2' }, relayKid: 'k' },
      },
      note('dtl', 'a'),
      note('dtl2', 'b'),
      note('dtl', 'c'),
      note('nowhere', 'refused: no such exercise'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false]);
    const entry = (i: number) => (results[i]?.ok ? results[i].value.entry : undefined);
    expect(await store.head('dtl')).toEqual({ idx: 2, hash: entry(3)?.hash });
    expect(await store.head('dtl2')).toEqual({ idx: 1, hash: entry(2)?.hash });
    const [next] = await store.append([note('dtl', 'd')]);
    expect(next?.ok && next.value.entry).toMatchObject({ idx: 3, prev: entry(3)?.hash });
  });

  it('appends a command only onto the control state it was checked against (afterControl)', async () => {
    await withExercise();
    const at = new Date().toISOString();
    const note = (text: string, afterControl?: number) => ({
      exercise: 'dtl',
      kind: 'note' as const,
      at,
      data: { text },
      ...(afterControl === undefined ? {} : { afterControl }),
    });
    const codes = (rs: AppendResult[]) => rs.map((r) => (r.ok ? r.value.entry.idx : r.error.code));
    // The exercise-created entry is control entry 0.
    expect(codes(await store.append([note('a', 0)]))).toEqual([1]);
    // Within one batch the first command moves the state: the second, checked against the old one, is refused.
    expect(codes(await store.append([note('b', 1), note('c', 1), note('d')]))).toEqual([2, 'STATE_CHANGED', 3]);
    expect(codes(await store.append([note('e', 2)]))).toEqual(['STATE_CHANGED']);
    expect(codes(await store.append([note('f', 3)]))).toEqual([4]);
    // What is checked is the log, not what this process remembers.
    await store.close();
    store = await open(path.join(dir, 'hotline.db'));
    if (_name === 'memory (volatile)') return;
    expect(codes(await store.append([note('g', 3), note('h', 4)]))).toEqual(['STATE_CHANGED', 5]);
  });

  it('links every entry to the one before it, across batches', async () => {
    await withExercise();
    const head0 = await store.head('dtl');
    const [note] = await store.append([
      { exercise: 'dtl', kind: 'note', at: new Date().toISOString(), data: { text: 'x' } },
    ]);
    expect(note?.ok && note.value.entry).toMatchObject({ idx: 1, prev: head0?.hash });
    const rows = await store.read('dtl', 0, 10);
    expect(rows.map((r) => r.entry.idx)).toEqual([0, 1]);
    expect(rows[1]?.json).toBe(JSON.stringify(rows[1]?.entry));
  });
});

describe('schema versions', () => {
  it('brings a version 1 file (entries WITHOUT ROWID) up to date without losing or changing an entry', async () => {
    const dir = tempDir('hotline-store-');
    const file = path.join(dir, 'hotline.db');
    try {
      let store: Store = openSqliteStore(file);
      const at = new Date().toISOString();
      await store.append([
        { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
      ]);
      await store.append([1, 2, 3].map((n) => ({ exercise: 'dtl', kind: 'note' as const, at, data: { n } })));
      const before = await store.read('dtl', 0, 100);
      await store.close();
      // Rewrite the file into the version 1 layout, as a relay from before this change left it.
      const db = new Database(file);
      db.exec(`CREATE TABLE v1 (exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (exercise, idx)) WITHOUT ROWID;
        INSERT INTO v1 SELECT exercise, idx, hash, body FROM entries; DROP TABLE entries; ALTER TABLE v1 RENAME TO entries; PRAGMA user_version = 0;`);
      db.close();

      store = openSqliteStore(file);
      expect((await store.read('dtl', 0, 100)).map((c) => c.json)).toEqual(before.map((c) => c.json));
      const [next] = await store.append([{ exercise: 'dtl', kind: 'note', at, data: { n: 4 } }]);
      expect(next?.ok && next.value.entry).toMatchObject({ idx: 4, prev: before[3]?.entry.hash });
      await store.close();
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      // The control table (version 3) indexes every entry that is not a message or a receipt, old ones too.
      expect(check.prepare('SELECT idx, kind FROM control ORDER BY idx').all()).toEqual(
        ['exercise-created', 'note', 'note', 'note', 'note'].map((kind, idx) => ({ idx, kind })),
      );
      expect(check.prepare("SELECT name FROM pragma_table_info('entries') WHERE pk = 1").pluck().all()).toEqual([
        'pos',
      ]);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file written by a newer schema and adds nothing to it', async () => {
    const dir = tempDir('hotline-store-');
    const file = path.join(dir, 'hotline.db');
    try {
      const db = new Database(file);
      db.pragma('user_version = 9');
      db.close();
      expect(() => openSqliteStore(file)).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE' }));
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(9);
      expect(check.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()).toBe(0);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('recent messages', () => {
  it('keeps only the newest ones, and only messages that were committed fresh', () => {
    const recent = new RecentMessages(2);
    const req = (id: string, type: 'message' | 'receipt' = 'message') => ({
      exercise: 'dtl',
      kind: type,
      at: '',
      item: { kid: 'k', seq: 0, id, type, payloadHash: '', from: 'beijing', to: 'washington', sentAt: '' },
    });
    const ok = (idx: number, duplicate = false) => ({
      ok: true as const,
      value: { exercise: 'dtl', entry: { idx, hash: `h${idx}` } as Entry, json: '', duplicate },
    });
    recent.remember(
      [req('a'), req('b'), req('c', 'receipt'), req('d')],
      [ok(1), ok(2), ok(3), { ok: false, error: new HotlineError('SEQ_GAP') }],
    );
    expect(recent.get('dtl', 'a')).toMatchObject({ idx: 1, hash: 'h1', to: 'washington' });
    expect(recent.get('dtl', 'c')).toBeUndefined();
    expect(recent.get('dtl', 'd')).toBeUndefined();
    recent.remember([req('e'), req('f')], [ok(4), ok(5, true)]);
    expect(recent.get('dtl', 'a')).toBeUndefined();
    expect(recent.get('dtl', 'b')).toMatchObject({ idx: 2 });
    expect(recent.get('dtl', 'e')).toMatchObject({ idx: 4 });
    expect(recent.get('dtl', 'f')).toBeUndefined();
  });
});

describe('the writer thread', () => {
  it('never commits on the main thread while the writer thread is writing (no SQLITE_BUSY)', async () => {
    const dir = tempDir('hotline-store-');
    const store = await ThreadedSqliteStore.open(path.join(dir, 'hotline.db'));
    try {
      const at = new Date().toISOString();
      await store.append([
        { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
      ]);
      for (let round = 0; round < 20; round++) {
        await new Promise((r) => setTimeout(r, 3));
        // Writes that are not commits (enrolment codes, metadata) go to the writer thread; a lone item
        // arriving meanwhile must not take the main thread's connection.
        const others = Array.from({ length: 5 }, (_, i) => store.setMeta(`m${i}`, String(round)));
        const [r] = await store.append([{ exercise: 'dtl', kind: 'note', at, data: { round } }]);
        expect(r?.ok ? 'ok' : r?.error.code).toBe('ok');
        await Promise.all(others);
      }
      expect((await store.head('dtl'))?.idx).toBe(20);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('links one chain across both paths: a lone item after a quiet spell on the main thread, batches on the writer thread', async () => {
    const dir = tempDir('hotline-store-');
    const store = await ThreadedSqliteStore.open(path.join(dir, 'hotline.db'));
    const internals = store as unknown as { local: SqliteStore; worker: { postMessage(m: { op: string }): void } };
    const paths: string[] = [];
    const inline = internals.local.append.bind(internals.local);
    internals.local.append = (reqs) => (paths.push(`main:${reqs.length}`), inline(reqs));
    const post = internals.worker.postMessage.bind(internals.worker);
    internals.worker.postMessage = (m) => (m.op === 'append' && paths.push('writer'), post(m));
    try {
      const at = new Date().toISOString();
      const n = (i: number) => ({ exercise: 'dtl', kind: 'note' as const, at, data: { i } });
      await store.append([
        { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
      ]);
      for (let round = 0; round < 3; round++) {
        await new Promise((r) => setTimeout(r, 5));
        await store.append([n(round)]);
        await store.append([n(round), n(round), n(round)]);
        await store.append([n(round)]);
      }
      expect(paths).toEqual(['main:1', ...Array.from({ length: 3 }, () => ['main:1', 'writer', 'writer']).flat()]);
      const rows = await store.read('dtl', 0, 100);
      expect(rows.map((r) => r.entry.idx)).toEqual([...Array(16).keys()]);
      rows.forEach((r, i) => i > 0 && expect(r.entry.prev).toBe(rows[i - 1]!.entry.hash));
      expect(await store.head('dtl')).toEqual({ idx: 15, hash: rows[15]!.entry.hash });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails closed when it stops: every pending and later write is STORE_UNAVAILABLE, nothing is accepted', async () => {
    const dir = tempDir('hotline-store-');
    const store = await ThreadedSqliteStore.open(path.join(dir, 'hotline.db'));
    try {
      const at = new Date().toISOString();
      const pending = store.append([
        { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
      ]);
      await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const outcome = await pending.then(
        (r) => (r[0]?.ok ? 'committed before the stop' : 'refused'),
        (e: { code?: string }) => e.code,
      );
      expect(['committed before the stop', 'STORE_UNAVAILABLE']).toContain(outcome);
      await expect(store.append([{ exercise: 'dtl', kind: 'note', at, data: {} }])).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      await expect(store.probe()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
