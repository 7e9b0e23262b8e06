// A data file whose entries table is damaged (its root page overwritten): the relay refuses to start on it
// with STORE_CORRUPT and its own exit code, and a damage that appears while it runs fails the sockets that
// read it with STORE_UNAVAILABLE, while the process stays up and /readyz says not ready.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { checkDataFile } from '../../server/store/sqlite-check.js';
import { EXIT } from '../../cli/terminal.js';
import { alive, runCli, spawnRelay } from '../helpers/child-relay.js';
import { corruptRootPage } from '../helpers/corrupt.js';
import { faultSuite } from '../helpers/fault-suite.js';
import { enrolKey, RawConsole } from '../helpers/raw-console.js';
import { startTestRelay } from '../helpers/relay.js';

const { dataDir } = faultSuite('hotline-corrupt-');

/** A relay's data directory with a short conversation in its log, the relay stopped. */
async function conversation(dir: string): Promise<void> {
  const relay = await startTestRelay({}, dir);
  try {
    const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    for (let i = 0; i < 20; i++) await bj.accept({ body: `before the damage ${i}` });
    bj.ws.close();
  } finally {
    await relay.close();
  }
}

describe('a corrupt data file', () => {
  it('is refused at start: STORE_CORRUPT, its exit code, and where to read about recovery', async () => {
    const dir = dataDir();
    await conversation(dir);
    const file = path.join(dir, 'hotline.db');
    for (const level of ['quick', 'edges', 'full'] as const) expect(() => checkDataFile(file, level)).not.toThrow();
    corruptRootPage(file, 'entries');

    for (const level of ['quick', 'edges', 'full'] as const)
      expect(() => checkDataFile(file, level), level).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(() => openSqliteStore(file, 'auto')).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    // Past the check (as when the damage comes later), each read that crosses it is STORE_UNAVAILABLE.
    const unchecked = openSqliteStore(file, 'none');
    try {
      await expect(unchecked.read('dtl', 0, 10)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(unchecked.findMessage('dtl', 'no-such-id')).resolves.toBeUndefined(); // entries_by_item is intact
    } finally {
      await unchecked.close();
    }

    const run = await runCli(['serve', '--data', dir, '--host', '127.0.0.1', '--port', '0', '--no-links']);
    expect(run.code).toBe(EXIT.storeCorrupt);
    expect(run.stderr).toContain('STORE_CORRUPT');
    expect(run.stderr).toContain('docs/operations.md');
    expect(run.stdout).not.toContain('Hotline relay on');
    // The complete check on demand refuses it the same way, before the relay opens anything.
    const full = await runCli(['serve', '--data', dir, '--check', 'full', '--port', '0', '--no-links']);
    expect(full.code).toBe(EXIT.storeCorrupt);
    expect(full.stderr).toContain('STORE_CORRUPT');
  }, 60_000);

  it('that appears while the relay runs fails the sockets with STORE_UNAVAILABLE, never the process', async () => {
    const dir = dataDir();
    const relay = await spawnRelay(dir);
    const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    for (let i = 0; i < 10; i++) await bj.accept({ body: `before the damage ${i}` });
    expect((await relay.api('GET', '/readyz')).status).toBe(200);

    corruptRootPage(path.join(dir, 'hotline.db'), 'entries');

    // Twice: the first failure must leave the relay able to answer the second console the same way.
    for (let round = 0; round < 2; round++) {
      const late = await RawConsole.connect(relay);
      late.send({ type: 'hello', jws: await bj.key!.hello(late.challenge.nonce) });
      const closed = await late.waitForClose(10_000);
      expect(closed).toEqual({ code: 1011, reason: 'STORE_UNAVAILABLE' });
      const error = late.queue.find((f) => f.type === 'error');
      expect(error).toMatchObject({ type: 'error', code: 'STORE_UNAVAILABLE' });
    }
    const ready = await relay.api('GET', '/readyz');
    expect(ready).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
    expect((await relay.api('GET', '/livez')).status).toBe(200);
    expect(alive(relay.proc)).toBe(true);
    expect(relay.stderr.join('')).not.toMatch(/unhandled|uncaught/i);
  }, 60_000);
});
