// What a store says about an enrolment code without touching it (the preview's read): where it leads, until
// when, and whether an enrolment used it. The same answers from every store.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEnrolmentCode } from '../../server/enrolment-code.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { MemoryStore } from '../../server/store/memory.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { ThreadedSqliteStore } from '../../server/store/threaded-sqlite.js';
import type { Store } from '../../server/store/types.js';
import { TestKey } from '../helpers/raw-console.js';
import { tempDir } from '../helpers/relay.js';

const stores: [string, (file: string) => Promise<Store>][] = [
  ['SQLite on the main thread', async (file) => openSqliteStore(file)],
  ['SQLite with a writer thread', (file) => ThreadedSqliteStore.open(file)],
  ['memory (volatile)', async () => new MemoryStore()],
];

describe.each(stores)('findEnrolmentCode: %s', (_name, open) => {
  let dir = '';
  let store: Store | undefined;

  beforeEach(() => {
    dir = tempDir('hotline-code-');
  });
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives exercise, station, expiry and use; reading it changes nothing', async () => {
    const s = (store = await open(path.join(dir, 'hotline.db')));
    const at = new Date().toISOString();
    await s.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const codeHash = hashEnrolmentCode('CODE-ONE');
    await s.addEnrolmentCode({ codeHash, exercise: 'dtl', station: 'washington', issuedAt: at, expiresAt });
    const fresh = { exercise: 'dtl', station: 'washington', expiresAt, used: false };
    expect(await s.findEnrolmentCode(codeHash)).toEqual(fresh);
    expect(await s.findEnrolmentCode(codeHash)).toEqual(fresh);
    expect(await s.findEnrolmentCode(hashEnrolmentCode('CODE-TWO'))).toBeUndefined();

    const key = await TestKey.generate();
    const [enrolled] = await s.append([
      {
        exercise: 'dtl',
        kind: 'key-enrolled',
        at: new Date().toISOString(),
        data: { kid: key.kid, station: 'washington', operator: 'op', publicJwk: key.publicJwk },
        codeHash,
      },
    ]);
    expect(enrolled?.ok).toBe(true);
    expect(await s.findEnrolmentCode(codeHash)).toEqual({ ...fresh, used: true });
  });
});
