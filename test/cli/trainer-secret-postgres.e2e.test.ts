// `hotline trainer-secret --store postgres://…`: on PostgreSQL the secret lives in the database that every
// relay of the log shares, so one reset replaces it for all of them: the old secret stops opening the relay,
// the new one opens it. The built CLI against a real relay on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

describe('hotline trainer-secret on PostgreSQL', () => {
  let db: TestDatabase;
  let relay: TestRelay;

  beforeAll(async () => {
    db = await createTestDatabase('hotline_cli_secret');
    relay = await startTestRelay({ store: db.url });
  });

  afterAll(async () => {
    await relay?.cleanup();
    await db?.drop();
  });

  const token = (secret: string) => relay.api('POST', '/v1/auth/token', { secret });

  it('replaces the secret in the database: the old one is refused, the new one opens the relay', async () => {
    const old = relay.newTrainerSecret!;
    expect((await token(old)).status).toBe(200);
    const { code, stdout, stderr } = await runToEnd(['trainer-secret', '--store', db.url]);
    expect(code, stderr).toBe(0);
    const secret = stdout.trim();
    expect(secret).toMatch(/^hts_[A-Za-z0-9_-]{43}$/);
    expect(stderr).not.toContain(new URL(db.url).password || 'no-password-in-url');
    expect((await token(old)).status).toBe(401);
    expect((await token(secret)).status).toBe(200);
  });
});
