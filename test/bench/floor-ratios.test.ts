// The floors run's arithmetic (issue 12): which step each ratio comes from, the ratios themselves, the
// limits that fail a run, and the printed inputs. Reports are built by hand: no load, no sockets.
import { describe, expect, it } from 'vitest';
import {
  checkRatioLimits,
  cpuRatio,
  floorRatios,
  p50Ratio,
  rateRatio,
  ratioThresholdText,
  type FloorRatios,
} from '../../bench/floor-ratios.js';
import { renderFloors } from '../../bench/floors-report.js';
import { floorRates, floorsVerdict, type FloorsReport } from '../../bench/floors.js';
import type { RateSearch } from '../../bench/rate-steps.js';
import type { BenchReport } from '../../bench/report.js';

interface StepSpec {
  rate: number;
  /** Round trips per second achieved in the window. */
  achieved?: number;
  p50?: number;
  p99?: number;
  cpuUs?: number | null;
  verifyUs?: number;
  ok?: boolean;
  correct?: boolean;
  receipts?: boolean;
}

/** Just the fields the ratios read, in a report's shape. */
function report(s: StepSpec): BenchReport {
  const receipts = s.receipts ?? true;
  const latency = { p50: s.p50 ?? 2, p90: 3, p99: s.p99 ?? 5, 'p99.9': 6, max: 7, count: 100 };
  const none = { ...latency, count: 0 };
  const achieved = s.achieved ?? s.rate;
  return {
    ok: (s.ok ?? true) && (s.correct ?? true),
    failures: s.correct === false ? ['relay correctness: 1 lost'] : s.ok === false ? ['threshold p99'] : [],
    thresholds: s.ok === false ? [{ name: 'p99', limit: 50, actual: 80, ok: false }] : [],
    calibration: { verifyNodeCpuUs: s.verifyUs ?? 100 },
    workload: { receipts },
    baseline: null,
    relay: {
      workload: { receipts },
      rate: { receipts: receipts ? achieved : 0, accepted: achieved },
      latency: { accepted: latency, delivered: latency, receipt: receipts ? latency : none },
      correctness: { ok: s.correct ?? true },
      relay: s.cpuUs === null ? null : { cpuPerRoundTripUs: s.cpuUs ?? 500 },
    },
  } as unknown as BenchReport;
}

function search(specs: StepSpec[]): RateSearch {
  const reports = specs.map(report);
  const steps = specs.map((s, i) => ({
    rate: s.rate,
    ok: reports[i]!.ok,
    failures: reports[i]!.failures,
    achieved: s.achieved ?? s.rate,
    p99: { accepted: s.p99 ?? 5, delivered: s.p99 ?? 5, receipt: s.p99 ?? 5 },
    relayCpuPercent: 50,
    generatorCpuPercent: 20,
    otherCores: 0,
  }));
  let maxPassingRate: number | null = null;
  for (const st of steps) {
    if (!st.ok) break;
    maxPassingRate = st.rate;
  }
  return { tool: 'hotline bench --rate-steps', steps, maxPassingRate, reports };
}

describe('the CPU ratio', () => {
  it("divides the relay's CPU per round trip at its peak step by two verifications from that step's micro-benchmark", () => {
    const relay = search([
      { rate: 100, cpuUs: 2000, verifyUs: 90 },
      { rate: 1000, achieved: 990, cpuUs: 600, verifyUs: 110 },
      // Missed its p99 but correct: still the peak, the most round trips per second.
      { rate: 1400, achieved: 1300, cpuUs: 440, verifyUs: 100, p99: 72, ok: false },
    ]);
    const floor = search([
      { rate: 100, cpuUs: 1500 },
      { rate: 1400, achieved: 1400, cpuUs: 300, verifyUs: 120 },
    ]);
    const c = cpuRatio(relay, floor);
    expect(c).toMatchObject({
      value: 2.2,
      relayCpuPerRoundTripUs: 440,
      verifyNodeCpuUs: 100,
      checksPerRoundTrip: 2,
      step: { target: 'relay', rate: 1400, achieved: 1300, p99Ms: 72, passed: false },
      floor: { value: 1.25, cpuPerRoundTripUs: 300, step: { target: 'crypto-floor', rate: 1400 } },
    });
    expect(c.why).toBeUndefined();
  });

  it('skips an incorrect step even when it achieved more, and counts one check per message without receipts', () => {
    const relay = search([
      { rate: 500, achieved: 500, cpuUs: 300, verifyUs: 100, receipts: false },
      { rate: 900, achieved: 880, cpuUs: 100, verifyUs: 100, receipts: false, correct: false },
    ]);
    const c = cpuRatio(relay, search([]));
    expect(c).toMatchObject({ value: 3, checksPerRoundTrip: 1, step: { rate: 500 } });
    expect(c.floor).toEqual({ value: null, cpuPerRoundTripUs: null, step: null });
  });

  it('has no value, and says why, when no relay step has a CPU figure', () => {
    const c = cpuRatio(search([{ rate: 100, cpuUs: null }]), search([{ rate: 100 }]));
    expect(c.value).toBeNull();
    expect(c.why).toMatch(/no correct relay step/);
  });
});

