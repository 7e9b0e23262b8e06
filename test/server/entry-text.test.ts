// The text the relay stores and sends for each entry (server/store/chain-linker.ts): the entry object's own
// JSON, hashing to the entry's hash under the hash rule of docs/PROTOCOL.md section 8, for the entries
// written directly from the hashed text (no data) and for the rest alike.
import { describe, expect, it } from 'vitest';
import { hashEntry, type Entry } from '../../shared/entry.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { MemoryStore } from '../../server/store/memory.js';
import type { AppendRequest, Committed } from '../../server/store/types.js';

async function commit(store: MemoryStore, req: AppendRequest): Promise<Committed> {
  const [r] = await store.append([req]);
  if (!r?.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
  return r.value;
}

describe('entry text', () => {
  it('stores a data-less entry as its hashed text plus the hash, with the JWS written once', async () => {
    const store = new MemoryStore();
    const at = new Date().toISOString();
    await commit(store, {
      exercise: 'dtl',
      kind: 'exercise-created',
      at,
      data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' },
    });
    // Characters JSON escapes, and text beyond the BMP, although a real JWS is base64url.
    const jws = 'eyJhbGciOiJFZDI1NTE5In0.a"b\\c\u0001\u2028中文😀.sig';
    const c = await commit(store, { exercise: 'dtl', kind: 'message', at, jws });
    expect(JSON.stringify(c.entry)).toBe(c.json);
    const parsed = JSON.parse(c.json) as Entry;
    expect(parsed).toEqual(c.entry);
    expect(await hashEntry(parsed)).toBe(c.entry.hash);
    expect(c.json.split(JSON.stringify(jws)).length).toBe(2);
    expect(Object.keys(parsed)).toEqual(['at', 'idx', 'jws', 'kind', 'prev', 'hash']);
  });

  it('stores an entry with data as the JSON of the entry, hashing to its hash', async () => {
    const store = new MemoryStore();
    const at = new Date().toISOString();
    const created = await commit(store, {
      exercise: 'dtl',
      kind: 'exercise-created',
      at,
      data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' },
    });
    const note = await commit(store, { exercise: 'dtl', kind: 'note', at, data: { text: 'quote " 中文' } });
    for (const c of [created, note]) {
      expect(JSON.stringify(c.entry)).toBe(c.json);
      expect(await hashEntry(JSON.parse(c.json) as Entry)).toBe(c.entry.hash);
    }
    expect(note.entry.prev).toBe(created.entry.hash);
  });
});
