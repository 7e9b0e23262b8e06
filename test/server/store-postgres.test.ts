// The PostgreSQL store beyond the shared contract (store.test.ts runs that on it too): its schema, what it
// refuses to open, one linear chain whichever store appends, all-or-nothing batches, and a relay on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashBody } from '../../server/store/chain-linker.js';
import { loadConfig } from '../../server/config.js';
import { openPgStore, redactUrl } from '../../server/store/postgres-open.js';
import type { PgStore } from '../../server/store/postgres.js';
import { PG_SCHEMA_VERSION } from '../../server/store/postgres-schema.js';
import type { AppendRequest } from '../../server/store/types.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { hashEnrolmentCode } from '../../server/enrolment-code.js';
import type { Entry, EntryBody } from '../../shared/entry.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startPair, startTestRelay, until } from '../helpers/relay.js';
import { latestState } from '../../client/conversation.js';
import { verifyExport } from '../../shared/export.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('hotline_pg');
});
afterAll(async () => {
  await db?.drop();
});

const now = () => new Date().toISOString();
const created = (exercise: string): AppendRequest => ({
  exercise,
  kind: 'exercise-created',
  at: now(),
  data: { exercise: { ...DEFAULT_EXERCISE, id: exercise }, relayKid: 'k' },
});
const note = (exercise: string, text: string): AppendRequest => ({ exercise, kind: 'note', at: now(), data: { text } });
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

