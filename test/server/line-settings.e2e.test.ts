// The line settings on a real relay: POST /v1/exercises/:id/procedures takes deadlines and/or line settings,
// merges them with the values in force and logs one procedures entry carrying both in full; bad input is
// BAD_REQUEST naming the bounds; after STARTEX, BAD_TRANSITION. Keys keep their role in the store, across a
// schema v3 file too.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACK_DEADLINE_MS } from '../../shared/precedence.js';
import { LINE_DEFAULTS } from '../../shared/line-entries.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { SCHEMA_VERSION } from '../../server/store/sqlite-schema.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { logOf, verifyLog } from '../helpers/line-fixture.js';
import { TestKey } from '../helpers/raw-console.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

let relay: TestRelay | undefined;

afterEach(async () => {
  await relay?.cleanup();
  relay = undefined;
});

const MIN = 60_000;

describe('line settings by route', () => {
  it('merges given settings with those in force; one procedures entry carries the full table and settings', async () => {
    relay = await startTestRelay();
    const token = await relay.trainerToken();
    const post = (body: unknown) => relay!.api('POST', '/v1/exercises/dtl/procedures', body, token);
    expect((await relay.api('GET', '/v1/exercises/dtl/run', undefined, token)).body['line']).toEqual(LINE_DEFAULTS);

    let res = await post({ line: { callWindowMs: 30 * MIN } });
    expect(res.status).toBe(200);
    expect(res.body['line']).toEqual({ ...LINE_DEFAULTS, callWindowMs: 30 * MIN });
    const table = { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 90 * MIN, ROUTINE: 240 * MIN };
    res = await post({ ackDeadlinesMs: table });
    // Deadlines alone keep the line settings set before.
    expect(res.body).toMatchObject({ ackDeadlinesMs: table, line: { callWindowMs: 30 * MIN } });
    res = await post({ line: { linkTestIntervalMs: 10 * MIN, linkTestTimeoutMs: 30_000 } });
    const line = { callWindowMs: 30 * MIN, linkTestIntervalMs: 10 * MIN, linkTestTimeoutMs: 30_000 };
    expect(res.body).toMatchObject({ ackDeadlinesMs: table, line });

    const procedures = (await logOf(relay)).filter((e) => e.kind === 'procedures').map((e) => e.data);
    expect(procedures).toEqual([
      { ackDeadlinesMs: ACK_DEADLINE_MS, line: { ...LINE_DEFAULTS, callWindowMs: 30 * MIN }, by: 'Trainer' },
      { ackDeadlinesMs: table, line: { ...LINE_DEFAULTS, callWindowMs: 30 * MIN }, by: 'Trainer' },
      { ackDeadlinesMs: table, line, by: 'Trainer' },
    ]);
    const v = await verifyLog(relay);
    expect(v.line.settings).toEqual(line);
  });

  it('refuses bad settings with BAD_REQUEST naming the bounds, and after STARTEX with BAD_TRANSITION', async () => {
    relay = await startTestRelay();
    const token = await relay.trainerToken();
    const post = (body: unknown) => relay!.api('POST', '/v1/exercises/dtl/procedures', body, token);
    const head = (await relay.store.head('dtl'))!.idx;
    for (const body of [
      {},
      { line: { callWindowMs: 1_000 } },
      { line: { linkTestIntervalMs: 500 } },
      { line: { linkTestTimeoutMs: 100 } },
      { line: { linkTestIntervalMs: 2_000, linkTestTimeoutMs: 2_000 } },
      { line: { callWindowMs: 60_000.5 } },
      { line: { other: 1 } },
      { line: 'fast' },
      { line: { callWindowMs: MIN }, extra: true },
    ]) {
      const res = await post(body);
      expect(res, JSON.stringify(body)).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    }
    const bounds = await post({ line: { linkTestTimeoutMs: 100 } });
    expect(String(bounds.body['message'])).toContain('linkTestTimeoutMs 200 to 600000');
    expect((await relay.store.head('dtl'))!.idx).toBe(head);

    await relay.api('POST', '/v1/exercises/dtl/state', { state: 'running' }, token);
    const late = await post({ line: { callWindowMs: MIN } });
    expect(late).toMatchObject({ status: 409, body: { code: 'BAD_TRANSITION' } });
  });
});

describe('key roles in the store', () => {
  it('a schema version 3 file gains the role column: its keys are operators, new ones keep their role', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hotline.db');
    let store = openSqliteStore(file);
    const at = new Date().toISOString();
    const [a, b] = [await TestKey.generate(), await TestKey.generate()];
    const enrol = (k: TestKey, role?: 'translator') => ({
      exercise: 'dtl',
      kind: 'key-enrolled' as const,
      at,
      data: { kid: k.kid, station: 'beijing', operator: 'op', publicJwk: k.publicJwk, ...(role ? { role } : {}) },
    });
    await store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
      enrol(a),
    ]);
    await store.close();
    // Rewrite the file as a version 3 relay left it: no role column.
    const db = new Database(file);
    db.exec(`CREATE TABLE keys3 AS SELECT kid, exercise, station, operator, jwk, enrolled_idx, revoked_idx FROM keys;
      DROP TABLE keys; ALTER TABLE keys3 RENAME TO keys; PRAGMA user_version = 3;`);
    db.close();

    store = openSqliteStore(file);
    expect((await store.getKey(a.kid))?.role).toBe('operator');
    await store.append([enrol(b, 'translator')]);
    expect((await store.listKeys('dtl')).map((k) => [k.kid, k.role])).toEqual([
      [a.kid, 'operator'],
      [b.kid, 'translator'],
    ]);
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });
});
