// The three ratios of a floors run (issue 12): the relay against its own signature checks and against the
// crypto floor (the same relay with every check and the volatile store), all measured in the same run, and
// the limits that can fail it. Pure arithmetic over the targets' reports: no load, no sockets.
import type { LatencyMetric } from './measures.js';
import type { P99Thresholds, Workload } from './options.js';
import type { RateSearch } from './rate-steps.js';
import { endToEnd, type BenchReport, type ThresholdResult } from './report.js';

export const FLOOR_TARGETS = ['relay', 'crypto-floor', 'bare'] as const;
export type FloorTarget = (typeof FLOOR_TARGETS)[number];

export const FLOOR_LABEL: Record<FloorTarget, string> = {
  relay: 'relay',
  'crypto-floor': 'crypto floor',
  bare: 'bare relay',
};

/** The p50 ratio compares the targets' runs at this rate (msg/s); a floors search always includes it. */
export const REFERENCE_RATE = 100;
/** What "held" means for the rate ratio when --max-p99 does not say: end-to-end p99 at most 50 ms. */
export const DEFAULT_FLOOR_P99_MS = 50;

/** The p99 limits a comparison's steps are judged by: those given, or with rate steps and none given, the
 * end-to-end round trip at DEFAULT_FLOOR_P99_MS. */
export function stepP99Limits(given: P99Thresholds, w: Workload, stepped: boolean): P99Thresholds {
  return stepped && Object.keys(given).length === 0 ? { [endToEnd(w)]: DEFAULT_FLOOR_P99_MS } : given;
}

/** Where a figure comes from: one target, one step (one fresh relay at one rate). */
export interface StepRef {
  target: FloorTarget;
  rate: number;
  /** Round trips per second completed in the window (accepted messages with --no-receipts). */
  achieved: number;
  p99Ms: number;
  /** The step met its thresholds and was correct. */
  passed: boolean;
}

export interface CpuRatio {
  /** Relay CPU per round trip at its peak ÷ (checksPerRoundTrip × one node:crypto verification's CPU). */
  value: number | null;
  /** process.cpuUsage() of the relay child over the window ÷ round trips completed in it, µs. */
  relayCpuPerRoundTripUs: number | null;
  /** CPU µs of one node:crypto Ed25519 verification: the micro-benchmark run just before that step. */
  verifyNodeCpuUs: number | null;
  /** 2 (the message and its receipt), 1 with --no-receipts. */
  checksPerRoundTrip: number;
  /** The peak: the relay's correct step with the most round trips per second. */
  step: StepRef | null;
  /** The same figures for the crypto floor, for reference (not a ratio with a limit). */
  floor: { value: number | null; cpuPerRoundTripUs: number | null; step: StepRef | null };
  why?: string;
}

export interface RateRatio {
  /** Highest rate held by the relay ÷ highest rate held by the crypto floor. */
  value: number | null;
  relayMaxRate: number | null;
  floorMaxRate: number | null;
  /** The target passed every step it was given, so its real highest rate may be above the list. */
  relayTopPassed: boolean;
  floorTopPassed: boolean;
  why?: string;
}

export interface P50Ratio {
  /** p50 of the relay ÷ p50 of the crypto floor, each at REFERENCE_RATE. */
  value: number | null;
  rate: number;
  metric: LatencyMetric;
  relayP50Ms: number | null;
  floorP50Ms: number | null;
  why?: string;
}

export interface FloorRatios {
  cpu: CpuRatio;
  rate: RateRatio;
  p50: P50Ratio;
}

