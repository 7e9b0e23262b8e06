// A relay on PostgreSQL whose database goes away and comes back (issue 13, part 4): while the database
// refuses connections the relay is not ready (/readyz 503) and accepts nothing (STORE_UNAVAILABLE, the log
// unchanged); once it is back the relay is ready again without a restart, and the refused item, submitted
// again, is accepted as the next entry. Real relay, real sockets, a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { enrolKey, RawConsole, refusedUpgrade } from '../helpers/raw-console.js';
import { startTestRelay, until, type TestRelay } from '../helpers/relay.js';

async function ready(relay: TestRelay): Promise<number> {
  return (await fetch(`${relay.url}/readyz`)).status;
}

describe('a relay on PostgreSQL when the database goes away', () => {
  let db: TestDatabase;
  let relay: TestRelay;

  beforeAll(async () => {
    db = await createTestDatabase('hotline_ready');
    relay = await startTestRelay({ store: db.url });
  });

  afterAll(async () => {
    await relay?.close();
    await db?.drop();
  });

  it('is not ready and accepts nothing while the database is gone, then recovers by itself', async () => {
    const [bj] = await Promise.all([enrolKey(relay, 'beijing'), enrolKey(relay, 'washington')]);
    const c = await RawConsole.open(relay, bj!);
    const { accepted: first } = await c.accept();
    expect(await ready(relay)).toBe(200);

    await db.cutOff();
    await until(async () => (await ready(relay)) === 503, 10_000, 'not ready');
    const payload = c.message();
    const jws = await c.sign(payload);
    const refused = await c.submit(jws, 15_000);
    expect(refused).toMatchObject({ type: 'rejected', code: 'STORE_UNAVAILABLE', id: payload.id });
    // A new console is sent elsewhere: this relay cannot hear the other relays of its log now.
    const upgrade = await refusedUpgrade(relay);
    expect(upgrade).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });

    await db.restore();
    await until(async () => (await ready(relay)) === 200, 10_000, 'ready again');
    const back = await RawConsole.open(relay, bj!);
    back.close();
    // The same item again: nothing of it was written, so it becomes the very next entry.
    const again = await c.submit(jws, 15_000);
    expect(again).toMatchObject({ type: 'accepted', id: payload.id, idx: first.idx + 1 });
    expect(c.malformed).toEqual([]);
    c.close();
  });
});
