// `hotline bench --floors`: the same workload, in the same run and with identical settings, against the
// relay as configured (SQLite store), the crypto floor (the same relay with every check and the volatile
// store: no storage, no fsync) and the bare WebSocket relay; then the three ratios of floor-ratios.ts.
// With rate steps the targets take turns at each rate (relay, crypto floor, bare, then the next rate), so
// a host that drifts during the run affects all three alike; each target stops at its first failed step.
import {
  checkRatioLimits,
  stepP99Limits,
  FLOOR_LABEL,
  FLOOR_TARGETS,
  floorRatios,
  REFERENCE_RATE,
  type FloorRatios,
  type FloorTarget,
  ratioThresholdText,
  type RatioLimits,
  type RatioThreshold,
} from './floor-ratios.js';
import type { P99Thresholds, Workload } from './options.js';
import { searchOfSteps, step, type RateSearch, type RateStep } from './rate-steps.js';
import { machine, type BenchReport } from './report.js';
import type { Progress } from './runner.js';
import { runSuite, verdict, type SuiteOptions } from './suite.js';

export interface FloorsReport {
  tool: 'hotline bench --floors';
  version: 1;
  startedAt: string;
  command: string;
  machine: BenchReport['machine'];
  workload: Workload;
  /** The rates each target stepped through, or null: one run each at workload.rate. */
  rates: number[] | null;
  /** What a step must meet to pass (with rate steps, at least the default p99 limit). */
  p99Limits: P99Thresholds;
  /** Each target's runs, a one-step search when there are no rate steps. */
  targets: Record<FloorTarget, RateSearch>;
  ratios: FloorRatios;
  /** The ratio limits (--max-cpu-ratio, --min-rate-ratio, --max-p50-ratio). */
  thresholds: RatioThreshold[];
  ok: boolean;
  failures: string[];
}

/** The steps of a floors search: the given rates and the p50 reference rate, ascending, each once. */
export function floorRates(rates: number[]): number[] {
  return [...new Set([...rates, REFERENCE_RATE])].sort((a, b) => a - b);
}

function suiteFor(target: FloorTarget, base: SuiteOptions): SuiteOptions {
  // The CPU profile, when asked for, is the relay's; the floors run without the profiler's overhead.
  const { cpuProfile, onProgress, ...common } = base;
  const shared: SuiteOptions = {
    ...common,
    baseline: false,
    ...(onProgress ? { onProgress: (_run: string, p: Progress) => onProgress(FLOOR_LABEL[target], p) } : {}),
  };
  if (target === 'relay') return { ...shared, subject: 'relay', ...(cpuProfile ? { cpuProfile } : {}) };
  if (target === 'crypto-floor') return { ...shared, subject: 'relay', store: 'volatile' };
  return { ...shared, subject: 'bare' };
}

export interface FloorsOptions {
  base: SuiteOptions;
  /** Rate steps (floorRates adds the reference rate), or null for one run per target at the workload's rate. */
  rates: number[] | null;
  limits: RatioLimits;
  onStep?: (target: FloorTarget, s: RateStep) => void;
}

export async function runFloors(o: FloorsOptions): Promise<FloorsReport> {
  const startedAt = new Date().toISOString();
  const host = machine();
  const w = o.base.workload;
  const p99Limits = stepP99Limits(o.base.maxP99, w, o.rates !== null);
  const base = { ...o.base, maxP99: p99Limits };
  const rates = o.rates ? floorRates(o.rates) : [w.rate];
  interface Runs {
    steps: RateStep[];
    reports: BenchReport[];
    stopped: boolean;
  }
  const fresh = (): Runs => ({ steps: [], reports: [], stopped: false });
  const runs: Record<FloorTarget, Runs> = { relay: fresh(), 'crypto-floor': fresh(), bare: fresh() };
  for (const rate of rates) {
    for (const target of FLOOR_TARGETS) {
      const run = runs[target];
      if (run.stopped) continue;
      const report = await runSuite({ ...suiteFor(target, base), workload: { ...w, rate } });
      const s = step(rate, report);
      run.steps.push(s);
      run.reports.push(report);
      o.onStep?.(target, s);
      if (!s.ok && o.rates) run.stopped = true;
    }
  }
  const targets = Object.fromEntries(
    FLOOR_TARGETS.map((t) => [t, searchOfSteps(runs[t].steps, runs[t].reports)]),
  ) as Record<FloorTarget, RateSearch>;
  const ratios = floorRatios(targets.relay, targets['crypto-floor'], o.rates !== null);
  const thresholds = checkRatioLimits(ratios, o.limits);
  const failures: string[] = [];
  for (const t of FLOOR_TARGETS)
    targets[t].reports.forEach((r, i) => {
      if (verdict(r) === 'incorrect')
        failures.push(`${FLOOR_LABEL[t]} at ${targets[t].steps[i]!.rate} msg/s: ${r.failures.join('; ')}`);
    });
  const relayOnly = targets.relay.reports[0];
  if (!o.rates && relayOnly && verdict(relayOnly) === 'threshold') failures.push(...relayOnly.failures);
  if (o.rates && targets.relay.maxPassingRate === null) failures.push('the relay passed no step');
  for (const t of thresholds) if (!t.ok) failures.push(ratioThresholdText(t));
  return {
    tool: 'hotline bench --floors',
    version: 1,
    startedAt,
    command: o.base.command,
    machine: host,
    workload: w,
    rates: o.rates ? rates : null,
    p99Limits,
    targets,
    ratios,
    thresholds,
    ok: failures.length === 0,
    failures,
  };
}

/** Correctness failures anywhere outrank missed thresholds. */
export function floorsVerdict(r: FloorsReport): 'pass' | 'incorrect' | 'threshold' {
  if (FLOOR_TARGETS.some((t) => r.targets[t].reports.some((x) => verdict(x) === 'incorrect'))) return 'incorrect';
  return r.ok ? 'pass' : 'threshold';
}