describe('the rate ratio', () => {
  it('divides the highest rates held (before the first failed step), and marks a target that passed every step', () => {
    const relay = search([{ rate: 100 }, { rate: 1000 }, { rate: 1400, ok: false }, { rate: 1600 }]);
    const floor = search([{ rate: 100 }, { rate: 1000 }, { rate: 1400 }]);
    expect(rateRatio(relay, floor, true)).toEqual({
      value: 0.71,
      relayMaxRate: 1000,
      floorMaxRate: 1400,
      relayTopPassed: false,
      floorTopPassed: true,
    });
  });

  it('is not measured at one fixed rate, nor when a target passed no step', () => {
    const pass = search([{ rate: 100 }]);
    const fail = search([{ rate: 100, ok: false }]);
    const fixed = rateRatio(pass, pass, false);
    expect(fixed.value).toBeNull();
    expect(fixed.why).toMatch(/--rate-steps/);
    expect(rateRatio(fail, pass, true)).toMatchObject({ value: null, why: 'the relay passed no step' });
    expect(rateRatio(pass, fail, true)).toMatchObject({ value: null, why: 'the crypto floor passed no step' });
  });
});

describe('the p50 ratio', () => {
  it("divides the targets' end-to-end p50 at 100 msg/s, whatever the other steps", () => {
    const relay = search([
      { rate: 50, p50: 9 },
      { rate: 100, p50: 2.9 },
      { rate: 800, p50: 20 },
    ]);
    const floor = search([
      { rate: 100, p50: 1.35 },
      { rate: 800, p50: 3 },
    ]);
    expect(p50Ratio(relay, floor)).toEqual({
      value: 2.15,
      rate: 100,
      metric: 'receipt',
      relayP50Ms: 2.9,
      floorP50Ms: 1.35,
    });
  });

  it('uses delivery without receipts, and has no value without a correct step at 100 msg/s on both', () => {
    const noReceipts = search([{ rate: 100, p50: 3, receipts: false }]);
    expect(p50Ratio(noReceipts, search([{ rate: 100, p50: 2, receipts: false }]))).toMatchObject({
      value: 1.5,
      metric: 'delivered',
    });
    expect(p50Ratio(search([{ rate: 200 }]), search([{ rate: 100 }])).why).toMatch(/no step at 100 msg\/s/);
    expect(p50Ratio(search([{ rate: 100, correct: false }]), search([{ rate: 100 }])).why).toMatch(/not correct/);
  });
});

