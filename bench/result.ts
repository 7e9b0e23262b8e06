// The result of one run (the shape written to JSON), assembled from the raw measurements.
import type { IntervalHistogram } from 'node:perf_hooks';
import type { GroupFigures } from './group-types.js';
import type { PairCheck, Fault, FaultKind } from './checker.js';
import type { DistributionPoint, LatencySummary, WindowPoint } from './histograms.js';
import { LATENCY_METRICS, type LatencyMetric, type RunMeasures } from './measures.js';
import type { Workload } from './options.js';
import type { ProfileSummary } from './profile-summary.js';
import type { MemoryFigures } from './memory.js';
import type { HostLoad, ResourcePoint } from './sampler.js';
import type { PlannedSend } from './scheduler.js';
import type { StoreFigures } from './store-metrics.js';
import type { Target } from './target.js';
import type { Verification } from './verify-logs.js';

export interface RunResult {
  target: { kind: Target['kind']; url: string; store: Target['store'] };
  workload: Workload;
  startedAt: string;
  messages: { planned: number; warmup: number; measured: number };
  timing: {
    setupSeconds: number;
    connectSeconds: number;
    signSeconds: number;
    windowSeconds: number;
    drainSeconds: number;
    drained: boolean;
  };
  /** Messages per second inside the measurement window. */
  rate: { target: number; sent: number; accepted: number; delivered: number; receipts: number };
  latency: Record<LatencyMetric, LatencySummary>;
  /** How late the generator put sends on the wire (its own contribution to every figure above). */
  sendLateness: LatencySummary;
  distribution: Record<LatencyMetric, DistributionPoint[]>;
  series: Record<LatencyMetric, WindowPoint[]>;
  errors: Record<string, number>;
  correctness: {
    ok: boolean;
    pairs: number;
    messages: number;
    receipts: number;
    /** Faults by kind over all pairs (structure and verification). */
    faultCounts: Partial<Record<FaultKind, number>>;
    /** The first faults, for a reader. */
    faults: Fault[];
    /** The receiver checked each message's signature before its receipt (in addition to the check after). */
    inlineVerification: boolean;
    verification: Verification;
  };
  relay: {
    cpuSeconds: number;
    /** User and system (kernel: syscalls, fsync, socket I/O) shares of cpuSeconds. */
    userSeconds: number;
    systemSeconds: number;
    /** Percent of one core over the window (all threads: main and libuv pool). */
    cpuPercent: number;
    /** Relay CPU per completed round trip (message + receipt), µs; per message when receipts are off. */
    cpuPerRoundTripUs: number | null;
    memory: MemoryFigures;
  } | null;
  generator: {
    cpuSeconds: number;
    cpuPercent: number;
    cpuPerMessageUs: number | null;
    eventLoopDelayMs: { p50: number; p99: number; max: number };
  };
  /** Everything the host's CPUs did in the window: a reader can see whether other work competed. */
  host: HostLoad | null;
  store: StoreFigures | null;
  /** Relays on PostgreSQL (--store postgres://…): each relay's CPU, the server's, commits and notifications. */
  group: GroupFigures | null;
  resources: ResourcePoint[];
  profile: ProfileSummary | null;
}

export interface RawRun {
  target: Target;
  workload: Workload;
  startedAt: string;
  plan: PlannedSend[];
  measures: RunMeasures;
  checks: PairCheck[];
  verification: Verification;
  complete: boolean;
  timing: Omit<RunResult['timing'], 'drained'>;
  relay: { cpuUs: number; userUs: number; systemUs: number; cpuSeconds: number; memory: MemoryFigures } | null;
  generator: { cpuUs: number; loop: IntervalHistogram };
  host: HostLoad | null;
  store: StoreFigures | null;
  group: GroupFigures | null;
  resources: ResourcePoint[];
  profile: ProfileSummary | null;
}

/** runner.ts samples the generator's event loop with this resolution (10 ms). */
export const LOOP_RESOLUTION_NS = 10_000_000;