async function withStore<T>(schema: string, run: (store: PgStore) => Promise<T>): Promise<T> {
  const store = await openPgStore(db.url, { schema });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** Every entry links to the one before it, its hash is the hash of its body, and idx runs 0..n-1. */
function expectOneChain(entries: Entry[]): void {
  expect(entries.map((e) => e.idx)).toEqual(entries.map((_e, n) => n));
  entries.forEach((e, n) => {
    const { hash, reveal: _reveal, ...body } = e;
    expect(hash).toBe(hashBody(body as EntryBody));
    if (n > 0) expect(e.prev).toBe(entries[n - 1]!.hash);
  });
}

describe('the PostgreSQL store', () => {
  it('creates its schema at the current version, with entries kept as text', async () => {
    await withStore('fresh', async (store) => {
      const [r] = await store.append([created('dtl')]);
      expect(r?.ok).toBe(true);
    });
    expect(await db.query('SELECT version FROM fresh.hotline_schema')).toEqual([{ version: PG_SCHEMA_VERSION }]);
    const columns = await db.query(
      "SELECT data_type FROM information_schema.columns WHERE table_schema = 'fresh' AND table_name = 'entries' AND column_name = 'body'",
    );
    expect(columns).toEqual([{ data_type: 'text' }]);
    const indexes = await db.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'fresh' ORDER BY indexname");
    expect(indexes.map((r) => r['indexname'])).toEqual(expect.arrayContaining(['entries_by_idx', 'entries_by_item']));
    // A second open finds the schema as it is and changes nothing.
    await withStore('fresh', async (store) => expect((await store.read('dtl', 0, 10)).length).toBe(1));
    expect(await db.query('SELECT count(*)::int AS n FROM fresh.hotline_schema')).toEqual([{ n: 1 }]);
  });

  it('refuses a database written by a newer schema and adds nothing to it', async () => {
    await db.query('CREATE SCHEMA newer; CREATE TABLE newer.hotline_schema (version INTEGER NOT NULL)');
    await db.query('INSERT INTO newer.hotline_schema VALUES (99)');
    const refusal = await openPgStore(db.url, { schema: 'newer' }).catch((err: unknown) => err as Error);
    expect(refusal).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((refusal as Error).message).toMatch(/schema version 99; this relay knows up to 1\b/);
    const tables = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'newer'");
    expect(tables).toEqual([{ table_name: 'hotline_schema' }]);
  });

  it('keeps one linear chain when two stores append to one exercise at once', async () => {
    const a = await openPgStore(db.url, { schema: 'shared' });
    const b = await openPgStore(db.url, { schema: 'shared' });
    try {
      expect((await a.append([created('dtl')])).map(code)).toEqual(['ok']);
      const rounds = 25;
      const batch = (who: string, round: number) => [1, 2, 3].map((n) => note('dtl', `${who}-${round}-${n}`));
      const appends: Promise<unknown>[] = [];
      for (let round = 0; round < rounds; round++)
        appends.push(a.append(batch('a', round)), b.append(batch('b', round)));
      await Promise.all(appends);
      // The same item offered by both at once: one store links it, the other answers it as the duplicate.
      const item = {
        exercise: 'dtl',
        kind: 'message' as const,
        at: now(),
        jws: 'h.p.s',
        item: {
          kid: 'kid-1',
          seq: 0,
          id: 'm-1',
          type: 'message' as const,
          payloadHash: 'ph',
          from: 'beijing',
          to: 'washington',
          sentAt: now(),
        },
      };
      const [ra, rb] = await Promise.all([a.append([item]), b.append([item])]);
      expect([ra![0]!, rb![0]!].map((r) => r.ok && r.value.duplicate).sort()).toEqual([false, true]);
      const entries = (await a.read('dtl', 0, 1000)).map((c) => c.entry);
      expect(entries.length).toBe(1 + rounds * 2 * 3 + 1);
      expectOneChain(entries);
      // Each batch's three notes are consecutive: a batch is linked under its lock, never interleaved.
      const texts = entries.slice(1, -1).map((e) => (e.data as { text: string }).text);
      for (let n = 0; n < texts.length; n += 3) expect(texts[n]!.replace(/-1$/, '-3')).toBe(texts[n + 2]);
      expect(await b.head('dtl')).toEqual({ idx: entries.length - 1, hash: entries.at(-1)!.hash });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('leaves nothing of a batch whose transaction fails part-way, and links the next batch from the old head', async () => {
    await withStore('failing', async (store) => {
      await store.append([created('dtl')]);
      const issued = {
        exercise: 'dtl',
        station: 'beijing',
        issuedAt: now(),
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      };
      await store.addEnrolmentCode({ ...issued, codeHash: hashEnrolmentCode('CODE') });
      const head = await store.head('dtl');
      // The exercise row of dtl2 is written before the entries; the entries statement then fails.
      await db.query(
        "ALTER TABLE failing.control ADD CONSTRAINT no_poison CHECK (kind <> 'note' OR exercise <> 'dtl2')",
      );
      const enrol: AppendRequest = {
        exercise: 'dtl',
        kind: 'key-enrolled',
        at: now(),
        data: { kid: 'kid-x', station: 'beijing', operator: 'op', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x' } },
        codeHash: hashEnrolmentCode('CODE'),
      };
      await expect(
        store.append([note('dtl', 'a'), created('dtl2'), enrol, note('dtl2', 'poison')]),
      ).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      expect(await store.head('dtl')).toEqual(head);
      expect(await store.getExercise('dtl2')).toBeUndefined();
      expect(await store.getKey('kid-x')).toBeUndefined();
      expect((await store.findEnrolmentCode(hashEnrolmentCode('CODE')))?.used).toBe(false);
      await db.query('ALTER TABLE failing.control DROP CONSTRAINT no_poison');
      const [next] = await store.append([enrol]);
      expect(next?.ok && next.value.entry).toMatchObject({ idx: head!.idx + 1, prev: head!.hash });
    });
  });

  it('survives its connections being cut: a batch fails whole or commits whole, and the next one reconnects', async () => {
    await withStore('cut', async (store) => {
      await store.append([created('dtl')]);
      await db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      // The pool may or may not have seen its idle connections die yet: either way, all or nothing.
      const first = await store.append([note('dtl', 'a'), note('dtl', 'b')]).then(
        (r) => r.map(code).join(','),
        (err: { code?: string }) => err.code,
      );
      expect(['ok,ok', 'STORE_UNAVAILABLE']).toContain(first);
      expect((await store.append([note('dtl', 'c')])).map(code)).toEqual(['ok']);
      await store.probe();
      const entries = (await store.read('dtl', 0, 100)).map((c) => c.entry);
      expectOneChain(entries);
      const texts = entries.slice(1).map((e) => (e.data as { text: string }).text);
      expect(texts).toEqual(first === 'ok,ok' ? ['a', 'b', 'c'] : ['c']);
    });
  });

  it('refuses to open when commits would not wait for their flush (synchronous_commit off or local)', async () => {
    const other = await createTestDatabase('hotline_async');
    try {
      for (const setting of ['off', 'local']) {
        await other.query(`ALTER DATABASE ${new URL(other.url).pathname.slice(1)} SET synchronous_commit = ${setting}`);
        const refusal = await openPgStore(other.url).then(
          (s) => s.close().then(() => undefined),
          (err: unknown) => err as Error & { code: string },
        );
        expect(refusal).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(refusal!.message).toContain(`synchronous_commit is ${setting}`);
        expect(refusal!.message).not.toContain(new URL(other.url).password);
      }
      expect(await other.query("SELECT to_regclass('public.entries')::text AS t")).toEqual([{ t: null }]);
    } finally {
      await other.drop();
    }
  });

  it('runs a relay selected by `store: <url>`: a message goes end to end, and its export verifies', async () => {
    const relay = await startTestRelay({ store: db.url });
    const { beijing, washington } = await startPair(relay);
    try {
      await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');
      const sent = await beijing.send({ precedence: 'FLASH', subject: 'PG', body: 'Over PostgreSQL.' });
      await until(() => washington.conversation.messages.get(sent.id)?.verified === true, 5000, 'arrival');
      await until(() => beijing.conversation.messages.get(sent.id)?.states.delivered !== undefined, 5000, 'delivered');
      const rows = await db.query("SELECT idx, body FROM public.entries WHERE exercise = 'dtl' AND item_id = $1", [
        sent.id,
      ]);
      expect(rows.length).toBe(1);
      const logged = (await relay.store.read('dtl', rows[0]!['idx'] as number, 1))[0];
      expect(logged?.json).toBe(rows[0]!['body']);
      expectOneChain((await relay.store.read('dtl', 0, 1000)).map((c) => c.entry));
      // A receipt too, and the export of the log verifies with the unchanged offline verifier.
      await washington.acknowledge(sent.id, 'Received');
      await until(() => latestState(beijing.conversation.messages.get(sent.id)!) === 'acknowledged', 5000, 'ack');
      const token = await relay.trainerToken();
      const exported = (await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, token)).body;
      const report = await verifyExport(exported);
      expect(report.fault).toBeUndefined();
      expect(report.ok).toBe(true);
      expect(report.entries.filter((e) => e.kind === 'receipt').length).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all([beijing.stop(), washington.stop()]);
      await relay.cleanup();
    }
  });
});

describe('the store setting', () => {
  it('takes empty (SQLite) or a postgres URL, and never logs the password', () => {
    expect(loadConfig({}, {}).store).toBe('');
    expect(loadConfig({}, { HOTLINE_STORE: 'postgresql://u:p@h/db' }).store).toBe('postgresql://u:p@h/db');
    expect(() => loadConfig({}, { HOTLINE_STORE: 'mysql://h/db' })).toThrow(/^HOTLINE_STORE: must be empty/);
    expect(() => loadConfig({ store: 'sqlite.db' }, {}, { store: '--store' })).toThrow(/^--store: /);
    expect(redactUrl('postgres://hotline:s3cret@db.example:5432/hotline')).toBe(
      'postgres://hotline:***@db.example:5432/hotline',
    );
  });
});
