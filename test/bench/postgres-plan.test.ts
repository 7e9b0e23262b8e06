// The pieces of `hotline bench` on PostgreSQL that need no server: what the store flags refuse before any
// relay starts, /proc/PID/stat parsing for the server's CPU, the relays' /metrics summed, and the ratios.
import { describe, expect, it } from 'vitest';
import { storePlan } from '../../cli/bench-postgres.js';
import { ratioOf } from '../../bench/compare-report.js';
import { profileWorkload } from '../../bench/options.js';
import { parseProcStat } from '../../bench/pg-server-cpu.js';
import { sumMetrics } from '../../bench/relay-group.js';
import { parsePrometheus } from '../../bench/store-metrics.js';

const URL = 'postgres://bench:pw@127.0.0.1:5432/postgres';
const workload = profileWorkload(undefined);

describe('the store flags of hotline bench', () => {
  it('take sqlite, volatile or a postgres:// URL, with N relays', () => {
    expect(storePlan({}, { workload })).toEqual({ kind: 'single' });
    expect(storePlan({ store: 'volatile' }, { workload })).toEqual({ kind: 'single', store: 'volatile' });
    expect(storePlan({ store: URL, relays: '4' }, { workload })).toEqual({
      kind: 'single',
      postgres: { serverUrl: URL, relays: 4, placement: 'cross' },
    });
    expect(storePlan({ store: URL, compareStores: true, rateSteps: '500,200' }, { workload })).toEqual({
      kind: 'compare',
      compare: 'stores',
      serverUrl: URL,
      rates: [200, 500],
    });
    expect(storePlan({ store: URL, crossRelay: true, relays: '2' }, { workload })).toMatchObject({
      compare: 'cross-relay',
      rates: null,
    });
  });

  it.each([
    [{ store: 'mysql://x' }, /not sqlite, volatile or a postgres/],
    [{ relays: '2' }, /--relays runs relays on PostgreSQL/],
    [{ store: 'sqlite', compareStores: true }, /--compare-stores runs relays on PostgreSQL/],
    [{ store: URL, relays: '0' }, /whole number from 1 to 16/],
    [{ store: URL, relays: '1.5' }, /whole number/],
    [{ store: URL, compareStores: true, relays: '2' }, /one relay on each store/],
    [{ store: URL, crossRelay: true, relays: '4' }, /two relays/],
    [{ store: URL, crossRelay: true, compareStores: true }, /give one of them/],
    [{ store: URL, relayBuild: '/tmp/dist' }, /--relay-build/],
    [{ store: URL, compareStores: true, cpuProf: 'x.cpuprofile' }, /--cpu-prof/],
  ])('refuse %o', (flags, why) => {
    expect(() => storePlan(flags, { workload })).toThrow(why);
  });

  it('refuse PostgreSQL with --url, and a comparison without messages', () => {
    expect(() => storePlan({ store: URL }, { workload, remote: { url: 'http://x', secret: 's' } })).toThrow(/--url/);
    expect(() => storePlan({ store: URL, crossRelay: true }, { workload: { ...workload, rate: 0 } })).toThrow(
      /needs messages/,
    );
  });
});

describe('the PostgreSQL server CPU', () => {
  it('reads ppid and the own and reaped CPU ticks of /proc/PID/stat, whatever the command holds', () => {
    const line = '4242 (postgres: a (b) c) S 4000 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 1000 1 1 0 0 0';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'postgres: a (b) c',
      ppid: 4000,
      ownUs: 300 * 10_000,
      childrenUs: 10 * 10_000,
    });
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe('several relays', () => {
  it("sum their /metrics sample by sample, in the first relay's order", () => {
    const a = '# HELP x\nhotline_commit_batch_size_bucket{le="1"} 3\nhotline_commit_batch_size_count 4\n';
    const b = 'hotline_commit_batch_size_count 6\nhotline_commit_batch_size_bucket{le="1"} 2\nother 1\n';
    const sum = parsePrometheus(sumMetrics([a, b]));
    expect([...sum]).toEqual([
      ['hotline_commit_batch_size_bucket{le="1"}', 5],
      ['hotline_commit_batch_size_count', 10],
      ['other', 1],
    ]);
  });

  it('compare as second ÷ first, and not at all without both', () => {
    expect(ratioOf(2, 3)).toBe(1.5);
    expect(ratioOf(0, 3)).toBeNull();
    expect(ratioOf(null, 3)).toBeNull();
  });
});