const r1 = (n: number) => Math.round(n * 10) / 10;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function assembleResult(raw: RawRun): RunResult {
  const { measures: m, workload: w } = raw;
  const win = raw.timing.windowSeconds;
  const perSecond = (n: number) => r1(n / win);
  const faultCounts: Partial<Record<FaultKind, number>> = {};
  const faults: Fault[] = [];
  for (const c of raw.checks) {
    for (const [k, n] of Object.entries(c.counts) as [FaultKind, number][]) faultCounts[k] = (faultCounts[k] ?? 0) + n;
    faults.push(...c.faults);
  }
  for (const f of raw.verification.faults) {
    faultCounts[f.kind] = (faultCounts[f.kind] ?? 0) + 1;
    faults.push(f);
  }
  const errors = Object.fromEntries(m.errors);
  const measured = raw.plan.filter((s) => !s.warmup).length;
  const roundTrips = w.receipts ? m.inWindow.receipts : m.inWindow.accepted;
  const nsToMs = (ns: number) => r3(ns / 1e6);
  const loop = raw.generator.loop;
  const rel = raw.relay;
  return {
    target: { kind: raw.target.kind, url: raw.target.url, store: raw.target.store },
    workload: w,
    startedAt: raw.startedAt,
    messages: { planned: raw.plan.length, warmup: raw.plan.length - measured, measured },
    timing: {
      ...Object.fromEntries(Object.entries(raw.timing).map(([k, v]) => [k, r3(v)])),
      drained: raw.complete,
    } as RunResult['timing'],
    rate: {
      target: w.rate,
      sent: perSecond(m.inWindow.sent),
      accepted: perSecond(m.inWindow.accepted),
      delivered: perSecond(m.inWindow.delivered),
      receipts: perSecond(m.inWindow.receipts),
    },
    latency: Object.fromEntries(LATENCY_METRICS.map((k) => [k, m[k].summary()])) as RunResult['latency'],
    sendLateness: m.lateness.summary(),
    distribution: Object.fromEntries(LATENCY_METRICS.map((k) => [k, m[k].distribution()])) as RunResult['distribution'],
    series: Object.fromEntries(LATENCY_METRICS.map((k) => [k, m[k].series()])) as RunResult['series'],
    errors,
    correctness: {
      ok: faults.length === 0 && Object.keys(errors).length === 0 && raw.complete,
      pairs: raw.checks.length,
      messages: raw.plan.length,
      receipts: w.receipts ? raw.plan.length : 0,
      faultCounts,
      faults: faults.slice(0, 50),
      inlineVerification: w.verify === 'inline',
      verification: raw.verification,
    },
    relay: rel && {
      cpuSeconds: r3(rel.cpuUs / 1e6),
      userSeconds: r3(rel.userUs / 1e6),
      systemSeconds: r3(rel.systemUs / 1e6),
      cpuPercent: r1(rel.cpuUs / 1e4 / rel.cpuSeconds),
      cpuPerRoundTripUs: roundTrips > 0 ? Math.round(rel.cpuUs / roundTrips) : null,
      memory: rel.memory,
    },
    generator: {
      cpuSeconds: r3(raw.generator.cpuUs / 1e6),
      cpuPercent: r1(raw.generator.cpuUs / 1e4 / win),
      cpuPerMessageUs: m.inWindow.sent > 0 ? Math.round(raw.generator.cpuUs / m.inWindow.sent) : null,
      // The monitor records the time between its own timer ticks: the delay is what exceeds its resolution.
      eventLoopDelayMs:
        loop.count > 0
          ? {
              p50: nsToMs(Math.max(0, loop.percentile(50) - LOOP_RESOLUTION_NS)),
              p99: nsToMs(Math.max(0, loop.percentile(99) - LOOP_RESOLUTION_NS)),
              max: nsToMs(Math.max(0, loop.max - LOOP_RESOLUTION_NS)),
            }
          : { p50: 0, p99: 0, max: 0 },
    },
    host: raw.host,
    store: raw.store,
    group: raw.group,
    resources: raw.resources,
    profile: raw.profile,
  };
}
