import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite.js';
import { ThreadedSqliteStore } from '../server/store/threaded-sqlite.js';
import type { Store } from '../server/store/types.js';
import { MemoryStore } from '../server/store/memory.js';
import { hashEnrolmentCode } from '../server/enrolment-code.js';
import { DEFAULT_EXERCISE } from '../server/exercises.js';
import { TestKey } from './helpers/raw-console.js';
import { tempDir } from './helpers/relay.js';

// One contract, every store: the embedded store on the main thread and with its writer thread, and the
// volatile store the benchmark uses as its no-storage floor.
const sqliteStores: [string, (file: string) => Promise<Store>, (s: Store) => number][] = [
  ['SQLite on the main thread', async (file) => openSqliteStore(file), (s) => (s as SqliteStore).synchronousLevel()],
  ['SQLite with a writer thread', (file) => ThreadedSqliteStore.open(file), (s) => (s as ThreadedSqliteStore).synchronous],
];
const stores: [string, (file: string) => Promise<Store>][] = [...sqliteStores.map(([n, o]) => [n, o] as [string, (file: string) => Promise<Store>]), ['memory (volatile)', async () => new MemoryStore()]];

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
    const [r] = await store.append([{ exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } }]);
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
    const issued = { exercise: 'dtl', station: 'beijing', issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() };
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

  it('links every entry to the one before it, across batches', async () => {
    await withExercise();
    const head0 = await store.head('dtl');
    const [note] = await store.append([{ exercise: 'dtl', kind: 'note', at: new Date().toISOString(), data: { text: 'x' } }]);
    expect(note?.ok && note.value.entry).toMatchObject({ idx: 1, prev: head0?.hash });
    const rows = await store.read('dtl', 0, 10);
    expect(rows.map((r) => r.entry.idx)).toEqual([0, 1]);
    expect(rows[1]?.json).toBe(JSON.stringify(rows[1]?.entry));
  });
});

describe('the writer thread', () => {
  it('fails closed when it stops: every pending and later write is STORE_UNAVAILABLE, nothing is accepted', async () => {
    const dir = tempDir('hotline-store-');
    const store = await ThreadedSqliteStore.open(path.join(dir, 'hotline.db'));
    try {
      const at = new Date().toISOString();
      const pending = store.append([{ exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } }]);
      await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const outcome = await pending.then(
        (r) => (r[0]?.ok ? 'committed before the stop' : 'refused'),
        (e: { code?: string }) => e.code,
      );
      expect(['committed before the stop', 'STORE_UNAVAILABLE']).toContain(outcome);
      await expect(store.append([{ exercise: 'dtl', kind: 'note', at, data: {} }])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(store.probe()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
