// Group commit and its window, on the volatile store with a gate in front of it, so every assertion is
// about which items share a commit, never about how long anything took.
import { describe, expect, it } from 'vitest';
import { Committer } from '../../server/committer.js';
import { createLogger } from '../../server/logger.js';
import { Metrics } from '../../server/metrics.js';
import { MemoryStore } from '../../server/store/memory.js';
import type { AppendRequest } from '../../server/store/types.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';

const note = (n: number): AppendRequest => ({
  exercise: 'dtl',
  kind: 'note',
  at: new Date().toISOString(),
  data: { n },
});

/** A store whose commits wait for release(), recording the size of each batch. */
async function gatedStore() {
  const store = new MemoryStore();
  await store.append([
    {
      exercise: 'dtl',
      kind: 'exercise-created',
      at: new Date().toISOString(),
      data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' },
    },
  ]);
  const batches: number[] = [];
  let gate: (() => void) | undefined;
  let gated = false;
  const append = store.append.bind(store);
  store.append = async (reqs) => {
    batches.push(reqs.length);
    if (gated) await new Promise<void>((r) => (gate = r));
    return append(reqs);
  };
  return {
    store,
    batches,
    hold: () => (gated = true),
    release: () => {
      gated = false;
      gate?.();
    },
    started: () => gate !== undefined,
  };
}

// The load rule's rate is set to 0 (any four queued items are load) or out of reach, so no assertion
// depends on how fast this machine runs the test.
const committer = (store: MemoryStore, maxBatch: number, windowMs: number, ratePerMs = 0) =>
  new Committer(store, async () => undefined, new Metrics(), createLogger('silent', false), {
    maxBatch,
    windowMs,
    load: { items: 4, ratePerMs },
  });

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}

/** Item 0 starts a commit that the gate holds; `queued` more items wait behind it; then the gate opens. */
async function behindACommit(g: Awaited<ReturnType<typeof gatedStore>>, c: Committer, queued: number) {
  g.hold();
  const accepted = [c.append(note(0))];
  await until(g.started);
  for (let n = 1; n <= queued; n++) accepted.push(c.append(note(n)));
  g.release();
  return accepted;
}

describe('group commit', () => {
  it('commits a lone item on an idle relay at once, whatever the window', async () => {
    const g = await gatedStore();
    // A window longer than the test's own timeout: the item can only be accepted if it never waits.
    const c = committer(g.store, 100, 50_000);
    const first = await c.append(note(1));
    const second = await c.append(note(2));
    expect([first.entry.idx, second.entry.idx]).toEqual([1, 2]);
    expect(g.batches).toEqual([1, 1]);
  });

  it('under load, lets the next commit gather items for the window and ends it early once a full batch waits', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 8, 50_000);
    // Four items queue behind the running commit: the relay is busy.
    const accepted = await behindACommit(g, c, 4);
    await new Promise((r) => setTimeout(r, 20));
    expect(g.batches).toEqual([1]);
    // Four more make a full batch of eight: it commits without waiting out the 50 s window.
    for (let n = 5; n <= 8; n++) accepted.push(c.append(note(n)));
    const results = await Promise.all(accepted);
    expect(g.batches).toEqual([1, 8]);
    expect(results.map((r) => r.entry.idx)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('commits what gathered when the window ends', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 100, 20);
    const accepted = await behindACommit(g, c, 4);
    await new Promise((r) => setTimeout(r, 1));
    accepted.push(c.append(note(5)));
    await Promise.all(accepted);
    expect(g.batches).toEqual([1, 5]);
  });

  it('opens no window when items arrive below the load rate, however many queued', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 100, 50_000, 1e9);
    await Promise.all(await behindACommit(g, c, 6));
    expect(g.batches).toEqual([1, 6]);
  });

  it('opens no window for a moderately busy relay: fewer than four items queued behind a commit', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 100, 50_000);
    await Promise.all(await behindACommit(g, c, 3));
    expect(g.batches).toEqual([1, 3]);
  });

  it('makes a store that commits at once batch a stream too: the arrival that completes a stream waits the window', async () => {
    const g = await gatedStore();
    // Eight arrivals within 8 s are a stream at this rate; the window is long enough not to end by itself.
    const c = committer(g.store, 4, 50_000, 0.001);
    for (let n = 1; n <= 7; n++) await c.append(note(n));
    expect(g.batches).toEqual([1, 1, 1, 1, 1, 1, 1]);
    // The eighth completes the stream: its commit waits, and the items of later turns join it until the batch
    // is full (maxBatch 4), although no commit was running for any of them to queue behind.
    const later = [c.append(note(8))];
    for (let n = 9; n <= 11; n++) {
      await new Promise((r) => setTimeout(r, 2));
      later.push(c.append(note(n)));
    }
    const results = await Promise.all(later);
    expect(g.batches).toEqual([1, 1, 1, 1, 1, 1, 1, 4]);
    expect(results.map((r) => r.entry.idx)).toEqual([8, 9, 10, 11]);
  });

  it('commits items at once when they arrive slower than the load rate, even many in a row', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 100, 50_000, 1e9);
    for (let n = 1; n <= 12; n++) await c.append(note(n));
    expect(g.batches).toEqual(Array.from({ length: 12 }, () => 1));
  });

  it('with no window, commits the queued items on the next turn', async () => {
    const g = await gatedStore();
    const c = committer(g.store, 100, 0);
    await Promise.all(await behindACommit(g, c, 3));
    expect(g.batches).toEqual([1, 3]);
  });
});
