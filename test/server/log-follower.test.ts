// The log follower (server/log-follower.ts) hands every entry of an exercise on once, in idx order, whether
// this relay committed it or another relay did: a local commit behind a gap waits for the gap to be read,
// and keeps its request (its submitter is answered in its stream); entries nobody streams and no runner
// needs are not read; a resync reads every head again.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LogFollower } from '../../server/log-follower.js';
import type { AppendRequest, Committed, ExerciseRecord } from '../../server/store/types.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';

const committed = (idx: number, kind: Committed['entry']['kind'] = 'message'): Committed => {
  const entry = { idx, prev: `h${idx - 1}`, at: '2026-12-02T00:00:00Z', kind, hash: `h${idx}` };
  return { exercise: 'dtl', entry, json: JSON.stringify(entry), duplicate: false };
};
const request = (idx: number): AppendRequest => ({ exercise: 'dtl', kind: 'message', at: `req${idx}` });

/** A log of `n` entries that answers reads after a tick, and counts them. */
function fakeStore(n: { head: number }) {
  const reads: [number, number][] = [];
  return {
    reads,
    read: async (_exercise: string, from: number, limit: number) => {
      reads.push([from, limit]);
      await new Promise((r) => setTimeout(r, 5));
      const out: Committed[] = [];
      for (let i = from; i <= n.head && out.length < limit; i++) out.push(committed(i));
      return out;
    },
    listExercises: async (): Promise<ExerciseRecord[]> => [
      { def: DEFAULT_EXERCISE, createdAt: '', head: { idx: n.head, hash: `h${n.head}` } },
    ],
  };
}

function follower(head: { head: number }, streamed = true) {
  const store = fakeStore(head);
  const got: { idx: number; own: boolean }[] = [];
  const f = new LogFollower({
    store,
    log: pino({ level: 'silent' }),
    deliver: (c, req) => got.push({ idx: c.entry.idx, own: req !== undefined }),
    streamed: () => streamed,
    gapWaitMs: 1000,
  });
  return { f, got, store };
}

describe('the log follower', () => {
  it('hands on its own commits at once when nothing is missing', async () => {
    const log = { head: 4 };
    const { f, got, store } = follower(log);
    await f.start();
    await f.local([committed(5), committed(6)], [request(5), request(6)]);
    expect(got).toEqual([
      { idx: 5, own: true },
      { idx: 6, own: true },
    ]);
    expect(store.reads).toEqual([]);
  });

  it('holds a local commit behind another relay’s entries until they are read, then hands all on in order', async () => {
    const log = { head: 4 };
    const { f, got } = follower(log);
    await f.start();
    // Another relay committed 5 and 6; this relay's commit is 7, before the notice of 5-6 arrived.
    log.head = 7;
    await f.local([committed(7)], [request(7)]);
    expect(got).toEqual([
      { idx: 5, own: false },
      { idx: 6, own: false },
      { idx: 7, own: true },
    ]);
    // The notice arrives late: nothing more, nothing twice.
    f.committed('dtl', 6, false);
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((g) => g.idx)).toEqual([5, 6, 7]);
  });

  it('skips what nobody here streams unless it holds control entries', async () => {
    const log = { head: 2 };
    const { f, got, store } = follower(log, false);
    await f.start();
    log.head = 10;
    f.committed('dtl', 10, false);
    await new Promise((r) => setTimeout(r, 20));
    expect(store.reads).toEqual([]);
    log.head = 12;
    f.committed('dtl', 12, true);
    await new Promise((r) => setTimeout(r, 30));
    expect(got.map((g) => g.idx)).toEqual([11, 12]);
    // A local commit right after is next in line.
    await f.local([committed(13)], [request(13)]);
    expect(got.at(-1)).toEqual({ idx: 13, own: true });
  });

  it('reads every head again on a resync (notices were lost)', async () => {
    const log = { head: 3 };
    const { f, got } = follower(log);
    await f.start();
    log.head = 6;
    f.resync();
    await new Promise((r) => setTimeout(r, 30));
    expect(got.map((g) => g.idx)).toEqual([4, 5, 6]);
  });

  it('reaches a head on demand, and notices that came before start are replayed', async () => {
    const log = { head: 1 };
    const { f, got } = follower(log);
    log.head = 3;
    f.committed('dtl', 3, false); // before start: remembered
    await f.start();
    await f.reach('dtl', 3);
    // start() read head 3 already: nothing to hand on, and nothing handed on twice.
    expect(got).toEqual([]);
    log.head = 5;
    await f.reach('dtl', 5);
    expect(got.map((g) => g.idx)).toEqual([4, 5]);
  });
});
