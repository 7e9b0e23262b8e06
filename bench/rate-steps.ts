// Finding the highest sustained rate: the same workload at rising rates, each step a full run on a fresh
// relay, until a step misses the thresholds or fails. The answer is the last rate that passed, with the
// generator's own load at that step so a reader can tell whether the relay or the generator was the limit.
import { groupStepLine } from './group-figures.js';
import type { BenchReport } from './report.js';
import { runSuite, type SuiteOptions } from './suite.js';

export interface RateStep {
  rate: number;
  ok: boolean;
  /** Why the step failed, if it did. */
  failures: string[];
  achieved: number;
  p99: { accepted: number; delivered: number; receipt: number };
  relayCpuPercent: number | null;
  generatorCpuPercent: number;
  otherCores: number | null;
}

export interface RateSearch {
  tool: 'hotline bench --rate-steps';
  steps: RateStep[];
  /** The highest rate whose step passed (thresholds and correctness); null when none did. */
  maxPassingRate: number | null;
  reports: BenchReport[];
}

export function parseRates(text: string): number[] {
  const rates = text.split(',').map((s) => Number(s.trim()));
  if (rates.length === 0 || rates.some((r) => !(r > 0)))
    throw new RangeError('--rate-steps takes positive rates, e.g. 200,400,600');
  return [...rates].sort((a, b) => a - b);
}

/** One step's figures from its report (floors.ts builds its searches with it too). */
export function step(rate: number, r: BenchReport): RateStep {
  const run = r.relay!;
  return {
    rate,
    ok: r.ok,
    failures: r.failures,
    achieved: run.workload.receipts ? run.rate.receipts : run.rate.accepted,
    p99: { accepted: run.latency.accepted.p99, delivered: run.latency.delivered.p99, receipt: run.latency.receipt.p99 },
    relayCpuPercent: run.relay?.cpuPercent ?? null,
    generatorCpuPercent: run.generator.cpuPercent,
    otherCores: run.host?.otherCores ?? null,
  };
}

/** Runs each rate in turn; `keepGoing` runs every step even after one failed. */
export async function searchRates(
  rates: number[],
  base: SuiteOptions,
  onStep?: (s: RateStep) => void,
  keepGoing = false,
): Promise<RateSearch> {
  const steps: RateStep[] = [];
  const reports: BenchReport[] = [];
  for (const rate of rates) {
    const report = await runSuite({ ...base, workload: { ...base.workload, rate } });
    reports.push(report);
    const s = step(rate, report);
    steps.push(s);
    onStep?.(s);
    if (!s.ok && !keepGoing) break;
  }
  let maxPassingRate: number | null = null;
  for (const s of steps) {
    if (!s.ok) break;
    maxPassingRate = s.rate;
  }
  return { tool: 'hotline bench --rate-steps', steps, maxPassingRate, reports };
}

export function renderSteps(search: RateSearch): string {
  const lines = [
    `${'rate/s'.padStart(8)}${'achieved'.padStart(10)}${'p99 acc'.padStart(10)}${'p99 dlv'.padStart(10)}${'p99 rcpt'.padStart(10)}${'relay%'.padStart(8)}${'gen%'.padStart(7)}${'other'.padStart(7)}  result`,
  ];
  for (const s of search.steps) {
    lines.push(
      `${String(s.rate).padStart(8)}${String(s.achieved).padStart(10)}${s.p99.accepted.toFixed(1).padStart(10)}${s.p99.delivered.toFixed(1).padStart(10)}${s.p99.receipt.toFixed(1).padStart(10)}${String(s.relayCpuPercent ?? '-').padStart(8)}${String(s.generatorCpuPercent).padStart(7)}${String(s.otherCores ?? '-').padStart(7)}  ${s.ok ? 'pass' : `FAIL: ${s.failures.join('; ')}`}`,
    );
  }
  const onPg = search.steps
    .map((s, i) => search.reports[i]?.relay && groupStepLine(s.rate, search.reports[i].relay))
    .filter((l): l is string => Boolean(l));
  if (onPg.length) lines.push('on PostgreSQL:', ...onPg);
  lines.push(`highest rate that passed: ${search.maxPassingRate === null ? 'none' : `${search.maxPassingRate} msg/s`}`);
  return lines.join('\n');
}

/** The steps run in turn by a comparison (floors.ts, compare.ts), as a search: the highest rate before the first
 * step that failed. */
export function searchOfSteps(steps: RateStep[], reports: BenchReport[]): RateSearch {
  let maxPassingRate: number | null = null;
  for (const s of steps) {
    if (!s.ok) break;
    maxPassingRate = s.rate;
  }
  return { tool: 'hotline bench --rate-steps', steps, maxPassingRate, reports };
}
