// The bench's pure helpers: what people type (durations, mixes, thresholds), the relay's /metrics deltas,
// the per-socket memory method and the CPU profile summary. No timing, no sockets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distributionPercentiles } from '../../bench/histograms.js';
import { memoryFigures } from '../../bench/memory.js';
import { checkWorkload, parseDuration, parseMix, parseP99, profileWorkload } from '../../bench/options.js';
import { summariseProfile } from '../../bench/profile-summary.js';
import type { ChildStats } from '../../bench/relay-child.js';
import { parsePrometheus, storeFigures } from '../../bench/store-metrics.js';

describe('bench options', () => {
  it('parses durations, precedence mixes and p99 thresholds', () => {
    expect([
      parseDuration('250us'),
      parseDuration('10ms'),
      parseDuration('1.5s'),
      parseDuration('2m'),
      parseDuration('40'),
    ]).toEqual([0.25, 10, 1500, 120_000, 40]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(parseMix('flash:1, ROUTINE:9')).toEqual({ FLASH: 1, ROUTINE: 9 });
    expect(parseMix('IMMEDIATE')).toEqual({ IMMEDIATE: 1 });
    expect(() => parseMix('URGENT:1')).toThrow(/NAME:WEIGHT/);
    expect(() => parseMix('FLASH:0')).toThrow(/positive/);
    expect(parseP99('10ms', 'receipt')).toEqual({ receipt: 10 });
    expect(parseP99('accepted=5ms,delivered=1s', 'receipt')).toEqual({ accepted: 5, delivered: 1000 });
    expect(() => parseP99('sent=5ms', 'receipt')).toThrow(/unknown metric/);
  });

  it('has profiles, and refuses workloads that cannot run', () => {
    expect(profileWorkload('1000')).toMatchObject({ pairs: 1000, rate: 200 });
    expect(profileWorkload('idle')).toMatchObject({ pairs: 1000, rate: 0 });
    expect(() => profileWorkload('huge')).toThrow(/unknown profile/);
    expect(() => checkWorkload({ ...profileWorkload(undefined), rate: 50_000, durationMs: 60_000 })).toThrow(
      /1,000,000/,
    );
    expect(() => checkWorkload({ ...profileWorkload(undefined), bodyBytes: 20_000 })).toThrow(/body-bytes/);
  });

  it('plots the percentile tail in halving steps, up to 100', () => {
    const ps = distributionPercentiles(10_000);
    expect(ps[0]).toBe(0);
    expect(ps.at(-1)).toBe(100);
    expect(ps).toContain(50);
    expect(ps.some((p) => p > 99.9 && p < 100)).toBe(true);
    expect([...ps].sort((a, b) => a - b)).toEqual(ps);
  });
});

describe('store figures from /metrics', () => {
  const scrape = (
    n: number,
    sum: number,
    b1: number,
    b2: number,
    seconds: number,
  ) => `# HELP hotline_commit_batch_size Entries per durable commit
# TYPE hotline_commit_batch_size histogram
hotline_commit_batch_size_bucket{le="1"} ${b1}
hotline_commit_batch_size_bucket{le="2"} ${b1 + b2}
hotline_commit_batch_size_bucket{le="+Inf"} ${b1 + b2}
hotline_commit_batch_size_sum ${sum}
hotline_commit_batch_size_count ${n}
hotline_commit_seconds_bucket{le="0.0005"} ${n}
hotline_commit_seconds_bucket{le="+Inf"} ${n}
hotline_commit_seconds_sum ${seconds}
hotline_commit_seconds_count ${n}
hotline_items_accepted_total{kind="message"} ${sum / 2}
hotline_items_accepted_total{kind="receipt"} ${sum / 2}
hotline_items_rejected_total{code="SEQ_GAP"} ${n > 10 ? 3 : 1}
`;

  it('takes the window’s deltas: items, commits, batch sizes, commit time, rejections', () => {
    const before = parsePrometheus(scrape(10, 10, 10, 0, 0.01));
    const after = parsePrometheus(scrape(110, 160, 60, 50, 0.06));
    expect(storeFigures(before, after, 2)).toEqual({
      windowSeconds: 2,
      items: 150,
      itemsPerSecond: 75,
      commits: 100,
      meanBatch: 1.5,
      batchSizeBuckets: [
        { le: '1', commits: 50 },
        { le: '2', commits: 50 },
      ],
      meanCommitMs: 0.5,
      commitSecondsBuckets: [{ le: '0.0005', commits: 100 }],
      itemsPerCommitSecond: 3000,
      rejected: { SEQ_GAP: 2 },
    });
  });
});

describe('memory per socket', () => {
  const stats = (rssMb: number, heapMb: number): ChildStats => ({
    cpu: { user: 0, system: 0 },
    at: 0,
    memory: { rss: rssMb * 2 ** 20, heapUsed: heapMb * 2 ** 20, heapTotal: 0, external: 2 ** 20, arrayBuffers: 0 },
  });

  it('uses the second half of the sockets when connected in steps, so freed setup memory does not hide their cost', () => {
    // RSS first falls (setup garbage returned), then grows 5 MB per 1000 sockets.
    const points = [0, 1000, 2000, 3000, 4000].map((sockets, i) => ({
      sockets,
      stats: stats([100, 90, 80, 85, 90][i]!, 10 + sockets / 1000),
    }));
    const m = memoryFigures(points, stats(91, 14));
    expect(m).toMatchObject({
      method: 'second-half',
      sockets: 4000,
      rssPerSocketKb: 5.1,
      heapPerSocketKb: 1,
      rssBeforeMb: 100,
      rssConnectedMb: 90,
      rssEndMb: 91,
    });
    expect(m.points).toHaveLength(5);
  });

  it('falls back to the whole delta with a single step', () => {
    const m = memoryFigures(
      [
        { sockets: 0, stats: stats(50, 10) },
        { sockets: 4, stats: stats(50.5, 10.25) },
      ],
      stats(51, 10),
    );
    expect(m).toMatchObject({ method: 'whole', rssPerSocketKb: 128, heapPerSocketKb: 64 });
  });
});

describe('CPU profile summary', () => {
  it('charges self time to functions, names native frames by their caller, and finds the longest busy stretch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-prof-'));
    try {
      const frame = (functionName: string, url = '') => ({
        functionName,
        url,
        lineNumber: 9,
        columnNumber: 0,
        scriptId: '0',
      });
      const nodes = [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 5] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('commit', 'file:///app/dist/server/store/sqlite.js'), children: [4] },
        { id: 4, callFrame: frame('run') },
        { id: 5, callFrame: frame('(garbage collector)') },
      ];
      // 200 ms idle, then 30 ms in run (under commit) + 10 ms GC without a break, idle, then 5 ms of run.
      const samples = [
        ...new Array<number>(200).fill(2),
        ...new Array<number>(30).fill(4),
        ...new Array<number>(10).fill(5),
        ...new Array<number>(50).fill(2),
        ...new Array<number>(5).fill(4),
      ];
      const file = path.join(dir, 'p.cpuprofile');
      writeFileSync(
        file,
        JSON.stringify({ nodes, startTime: 0, endTime: 295_000, samples, timeDeltas: samples.map(() => 1000) }),
      );
      const s = summariseProfile(file);
      expect(s.totalMs).toBe(295);
      expect(s.busyMs).toBe(45);
      expect(s.topFunctions[0]).toEqual({
        name: 'run',
        where: 'native, called from commit server/store/sqlite.js:10',
        ms: 35,
        percent: 77.8,
      });
      expect(s.byModule[0]).toMatchObject({ name: 'server/store/sqlite.js', ms: 35 });
      expect(s.longestStalls[0]).toMatchObject({ at: 0.2, ms: 40 });
      expect(s.longestStalls[0]!.top.map((t) => t.name)).toEqual(['run', '(garbage collector)']);
      expect(s.longestStalls[1]).toMatchObject({ ms: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