export interface RatioLimits {
  maxCpuRatio?: number;
  minRateRatio?: number;
  maxP50Ratio?: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

function stepRef(target: FloorTarget, rate: number, r: BenchReport): StepRef {
  const run = r.relay!;
  const metric = endToEnd(run.workload);
  return {
    target,
    rate,
    achieved: run.workload.receipts ? run.rate.receipts : run.rate.accepted,
    p99Ms: run.latency[metric].p99,
    passed: r.ok,
  };
}

/** The correct step with the most round trips per second that has a CPU figure (a started relay's). */
export function peakStep(target: FloorTarget, search: RateSearch): { ref: StepRef; report: BenchReport } | null {
  let best: { ref: StepRef; report: BenchReport } | null = null;
  search.reports.forEach((report, i) => {
    const run = report.relay;
    if (!run?.correctness.ok || run.relay?.cpuPerRoundTripUs === null || run.relay?.cpuPerRoundTripUs === undefined)
      return;
    const ref = stepRef(target, search.steps[i]!.rate, report);
    if (!best || ref.achieved > best.ref.achieved) best = { ref, report };
  });
  return best;
}

function cpuFigures(target: FloorTarget, search: RateSearch) {
  const peak = peakStep(target, search);
  if (!peak) return null;
  const run = peak.report.relay!;
  const checks = run.workload.receipts ? 2 : 1;
  const perRoundTrip = run.relay!.cpuPerRoundTripUs!;
  const verify = peak.report.calibration.verifyNodeCpuUs;
  return {
    step: peak.ref,
    perRoundTrip,
    verify,
    checks,
    value: verify > 0 ? r2(perRoundTrip / (checks * verify)) : null,
  };
}

export function cpuRatio(relay: RateSearch, floor: RateSearch): CpuRatio {
  const mine = cpuFigures('relay', relay);
  const theirs = cpuFigures('crypto-floor', floor);
  const receipts = relay.reports[0]?.workload.receipts ?? true;
  return {
    value: mine?.value ?? null,
    relayCpuPerRoundTripUs: mine?.perRoundTrip ?? null,
    verifyNodeCpuUs: mine?.verify ?? null,
    checksPerRoundTrip: mine?.checks ?? (receipts ? 2 : 1),
    step: mine?.step ?? null,
    floor: {
      value: theirs?.value ?? null,
      cpuPerRoundTripUs: theirs?.perRoundTrip ?? null,
      step: theirs?.step ?? null,
    },
    ...(mine ? {} : { why: 'no correct relay step with a CPU figure' }),
  };
}

/** `stepped`: the targets ran a rate search; one fixed rate finds no highest rate. */
export function rateRatio(relay: RateSearch, floor: RateSearch, stepped: boolean): RateRatio {
  const topPassed = (s: RateSearch) => s.steps.length > 0 && s.steps.every((x) => x.ok);
  const base = {
    relayMaxRate: relay.maxPassingRate,
    floorMaxRate: floor.maxPassingRate,
    relayTopPassed: topPassed(relay),
    floorTopPassed: topPassed(floor),
  };
  const why = !stepped
    ? 'one fixed rate: add --rate-steps to find each target’s highest rate'
    : relay.maxPassingRate === null
      ? 'the relay passed no step'
      : floor.maxPassingRate === null
        ? 'the crypto floor passed no step'
        : undefined;
  if (why) return { value: null, ...base, why };
  return { value: r2(relay.maxPassingRate! / floor.maxPassingRate!), ...base };
}

/** A target's end-to-end p50 at one step, or null when it has no step at that rate. */
export function p50At(search: RateSearch, rate: number): { p50: number | null; metric: LatencyMetric } | null {
  const i = search.steps.findIndex((s) => s.rate === rate);
  const run = i < 0 ? undefined : search.reports[i]?.relay;
  if (!run) return null;
  const metric = endToEnd(run.workload);
  const s = run.latency[metric];
  return { p50: run.correctness.ok && s.count > 0 ? s.p50 : null, metric };
}

export function p50Ratio(relay: RateSearch, floor: RateSearch, rate = REFERENCE_RATE): P50Ratio {
  const mine = p50At(relay, rate);
  const theirs = p50At(floor, rate);
  const metric = mine?.metric ?? theirs?.metric ?? 'receipt';
  const relayP50Ms = mine?.p50 ?? null;
  const floorP50Ms = theirs?.p50 ?? null;
  const base = { rate, metric, relayP50Ms, floorP50Ms };
  if (!mine || !theirs) return { value: null, ...base, why: `no step at ${rate} msg/s for both targets` };
  if (relayP50Ms === null || floorP50Ms === null || floorP50Ms <= 0)
    return { value: null, ...base, why: `the ${rate} msg/s step of a target was not correct or measured nothing` };
  return { value: r2(relayP50Ms / floorP50Ms), ...base };
}

export function floorRatios(relay: RateSearch, floor: RateSearch, stepped: boolean): FloorRatios {
  return { cpu: cpuRatio(relay, floor), rate: rateRatio(relay, floor, stepped), p50: p50Ratio(relay, floor) };
}

export interface RatioThreshold extends ThresholdResult {
  /** The flag that set it: --max-cpu-ratio, --min-rate-ratio or --max-p50-ratio. */
  flag: string;
  /** Why the ratio is missing, when actual is null. */
  why?: string;
}

/** A limit set on a ratio that could not be measured is missed: the run cannot show it holds. */
export function checkRatioLimits(r: FloorRatios, l: RatioLimits): RatioThreshold[] {
  const out: RatioThreshold[] = [];
  const add = (
    flag: string,
    name: string,
    limit: number | undefined,
    ratio: { value: number | null; why?: string },
  ) => {
    if (limit === undefined) return;
    const actual = ratio.value;
    const atMost = flag.startsWith('--max');
    const ok = actual !== null && (atMost ? actual <= limit : actual >= limit);
    out.push({ name, flag, limit, actual, ok, ...(actual === null && ratio.why ? { why: ratio.why } : {}) });
  };
  add('--max-cpu-ratio', 'CPU ratio', l.maxCpuRatio, r.cpu);
  add('--min-rate-ratio', 'rate ratio', l.minRateRatio, r.rate);
  add('--max-p50-ratio', 'p50 ratio', l.maxP50Ratio, r.p50);
  return out;
}

/** One line for a ratio limit: met, or missed and why. */
export function ratioThresholdText(t: RatioThreshold): string {
  const atMost = t.flag.startsWith('--max');
  if (t.actual === null)
    return `${t.flag} ${t.limit}: MISSED, the ${t.name} was not measured (${t.why ?? 'no figure'})`;
  const side = atMost ? (t.ok ? 'at most' : 'above') : t.ok ? 'at least' : 'below';
  return `${t.flag} ${t.limit}: ${t.ok ? 'met' : 'MISSED'}, the ${t.name} ${t.actual.toFixed(2)}× is ${side} the limit`;
}
