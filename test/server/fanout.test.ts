// The fan-out on its own, over the real MemoryStore: every subscriber gets every entry after its `since`
// exactly once and in idx order, whether it comes from the store, the recent buffer or a live commit, and
// a subscriber that does not drain is paused, then dropped.
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineError } from '../../shared/errors.js';
import { Fanout, type FanoutDeps, type Subscriber } from '../../server/fanout.js';
import { Metrics } from '../../server/metrics.js';
import { MemoryStore } from '../../server/store/memory.js';
import {
  captureLog,
  Core,
  FakeTransport,
  PINO_ERROR,
  TEST_EXERCISE,
  type LogRecord,
} from '../helpers/fake-transport.js';

const EX = TEST_EXERCISE.id;

class FakeSubscriber implements Subscriber {
  readonly transport = new FakeTransport();
  failedWith: HotlineError | undefined;
  closed = false;
  readonly exercise = EX;
  readonly audience = 'control' as const;

  sendText(text: string | Buffer): void {
    this.transport.send(text);
  }

  buffered(): number {
    return this.transport.buffered;
  }

  fail(err: HotlineError): void {
    this.failedWith = err;
    this.closed = true;
  }

  /** The idx of the next `n` frames, which must all be entries. */
  async entries(n: number): Promise<number[]> {
    const got: number[] = [];
    for (let i = 0; i < n; i++) got.push((await this.transport.nextOf('entry')).entry.idx);
    return got;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

interface Setup {
  store: MemoryStore;
  fanout: Fanout;
  metrics: Metrics;
  logs: LogRecord[];
  /** Commits `n` entries to the store and publishes each, as the relay does after a commit. */
  commit: (n: number) => Promise<void>;
}

async function setup(deps: Partial<FanoutDeps> = {}): Promise<Setup> {
  const store = new MemoryStore();
  await store.append([
    { exercise: EX, kind: 'exercise-created', at: new Date().toISOString(), data: { exercise: TEST_EXERCISE } },
  ]);
  const metrics = new Metrics();
  const { log, logs } = captureLog();
  const fanout = new Fanout({
    store,
    metrics,
    log,
    now: Date.now,
    maxBuffered: 1000,
    drainGraceMs: 10_000,
    ...deps,
  });
  const commit = async (n: number) => {
    const at = new Date().toISOString();
    const reqs = Array.from({ length: n }, (_, i) => ({ exercise: EX, kind: 'alarm' as const, at, data: { n: i } }));
    for (const r of await store.append(reqs)) {
      if (!r.ok) throw r.error;
      fanout.publish(EX, r.value.entry.idx, r.value.json);
    }
  };
  return { store, fanout, metrics, logs, commit };
}

describe('Fanout', () => {
  it('streams from `since` across the store and the recent buffer, then live, each entry once and in order', async () => {
    const { store, fanout, commit } = await setup();
    const early = new FakeSubscriber();
    await fanout.subscribe(early, -1);
    // More entries than the recent buffer keeps: the oldest of them are then only in the store.
    await commit(2500);
    expect(await early.entries(2501)).toEqual(range(0, 2500));

    const reads: { from: number; limit: number }[] = [];
    const read = store.read.bind(store);
    store.read = (exercise, from, limit) => {
      reads.push({ from, limit });
      return read(exercise, from, limit);
    };
    const late = new FakeSubscriber();
    await fanout.subscribe(late, 5);
    expect(await late.entries(2495)).toEqual(range(6, 2500));
    // The old part came from the store, the rest from memory: the store was never asked for the newest.
    expect(reads[0]?.from).toBe(6);
    const lastRead = Math.max(...reads.map((r) => r.from + r.limit - 1));
    expect(lastRead).toBeLessThan(2500 - 1024);

    await commit(1);
    expect(await late.entries(1)).toEqual([2501]);
    expect(await early.entries(1)).toEqual([2501]);
    expect([...early.transport.pending, ...late.transport.pending]).toEqual([]);
  });

  it('keeps idx order when entries are published while a subscriber is still reading the store', async () => {
    const { store, fanout, commit } = await setup();
    const first = new FakeSubscriber();
    await fanout.subscribe(first, -1);
    await commit(2100);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = store.read.bind(store);
    store.read = async (exercise, from, limit) => {
      await gate;
      return read(exercise, from, limit);
    };
    const sub = new FakeSubscriber();
    await fanout.subscribe(sub, -1);
    await commit(3);
    expect(sub.transport.pending).toEqual([]);
    release();
    expect(await sub.entries(2104)).toEqual(range(0, 2103));
  });

  it('pauses a subscriber over the bound and resumes it once its socket drains below half', async () => {
    const { fanout, commit } = await setup({ maxBuffered: 1000 });
    const sub = new FakeSubscriber();
    await fanout.subscribe(sub, 0);
    sub.transport.buffered = 1001;
    await commit(2);
    expect(sub.transport.pending).toEqual([]);
    sub.transport.buffered = 500;
    expect(await sub.entries(2)).toEqual([1, 2]);
    expect(sub.failedWith).toBeUndefined();
  });

  it('drops a subscriber that stays over the bound with SLOW_CONSUMER; the others keep streaming', async () => {
    const { fanout, commit, metrics } = await setup({ maxBuffered: 1000, drainGraceMs: 0 });
    const slow = new FakeSubscriber();
    const fast = new FakeSubscriber();
    await fanout.subscribe(slow, 0);
    await fanout.subscribe(fast, 0);
    slow.transport.buffered = 1001;
    await commit(1);
    expect(await fast.entries(1)).toEqual([1]);
    await expect.poll(() => slow.failedWith?.code).toBe('SLOW_CONSUMER');
    expect(slow.transport.pending).toEqual([]);
    const dropped = (await metrics.dropped.get()).values.find((v) => v.labels['reason'] === 'slow_consumer');
    expect(dropped?.value).toBe(1);
  });

  it('ends only the subscriber whose store read fails, with STORE_UNAVAILABLE, and logs it once', async () => {
    const { store, fanout, commit, logs } = await setup();
    const live = new FakeSubscriber();
    await fanout.subscribe(live, 0);
    store.read = async () => {
      throw new Error('simulated: read failed');
    };
    const behind = new FakeSubscriber();
    await fanout.subscribe(behind, -1);
    await expect.poll(() => behind.failedWith?.code).toBe('STORE_UNAVAILABLE');
    const errors = logs.filter((r) => r.level === PINO_ERROR);
    expect(errors.map((r) => [r.msg, r.err?.message])).toEqual([
      ['the log store cannot be read', 'simulated: read failed'],
    ]);
    await commit(1);
    expect(await live.entries(1)).toEqual([1]);
  });

  it('sends nothing more to a subscriber after it unsubscribed', async () => {
    const { fanout, commit } = await setup();
    const gone = new FakeSubscriber();
    const kept = new FakeSubscriber();
    await fanout.subscribe(gone, 0);
    await fanout.subscribe(kept, 0);
    fanout.unsubscribe(gone);
    await commit(1);
    expect(await kept.entries(1)).toEqual([1]);
    expect(gone.transport.pending).toEqual([]);
  });
});

describe('a slow console through the relay', () => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.stop();
    core = undefined;
  });

  it('is closed with SLOW_CONSUMER and 4429, and its peer still gets the entry', async () => {
    core = await Core.start({ maxBufferedBytes: 1000, slowConsumerGraceMs: 0 });
    const bj = await core.open(await core.enrol('beijing'), 1);
    const wa = await core.open(await core.enrol('washington'), 2);
    expect(await bj.transport.nextOf('entry')).toMatchObject({ entry: { idx: 2 } });
    expect(await bj.transport.nextOf('presence')).toMatchObject({ station: 'washington' });
    bj.transport.buffered = 1001;
    await core.enrol('washington');
    expect(await wa.transport.nextOf('entry')).toMatchObject({ entry: { idx: 3 } });
    expect(await bj.transport.nextOf('error')).toMatchObject({ code: 'SLOW_CONSUMER' });
    expect(await bj.transport.waitForClose()).toEqual({ code: 4429, reason: 'SLOW_CONSUMER' });
  });
});