describe('ratio limits', () => {
  const ratios = (cpu: number | null, rate: number | null, p50: number | null): FloorRatios => {
    const r = floorRatios(search([{ rate: 100 }]), search([{ rate: 100 }]), true);
    return {
      cpu: { ...r.cpu, value: cpu },
      rate: { ...r.rate, value: rate, ...(rate === null ? { why: 'the relay passed no step' } : {}) },
      p50: { ...r.p50, value: p50 },
    };
  };
  const limits = { maxCpuRatio: 1.3, minRateRatio: 0.85, maxP50Ratio: 1.5 };

  it('meets a limit at exactly the limit, and misses above a maximum or below a minimum', () => {
    expect(checkRatioLimits(ratios(1.3, 0.85, 1.5), limits).map((t) => t.ok)).toEqual([true, true, true]);
    const missed = checkRatioLimits(ratios(1.31, 0.84, 1.51), limits);
    expect(missed.map((t) => [t.flag, t.ok, t.actual])).toEqual([
      ['--max-cpu-ratio', false, 1.31],
      ['--min-rate-ratio', false, 0.84],
      ['--max-p50-ratio', false, 1.51],
    ]);
    expect(missed.map(ratioThresholdText)).toEqual([
      '--max-cpu-ratio 1.3: MISSED, the CPU ratio 1.31× is above the limit',
      '--min-rate-ratio 0.85: MISSED, the rate ratio 0.84× is below the limit',
      '--max-p50-ratio 1.5: MISSED, the p50 ratio 1.51× is above the limit',
    ]);
  });

  it('checks only the limits given, and misses one whose ratio was not measured, saying why', () => {
    expect(checkRatioLimits(ratios(5, 0.1, 9), {})).toEqual([]);
    const [t] = checkRatioLimits(ratios(1, null, 1), { minRateRatio: 0.85 });
    expect(t).toMatchObject({ ok: false, actual: null, why: 'the relay passed no step' });
    expect(ratioThresholdText(t!)).toBe(
      '--min-rate-ratio 0.85: MISSED, the rate ratio was not measured (the relay passed no step)',
    );
  });
});

describe('a floors report', () => {
  it('steps through the given rates and the p50 reference rate, each once, ascending', () => {
    expect(floorRates([800, 400])).toEqual([100, 400, 800]);
    expect(floorRates([100, 50])).toEqual([50, 100]);
  });

  it('prints each ratio with its inputs, the target and step each comes from, and the limits', () => {
    const relay = search([
      { rate: 100, p50: 2.9, cpuUs: 1600 },
      { rate: 1000, achieved: 980, cpuUs: 480, p99: 44 },
    ]);
    const floor = search([
      { rate: 100, p50: 1.35, cpuUs: 1200 },
      { rate: 1000, cpuUs: 330 },
    ]);
    const bare = search([
      { rate: 100, p50: 0.4, cpuUs: 200 },
      { rate: 1000, cpuUs: 90 },
    ]);
    const ratios = floorRatios(relay, floor, true);
    const thresholds = checkRatioLimits(ratios, { maxCpuRatio: 1.3, maxP50Ratio: 2.5 });
    const r = {
      workload: { pairs: 10, durationMs: 10_000, warmupMs: 2_000, bodyBytes: 256, receipts: true, rate: 100 },
      rates: [100, 1000],
      p99Limits: { receipt: 50 },
      targets: { relay, 'crypto-floor': floor, bare },
      ratios,
      thresholds,
      ok: false,
      failures: thresholds.filter((t) => !t.ok).map(ratioThresholdText),
    } as unknown as FloorsReport;
    const text = renderFloors(r);
    expect(text).toContain('relay CPU per round trip at peak');
    expect(text).toContain('2.40×');
    expect(text).toContain('= 480 µs ÷ (2 × 100 µs)');
    expect(text).toContain('from: relay, step 1,000 msg/s (achieved 980/s, p99 44.0 ms, passed)');
    expect(text).toContain('the crypto floor: 330 µs per round trip, 1.65×');
    expect(text).toContain('highest rate held (p99 round trip ≤ 50 ms), relay ÷ crypto floor: 1.00×');
    expect(text).toContain('relay 1,000 msg/s (every step passed: at least this)');
    expect(text).toContain('caution: both targets passed every step, so this ratio is undetermined');
    expect(text).toContain('round-trip p50 at 100 msg/s, relay ÷ crypto floor: 2.15×');
    expect(text).toContain('= 2.90 ÷ 1.35 ms');
    expect(text).toMatch(/p50 at 100 msg\/s \(ms\)\s+2\.90\s+1\.35\s+0\.40/);
    expect(text).toContain('threshold --max-cpu-ratio 1.3: MISSED, the CPU ratio 2.40× is above the limit');
    expect(text).toContain('threshold --max-p50-ratio 2.5: met, the p50 ratio 2.15× is at most the limit');
    expect(text).toMatch(/result: FAIL \(--max-cpu-ratio 1\.3: MISSED/);
    expect(floorsVerdict(r)).toBe('threshold');
    expect(floorsVerdict({ ...r, targets: { ...r.targets, bare: search([{ rate: 100, correct: false }]) } })).toBe(
      'incorrect',
    );
  });
});
