// `hotline bench --floors` end to end through the built CLI: the relay, the crypto floor (the same relay on
// the volatile store) and the bare relay each run the same tiny workload at two rates, and the three ratios
// come out finite in the table and the JSON. It asserts what ran and that the figures exist, never speed:
// the step limit is loose, and an impossible CPU limit proves a missed ratio fails the run (exit 6).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloorsReport } from '../../bench/floors.js';
import { runToEnd } from '../helpers/cli.js';
import { tempDir } from '../helpers/relay.js';

const dir = tempDir('hotline-floors-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1 pair, 1 s per step, no warmup: about 2 s per target and step. */
const TINY = ['--pairs', '1', '--duration', '1s', '--warmup', '0', '--drain', '3s'];

describe('hotline bench --floors', { timeout: 90_000 }, () => {
  it('runs the relay, the crypto floor and the bare relay with the same steps, and prints and writes the three ratios', async () => {
    const json = path.join(dir, 'floors.json');
    const r = await runToEnd([
      'bench',
      ...TINY,
      '--floors',
      '--rate-steps',
      '60',
      '--max-p99',
      '10s',
      '--max-cpu-ratio',
      '0.01',
      '--min-rate-ratio',
      '0.01',
      '--max-p50-ratio',
      '1000',
      '--json',
      json,
    ]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(6);
    const report = JSON.parse(readFileSync(json, 'utf8')) as FloorsReport;
    expect(report.rates).toEqual([60, 100]);
    const kinds = Object.entries(report.targets).map(([name, s]) => [
      name,
      s.steps.map((x) => x.rate),
      s.reports.map((x) => `${x.relay!.target.kind}/${x.relay!.target.store ?? '-'}`),
    ]);
    expect(kinds).toEqual([
      ['relay', [60, 100], ['relay/sqlite', 'relay/sqlite']],
      ['crypto-floor', [60, 100], ['relay/volatile', 'relay/volatile']],
      ['bare', [60, 100], ['bare/-', 'bare/-']],
    ]);
    for (const s of Object.values(report.targets)) {
      expect(s.steps.every((x) => x.ok)).toBe(true);
      for (const x of s.reports) expect(x.relay!.correctness.ok).toBe(true);
    }

    const { cpu, rate, p50 } = report.ratios;
    for (const v of [cpu.value, rate.value, p50.value]) expect(Number.isFinite(v) && v! > 0).toBe(true);
    expect(cpu.step).toMatchObject({ target: 'relay' });
    expect(cpu.relayCpuPerRoundTripUs).toBeGreaterThan(0);
    expect(cpu.verifyNodeCpuUs).toBeGreaterThan(0);
    expect(cpu.value).toBeCloseTo(cpu.relayCpuPerRoundTripUs! / (2 * cpu.verifyNodeCpuUs!), 1);
    expect(rate).toMatchObject({ relayMaxRate: 100, floorMaxRate: 100, value: 1 });
    expect(p50.relayP50Ms).toBeGreaterThan(0);
    expect(p50.floorP50Ms).toBeGreaterThan(0);

    expect(report.thresholds.map((t) => [t.flag, t.ok])).toEqual([
      ['--max-cpu-ratio', false],
      ['--min-rate-ratio', true],
      ['--max-p50-ratio', true],
    ]);
    expect(report.failures).toEqual([expect.stringMatching(/^--max-cpu-ratio 0\.01: MISSED, the CPU ratio .* above/)]);
    expect(r.stdout).toMatch(/── crypto floor ──/);
    expect(r.stdout).toMatch(/CPU {3}relay CPU per round trip at peak .*: \d+\.\d\d×/);
    expect(r.stdout).toMatch(/from: relay, step (60|100) msg\/s/);
    expect(r.stdout).toMatch(/rate {2}highest rate held \(p99 round trip ≤ 10000 ms\), relay ÷ crypto floor: 1\.00×/);
    expect(r.stdout).toMatch(/p50 {3}round-trip p50 at 100 msg\/s, relay ÷ crypto floor: \d+\.\d\d×/);
    expect(r.stdout).toMatch(/result: FAIL \(--max-cpu-ratio/);
  });

  it('documents the floors in --help, and refuses ratio limits it cannot check before starting any relay', async () => {
    const cases: [string[], RegExp][] = [
      [['--max-cpu-ratio', '1.3'], /add --floors/],
      [['--floors', '--min-rate-ratio', '0.85'], /--min-rate-ratio compares highest rates: add --rate-steps/],
      [['--floors', '--rate', '200', '--max-p50-ratio', '1.5'], /--max-p50-ratio compares p50 at 100 msg\/s/],
      [['--floors', '--store', 'volatile'], /leave out --store/],
      [['--floors', '--max-cpu-ratio', 'low'], /not a number/],
    ];
    const [help, ...runs] = await Promise.all([
      runToEnd(['bench', '--help']),
      ...cases.map(([args]) => runToEnd(['bench', ...TINY, ...args])),
    ]);
    expect(help.stdout).toMatch(/--floors/);
    expect(help.stdout).toMatch(/--max-cpu-ratio 1\.3 --min-rate-ratio 0\.85 --max-p50-ratio 1\.5/);
    expect(help.stdout).toMatch(/Floors \(--floors\)/);
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });
});
