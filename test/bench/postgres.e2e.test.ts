// `hotline bench` on PostgreSQL, from the sources, against the test run's PostgreSQL: one relay, several
// relays with every pair across two of them, and the two comparisons (SQLite against PostgreSQL, consoles on
// one relay against across two). Tiny runs with no latency limits: they assert that each mode ran what it
// says, that nothing was lost and every chain verified, that the figures exist, and that each run's database
// is gone afterwards. Never speed.
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { compareVerdict, runCompare, variantsOf } from '../../bench/compare.js';
import { comparedRows, renderCompare } from '../../bench/compare-report.js';
import { profileWorkload } from '../../bench/options.js';
import type { BenchReport } from '../../bench/report.js';
import { renderTable } from '../../bench/report.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { groupSample, startRelayGroup } from '../../bench/relay-group.js';
import { runSuite, type SuiteOptions } from '../../bench/suite.js';

/** 2 pairs (4 with 4 relays), 20 msg/s for 1 s, no warmup. */
function base(pairs = 2): SuiteOptions {
  return {
    workload: { ...profileWorkload(undefined), pairs, rate: 20, durationMs: 1000, warmupMs: 0, drainMs: 5000 },
    profile: null,
    command: 'test',
    baseline: false,
    maxP99: {},
  };
}

async function benchDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'hotline_bench_%'",
    );
    return rows.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** Every message and receipt arrived once, in order, and every signature and chain link verified. */
function expectCorrect(r: BenchReport): void {
  const run = r.relay!;
  expect(run.correctness.ok, r.failures.join('; ')).toBe(true);
  expect(run.correctness.faults).toEqual([]);
  expect(run.errors).toEqual({});
  expect(run.timing.drained).toBe(true);
  expect(run.correctness.verification.signatures).toBe(2 * run.correctness.messages);
  expect(run.correctness.verification.checkpoints).toBeGreaterThan(0);
}

/** The server's CPU is readable when the test run started it here (not for a DATABASE_URL elsewhere). */
const localServer = !process.env['DATABASE_URL'];

describe('hotline bench on PostgreSQL', { timeout: 60_000 }, () => {
  it('runs the relay on a fresh database, reports its commits, notifications and the server CPU, and drops it', async () => {
    const before = await benchDatabases();
    const r = await runSuite({
      ...base(),
      postgres: { serverUrl: inject('databaseUrl'), relays: 1, placement: 'cross' },
    });
    expectCorrect(r);
    const run = r.relay!;
    expect(run.target.store).toBe('postgres');
    const g = run.group!;
    expect(g.relays).toBe(1);
    expect(g.perRelay).toHaveLength(1);
    expect(g.commitsPerSecond).toBeGreaterThan(0);
    expect(g.notifications.count).toBeGreaterThan(0);
    if (localServer) expect(g.postgres).toMatchObject({ cpuPercent: expect.any(Number) as number });
    expect(run.store!.items).toBeGreaterThan(0);
    expect(renderTable(r)).toMatch(/PostgreSQL server CPU/);
    expect(await benchDatabases()).toEqual(before);
  });

  it("places each pair's sender on relay i and its receiver on relay i+1 (mod N)", async () => {
    const t = await startRelayGroup({ serverUrl: inject('databaseUrl'), relays: 3, placement: 'cross' });
    try {
      const senders = [0, 1, 2, 3].map((i) => t.place!(i).sender);
      expect(new Set(senders).size).toBe(3);
      expect(senders[3]).toBe(senders[0]);
      for (const i of [0, 1, 2]) expect(t.place!(i).receiver).toBe(senders[(i + 1) % 3]);
      // One trainer secret for all three: the first relay's, which works on the others (one database).
      const listed = await new TrainerApi(senders[2]!, { secret: t.secret! }).listExercises();
      expect(listed.length).toBeGreaterThan(0);
      expect(groupSample(await t.stats())?.relays).toHaveLength(3);
    } finally {
      await t.close();
    }
  });

  it.each([2, 4])('runs %i relays on one database with every pair across two relays', async (n) => {
    const r = await runSuite({
      ...base(n),
      postgres: { serverUrl: inject('databaseUrl'), relays: n, placement: 'cross' },
    });
    expectCorrect(r);
    const g = r.relay!.group!;
    expect(g).toMatchObject({ relays: n, placement: 'cross' });
    expect(g.perRelay).toHaveLength(n);
    // Every relay served consoles: each burnt CPU in the window.
    for (const f of g.perRelay) expect(f.cpuPercent).toBeGreaterThan(0);
    // Each commit announces its exercise's head; with 20 msg/s and receipts there were dozens.
    expect(g.notifications.count).toBeGreaterThan(10);
    expect(renderTable(r)).toMatch(new RegExp(`${n} relays \\(postgres\\)`));
  });

  it('compares SQLite and PostgreSQL in one run, side by side with the ratio', async () => {
    const o = base();
    const report = await runCompare({
      kind: 'stores',
      base: o,
      variants: variantsOf('stores', o, inject('databaseUrl')),
      rates: null,
    });
    expect(compareVerdict(report)).toBe('pass');
    const [a, b] = report.variants;
    expect([a.label, b.label]).toEqual(['SQLite', 'PostgreSQL']);
    expect(a.search.reports.map((x) => x.relay!.target.store)).toEqual(['sqlite']);
    expect(b.search.reports.map((x) => x.relay!.target.store)).toEqual(['postgres']);
    for (const x of [...a.search.reports, ...b.search.reports]) expectCorrect(x);
    const p50 = comparedRows(report).find((row) => row.figure === 'p50')!;
    expect(p50.ratio).toBeGreaterThan(0);
    expect(renderCompare(report)).toMatch(/PostgreSQL ÷ SQLite/);
  });

  it('compares both consoles on relay A with Beijing on A and Washington on B, with rate steps', async () => {
    const o = { ...base(), maxP99: { receipt: 10_000 } };
    const report = await runCompare({
      kind: 'cross-relay',
      base: o,
      variants: variantsOf('cross-relay', o, inject('databaseUrl')),
      rates: [20],
    });
    expect(compareVerdict(report)).toBe('pass');
    const placements = report.variants.map((v) => v.search.reports.map((x) => x.relay!.group!.placement));
    expect(placements).toEqual([['same'], ['cross']]);
    for (const v of report.variants) {
      expect(v.search.maxPassingRate).toBe(20);
      for (const x of v.search.reports) expectCorrect(x);
    }
    expect(comparedRows(report).at(-1)).toMatchObject({ figure: 'highest rate held (msg/s)', ratio: 1 });
  });
});
