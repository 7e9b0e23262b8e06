// `hotline bench` end to end, as a user runs it (the built CLI in a child process, which starts its own
// relay and bare relay as further children on 127.0.0.1). Short, bounded runs with loose thresholds: these
// assert correctness and the report's shape, never speed.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report.js';
import { runToEnd } from '../helpers/cli.js';
import { tempDir } from '../helpers/relay.js';

const dir = tempDir('hotline-bench-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny workload: 1 pair, 20 msg/s for 1 s, no warmup. */
const TINY = ['--pairs', '1', '--rate', '20', '--duration', '1s', '--warmup', '0', '--drain', '2s'];

describe('hotline bench', { timeout: 120_000 }, () => {
  it('runs the smoke profile against its own relay and the bare relay, checks everything, and writes JSON and HTML', async () => {
    const json = path.join(dir, 'smoke.json');
    const html = path.join(dir, 'smoke.html');
    const r = await runToEnd([
      'bench',
      '--profile',
      'smoke',
      '--baseline',
      '--max-p99',
      '10s',
      '--min-rate',
      '1',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/submit → receipt back/);
    expect(r.stdout).toMatch(/result: PASS/);

    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.ok).toBe(true);
    const planned = 40 * 2; // rate × (duration + warmup)
    for (const run of [report.relay!, report.baseline!]) {
      expect(run.correctness).toMatchObject({
        ok: true,
        pairs: 2,
        messages: planned,
        receipts: planned,
        faultCounts: {},
      });
      expect(run.errors).toEqual({});
      expect(run.timing.drained).toBe(true);
      expect(run.messages).toEqual({ planned, warmup: 20, measured: 60 });
      for (const m of ['accepted', 'delivered', 'receipt'] as const) {
        expect(run.latency[m].count).toBe(60);
        expect(run.latency[m].p50).toBeGreaterThan(0);
        expect(run.latency[m].p50).toBeLessThanOrEqual(run.latency[m].p99);
        expect(run.latency[m].p99).toBeLessThanOrEqual(run.latency[m].max);
      }
    }
    // Every message and receipt signature, every entry (2 pairs × 3 setup entries), in the relay's logs.
    expect(report.relay!.correctness.verification).toMatchObject({
      mode: 'after-the-fact',
      signatures: 2 * planned,
      entries: 2 * planned + 6,
    });
    expect(report.relay!.correctness.verification.checkpoints).toBeGreaterThan(0);
    expect(report.baseline!.correctness.verification.mode).toBe('skipped');
    expect(report.relay!.relay!.memory.sockets).toBe(4);
    expect(report.relay!.store!.items).toBeGreaterThan(0);
    expect(report.ratios!.receipt.p50).toBeGreaterThan(0);
    expect(report.thresholds.map((t) => t.ok)).toEqual([true, true]);

    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('measures the relay without storage (--store volatile) with the same correctness checks', async () => {
    const r = await runToEnd(['bench', ...TINY, '--store', 'volatile', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as BenchReport;
    expect(report.relay!.correctness.ok).toBe(true);
    expect(report.command).toContain('--store volatile');
  });

  it("drives another build's relay with --relay-build, and names a directory that holds none", async () => {
    const built = path.resolve('dist');
    const r = await runToEnd(['bench', ...TINY, '--relay-build', built, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as BenchReport).relay!.correctness.ok).toBe(true);
    const missing = await runToEnd(['bench', ...TINY, '--relay-build', path.join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot find .*relay-child\.js/);
  });

  it('exits 6 when a threshold is missed, and still reports a correct run', async () => {
    const r = await runToEnd(['bench', ...TINY, '--max-p99', 'accepted=1us', '--min-rate', '1000000', '--json']);
    expect(r.code, r.stderr).toBe(6);
    const report = JSON.parse(r.stdout) as BenchReport;
    expect(report.relay!.correctness.ok).toBe(true);
    expect(report.thresholds.map((t) => [t.name, t.ok])).toEqual([
      ['p99 submit → accepted (ms)', false],
      ['round trips per second', false],
    ]);
    expect(r.stderr).toMatch(/result: FAIL/);
  });

  it('fails the run (exit 5) when the relay drops, duplicates or reorders a message', async () => {
    const runs = await Promise.all(
      (['drop', 'duplicate', 'reorder'] as const).map(async (fault) => ({
        fault,
        r: await runToEnd(['bench', ...TINY, '--baseline', '--inject-fault', fault, '--json']),
      })),
    );
    const expected = { drop: 'lost', duplicate: 'duplicated', reorder: 'reordered' } as const;
    for (const { fault, r } of runs) {
      expect(r.code, `${fault}: ${r.stderr}`).toBe(5);
      const report = JSON.parse(r.stdout) as BenchReport;
      expect(report.relay!.correctness.ok, fault).toBe(true);
      expect(report.baseline!.correctness.ok, fault).toBe(false);
      expect(report.baseline!.correctness.faultCounts[expected[fault]], fault).toBeGreaterThanOrEqual(1);
      expect(report.failures.join(' '), fault).toMatch(/bare relay correctness/);
    }
  });

  it('explains itself with --help and refuses a bad workload', async () => {
    const help = await runToEnd(['bench', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/--max-p99/);
    expect(help.stdout).not.toMatch(/inject-fault/);
    const bad = await runToEnd(['bench', '--duration', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a duration/);
  });
});
