// Two variants of the relay under the same workload in one run, taking turns (as --floors does with its
// targets): --compare-stores (SQLite against PostgreSQL, one relay each) and --cross-relay (two relays on
// PostgreSQL, both consoles of every pair on relay A against sender on A and receiver on B). With rate steps
// the variants alternate at each rate, so a host that drifts during the run affects both alike; each stops at
// its first failed step. compare-report.ts puts their figures side by side with the ratio second ÷ first.
import { stepP99Limits } from './floor-ratios.js';
import type { P99Thresholds, Workload } from './options.js';
import { searchOfSteps, step, type RateSearch, type RateStep } from './rate-steps.js';
import { machine, type BenchReport } from './report.js';
import type { Progress } from './runner.js';
import { runSuite, verdict, type SuiteOptions } from './suite.js';

export type CompareKind = 'stores' | 'cross-relay';

export interface Variant {
  label: string;
  options: SuiteOptions;
}

export interface CompareReport {
  tool: 'hotline bench --compare';
  kind: CompareKind;
  version: 1;
  startedAt: string;
  command: string;
  machine: BenchReport['machine'];
  workload: Workload;
  /** The rates both variants stepped through, or null: one run each at workload.rate. */
  rates: number[] | null;
  p99Limits: P99Thresholds;
  /** The first variant (the reference of every ratio), then the second. */
  variants: [{ label: string; search: RateSearch }, { label: string; search: RateSearch }];
  ok: boolean;
  failures: string[];
}

/** The two variants of a comparison from the run's options (with the server URL it needs). */
export function variantsOf(kind: CompareKind, base: SuiteOptions, serverUrl: string): [Variant, Variant] {
  const { postgres: _given, store: _store, ...common } = base;
  if (kind === 'stores')
    return [
      { label: 'SQLite', options: { ...common, store: 'sqlite' } },
      { label: 'PostgreSQL', options: { ...common, postgres: { serverUrl, relays: 1, placement: 'cross' } } },
    ];
  return [
    { label: 'both on A', options: { ...common, postgres: { serverUrl, relays: 2, placement: 'same' } } },
    { label: 'A → B', options: { ...common, postgres: { serverUrl, relays: 2, placement: 'cross' } } },
  ];
}

export interface CompareOptions {
  kind: CompareKind;
  base: SuiteOptions;
  variants: [Variant, Variant];
  /** Rate steps, or null for one run per variant at the workload's rate. */
  rates: number[] | null;
  onStep?: (label: string, s: RateStep) => void;
}

export async function runCompare(o: CompareOptions): Promise<CompareReport> {
  const startedAt = new Date().toISOString();
  const host = machine();
  const w = o.base.workload;
  const p99Limits = stepP99Limits(o.base.maxP99, w, o.rates !== null);
  const rates = o.rates ?? [w.rate];
  const runs = o.variants.map(() => ({ steps: [] as RateStep[], reports: [] as BenchReport[], stopped: false }));
  for (const rate of rates) {
    for (const [i, v] of o.variants.entries()) {
      const run = runs[i]!;
      if (run.stopped) continue;
      const onProgress = v.options.onProgress;
      const report = await runSuite({
        ...v.options,
        maxP99: p99Limits,
        workload: { ...w, rate },
        ...(onProgress ? { onProgress: (_run: string, p: Progress) => onProgress(v.label, p) } : {}),
      });
      const s = step(rate, report);
      run.steps.push(s);
      run.reports.push(report);
      o.onStep?.(v.label, s);
      if (!s.ok && o.rates) run.stopped = true;
    }
  }
  const variants = o.variants.map((v, i) => ({
    label: v.label,
    search: searchOfSteps(runs[i]!.steps, runs[i]!.reports),
  })) as CompareReport['variants'];
  const failures: string[] = [];
  for (const v of variants)
    v.search.reports.forEach((r, i) => {
      if (verdict(r) === 'incorrect')
        failures.push(`${v.label} at ${v.search.steps[i]!.rate} msg/s: ${r.failures.join('; ')}`);
      else if (!o.rates && verdict(r) === 'threshold') failures.push(`${v.label}: ${r.failures.join('; ')}`);
    });
  if (o.rates)
    for (const v of variants) if (v.search.maxPassingRate === null) failures.push(`${v.label} passed no step`);
  return {
    tool: 'hotline bench --compare',
    kind: o.kind,
    version: 1,
    startedAt,
    command: o.base.command,
    machine: host,
    workload: w,
    rates: o.rates,
    p99Limits,
    variants,
    ok: failures.length === 0,
    failures,
  };
}

/** Correctness failures anywhere outrank missed thresholds. */
export function compareVerdict(r: CompareReport): 'pass' | 'incorrect' | 'threshold' {
  if (r.variants.some((v) => v.search.reports.some((x) => verdict(x) === 'incorrect'))) return 'incorrect';
  return r.ok ? 'pass' : 'threshold';
}
