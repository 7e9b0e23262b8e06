// Latency recording with HdrHistogram (the WebAssembly build: cheap enough to record every message).
// Values are recorded in microseconds with 3 significant digits, up to one hour; summaries are in ms.
import { build, initWebAssembly, type Histogram } from 'hdr-histogram-js';

let wasm: Promise<void> | undefined;

/** Loads the WebAssembly build once; every histogram made after this uses it. */
export function initHistograms(): Promise<void> {
  return (wasm ??= initWebAssembly());
}

const HIGHEST_US = 3_600_000_000;

function makeHistogram(): Histogram {
  return build({
    useWebAssembly: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
}

export interface LatencySummary {
  count: number;
  /** All in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export const PERCENTILES = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
export type PercentileKey = (typeof PERCENTILES)[number];

/** A point of the percentile distribution: latency (ms) at a percentile (0 to 100). */
export interface DistributionPoint {
  percentile: number;
  ms: number;
}

/** One window of the latency-over-time series: start (s from the start of measurement) and figures in ms. */
export interface WindowPoint {
  t: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function summarise(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  // HdrHistogram reports a percentile as the top of its bucket (within 0.1%); never above the true max.
  const max = round(h.maxValue / 1000);
  const at = (p: number) => Math.min(max, round(h.getValueAtPercentile(p) / 1000));
  return {
    count: h.totalCount,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max,
    mean: round(h.mean / 1000),
  };
}

/** The percentiles of the classic HdrHistogram plot: halving the remaining tail at every step. */
export function distributionPercentiles(count: number): number[] {
  const out = [0, 25, 50];
  for (let tail = 50; tail > 100 / Math.max(count, 1) / 2 && tail > 0.0005;) {
    tail /= 2;
    out.push(100 - tail, 100 - tail * 0.8, 100 - tail * 0.6);
  }
  out.push(100);
  return [...new Set(out.map((p) => Math.min(100, Math.round(p * 10_000) / 10_000)))].sort((a, b) => a - b);
}

/** One latency metric: a histogram over the whole measurement and a per-window series for plots. */
export class LatencyRecorder {
  readonly #all = makeHistogram();
  readonly #window = makeHistogram();
  readonly #series: WindowPoint[] = [];
  #windowStart = 0;
  #begun = 0;

  constructor(private readonly windowMs = 1000) {}

  /** Starts the window series at this clock time (ms). */
  begin(now: number): void {
    this.#windowStart = now;
    this.#begun = now;
  }

  record(latencyMs: number, now: number): void {
    if (now - this.#windowStart >= this.windowMs) this.#roll(now);
    const us = Math.min(HIGHEST_US, Math.max(1, Math.round(latencyMs * 1000)));
    this.#all.recordValue(us);
    this.#window.recordValue(us);
  }

  #roll(now: number): void {
    while (now - this.#windowStart >= this.windowMs) {
      if (this.#window.totalCount > 0) {
        const s = summarise(this.#window);
        this.#series.push({
          t: round((this.#windowStart - this.#begun) / 1000),
          count: s.count,
          p50: s.p50,
          p99: s.p99,
          max: s.max,
        });
        this.#window.reset();
      }
      this.#windowStart += this.windowMs;
    }
  }

  /** Closes the last window; call once after the run. */
  finish(): void {
    if (this.#window.totalCount > 0) this.#roll(this.#windowStart + this.windowMs);
  }

  get count(): number {
    return this.#all.totalCount;
  }

  summary(): LatencySummary {
    return summarise(this.#all);
  }

  distribution(): DistributionPoint[] {
    if (this.#all.totalCount === 0) return [];
    const max = round(this.#all.maxValue / 1000);
    return distributionPercentiles(this.#all.totalCount).map((p) => ({
      percentile: p,
      ms: Math.min(max, round(this.#all.getValueAtPercentile(p) / 1000)),
    }));
  }

  series(): WindowPoint[] {
    return this.#series;
  }

  destroy(): void {
    this.#all.destroy();
    this.#window.destroy();
  }
}
