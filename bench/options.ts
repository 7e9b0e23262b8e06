// The workload of a bench run, its named profiles, and parsing of the values people type
// (durations like 10ms or 1.5s, precedence mixes like FLASH:1,ROUTINE:9, thresholds like receipt=20ms).
import { HotlineError } from '../shared/errors.js';
import { LIMITS, PRECEDENCES, type Precedence } from '../shared/items.js';
import type { LatencyMetric } from './measures.js';
import type { ScheduleSpec } from './scheduler.js';

export interface Workload {
  pairs: number;
  /** Total messages per second over all pairs; 0 = idle (connect, hold, measure memory). */
  rate: number;
  durationMs: number;
  warmupMs: number;
  bodyBytes: number;
  precedenceMix: Partial<Record<Precedence, number>>;
  receipts: boolean;
  arrival: ScheduleSpec['arrival'];
  /** How long to wait after the last planned send for everything to come back. */
  drainMs: number;
  verify: 'after' | 'inline';
  seed: number;
  /** The protocol version the consoles offer: 2 takes a new item's answer inside its entry frame, 1 apart. */
  protocol: 1 | 2;
}

export const DEFAULT_MIX: Partial<Record<Precedence, number>> = { FLASH: 1, IMMEDIATE: 4, PRIORITY: 15, ROUTINE: 80 };

const BASE: Workload = {
  pairs: 10,
  rate: 100,
  durationMs: 30_000,
  warmupMs: 5_000,
  bodyBytes: 256,
  precedenceMix: DEFAULT_MIX,
  receipts: true,
  arrival: 'uniform',
  drainMs: 10_000,
  verify: 'after',
  seed: 1,
  protocol: 2,
};

/** Named workloads. The numeric ones are scale profiles: that many pairs at the same total rate. */
export const PROFILES: Record<string, Partial<Workload>> = {
  smoke: { pairs: 2, rate: 40, durationMs: 1_500, warmupMs: 500, drainMs: 5_000 },
  standard: { pairs: 10, rate: 100, durationMs: 30_000, warmupMs: 5_000 },
  '1': { pairs: 1, rate: 200, durationMs: 20_000, warmupMs: 5_000 },
  '10': { pairs: 10, rate: 200, durationMs: 20_000, warmupMs: 5_000 },
  '100': { pairs: 100, rate: 200, durationMs: 20_000, warmupMs: 5_000 },
  '1000': { pairs: 1000, rate: 200, durationMs: 20_000, warmupMs: 5_000 },
  idle: { pairs: 1000, rate: 0, durationMs: 5_000, warmupMs: 0 },
};

/** In the order people look for them (numeric keys would otherwise come first). */
export const PROFILE_NAMES = ['smoke', 'standard', 'idle', '1', '10', '100', '1000'];

export function profileWorkload(name: string | undefined): Workload {
  if (name === undefined) return { ...BASE };
  const p = PROFILES[name];
  if (!p) throw new HotlineError('BAD_REQUEST', `unknown profile ${name}; one of ${PROFILE_NAMES.join(', ')}`);
  return { ...BASE, ...p };
}

/** 250us, 10ms, 1.5s, 2m; a bare number is milliseconds. Returns milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)?\s*$/.exec(text);
  if (!m) throw new HotlineError('BAD_REQUEST', `${what}: "${text}" is not a duration (e.g. 250us, 10ms, 1.5s, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return n * ({ us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit]!;
}

/** FLASH:1,IMMEDIATE:4,PRIORITY:15,ROUTINE:80 (weights, any scale), or one precedence name alone. */
export function parseMix(text: string): Partial<Record<Precedence, number>> {
  const mix: Partial<Record<Precedence, number>> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, weight = '1'] = part.split(':');
    const p = name!.toUpperCase() as Precedence;
    const w = Number(weight);
    if (!PRECEDENCES.includes(p) || !(w >= 0))
      throw new HotlineError(
        'BAD_REQUEST',
        `precedence mix: "${part}" is not NAME:WEIGHT with NAME one of ${PRECEDENCES.join(', ')}`,
      );
    mix[p] = w;
  }
  if (!Object.values(mix).some((w) => w > 0))
    throw new HotlineError('BAD_REQUEST', 'precedence mix: give at least one positive weight');
  return mix;
}

export type P99Thresholds = Partial<Record<LatencyMetric, number>>;

/** "10ms" (the end-to-end metric) or "accepted=5ms,receipt=20ms". */
export function parseP99(text: string, endToEnd: LatencyMetric): P99Thresholds {
  const out: P99Thresholds = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      out[endToEnd] = parseDuration(part, '--max-p99');
      continue;
    }
    const metric = part.slice(0, eq) as LatencyMetric;
    if (!['accepted', 'delivered', 'receipt'].includes(metric))
      throw new HotlineError('BAD_REQUEST', `--max-p99: unknown metric ${metric} (accepted, delivered, receipt)`);
    out[metric] = parseDuration(part.slice(eq + 1), '--max-p99');
  }
  return out;
}

/** Rejects workloads that cannot run or would not fit in memory. */
export function checkWorkload(w: Workload): void {
  const fail = (why: string) => {
    throw new HotlineError('BAD_REQUEST', why);
  };
  if (!Number.isInteger(w.pairs) || w.pairs < 1 || w.pairs > 5000)
    fail('--pairs must be a whole number from 1 to 5000');
  if (!(w.rate >= 0) || w.rate > 100_000) fail('--rate must be from 0 to 100000 messages per second');
  if (!(w.durationMs > 0) || w.durationMs > 3_600_000) fail('--duration must be more than 0 and at most 1h');
  if (!(w.warmupMs >= 0) || w.warmupMs > 600_000) fail('--warmup must be from 0 to 10m');
  if (!Number.isInteger(w.bodyBytes) || w.bodyBytes < 1 || w.bodyBytes > LIMITS.body)
    fail(`--body-bytes must be from 1 to ${LIMITS.body}`);
  const planned = (w.rate * (w.durationMs + w.warmupMs)) / 1000;
  // Every message is signed ahead of time and kept until it has been checked.
  if (planned > 1_000_000)
    fail(`the workload plans ${Math.round(planned)} messages; at most 1,000,000 per run (lower --rate or --duration)`);
}
