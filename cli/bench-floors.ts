// `hotline bench --floors` at the command line: its options and help, and what it refuses before any relay
// starts (bench/floors.ts runs it, bench/floors-report.ts prints it).
import type { Command } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { FLOOR_LABEL, REFERENCE_RATE, type FloorTarget, type RatioLimits } from '../bench/floor-ratios.js';
import { parseRates, type RateStep } from '../bench/rate-steps.js';
import type { SuiteOptions } from '../bench/suite.js';

export interface FloorFlags {
  floors?: boolean;
  maxCpuRatio?: string;
  minRateRatio?: string;
  maxP50Ratio?: string;
  rateSteps?: string;
  store?: string;
}

export function addFloorOptions(cmd: Command): Command {
  return cmd
    .option(
      '--floors',
      'run the same workload against three targets in turn: the relay, the crypto floor (the same relay, volatile store) and the bare relay (implies --baseline); print the three ratios',
    )
    .option(
      '--max-cpu-ratio <x>',
      'with --floors: fail when relay CPU per round trip at peak ÷ two node:crypto verifications is above x',
    )
    .option(
      '--min-rate-ratio <x>',
      'with --floors --rate-steps: fail when the highest rate held, relay ÷ crypto floor, is below x',
    )
    .option(
      '--max-p50-ratio <x>',
      `with --floors: fail when p50 at ${REFERENCE_RATE} msg/s, relay ÷ crypto floor, is above x`,
    );
}

export const FLOORS_HELP = `  $ hotline bench --floors --rate 100                  # relay, crypto floor, bare relay at 100 msg/s: CPU and p50 ratios
  $ hotline bench --floors --pairs 10 --duration 10s --warmup 2s --rate-steps 500,1000,2000,3000 \\
      --max-cpu-ratio 1.3 --min-rate-ratio 0.85 --max-p50-ratio 1.5   # all three ratios, failing on the targets

Floors (--floors): each target runs the same workload; with --rate-steps the targets take turns at each rate
(${REFERENCE_RATE} msg/s is added to the steps for the p50 ratio) and a step passes at p99 ≤ 50 ms unless --max-p99 says
otherwise. The ratios: relay CPU per round trip at its peak step ÷ two node:crypto Ed25519 verifications
(a micro-benchmark before that step); highest rate held, relay ÷ crypto floor; p50 at ${REFERENCE_RATE} msg/s, relay ÷
crypto floor. A ratio limit missed, or one that could not be measured, exits 6.`;

function ratioLimits(o: FloorFlags): RatioLimits {
  const limit = (text: string | undefined, what: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n)) throw new HotlineError('BAD_REQUEST', `${what}: "${text}" is not a number`);
    if (!(n > 0)) throw new HotlineError('BAD_REQUEST', `${what}: "${text}" must be above 0`);
    return n;
  };
  const maxCpuRatio = limit(o.maxCpuRatio, '--max-cpu-ratio');
  const minRateRatio = limit(o.minRateRatio, '--min-rate-ratio');
  const maxP50Ratio = limit(o.maxP50Ratio, '--max-p50-ratio');
  return {
    ...(maxCpuRatio !== undefined ? { maxCpuRatio } : {}),
    ...(minRateRatio !== undefined ? { minRateRatio } : {}),
    ...(maxP50Ratio !== undefined ? { maxP50Ratio } : {}),
  };
}

/** The ratio limits without --floors: refused, since only a floors run measures them. */
export function checkNoRatioLimits(o: FloorFlags): void {
  if (o.maxCpuRatio !== undefined || o.minRateRatio !== undefined || o.maxP50Ratio !== undefined)
    throw new HotlineError('BAD_REQUEST', 'the ratio limits compare the relay with its floors: add --floors');
}

/** The rate steps and limits of a floors run; refuses what it cannot compare, before any relay starts. */
export function floorsPlan(o: FloorFlags, base: SuiteOptions): { rates: number[] | null; limits: RatioLimits } {
  const bad = (why: string) => {
    throw new HotlineError('BAD_REQUEST', why);
  };
  const limits = ratioLimits(o);
  if (base.remote) bad('--floors starts all three relays itself, so it cannot measure --url');
  if (o.store)
    bad('--floors runs the SQLite relay and the volatile store (the crypto floor) itself: leave out --store');
  if (base.workload.rate === 0 && !o.rateSteps) bad('--floors needs messages: a --rate above 0, or --rate-steps');
  if (limits.minRateRatio !== undefined && !o.rateSteps)
    bad('--min-rate-ratio compares highest rates: add --rate-steps');
  if (limits.maxP50Ratio !== undefined && !o.rateSteps && base.workload.rate !== REFERENCE_RATE)
    bad(`--max-p50-ratio compares p50 at ${REFERENCE_RATE} msg/s: use --rate ${REFERENCE_RATE}, or --rate-steps`);
  try {
    return { rates: o.rateSteps ? parseRates(o.rateSteps) : null, limits };
  } catch (err) {
    throw new HotlineError('BAD_REQUEST', (err as Error).message);
  }
}

/** One line on stderr as each step ends. */
export function floorStepLine(target: FloorTarget, s: RateStep): string {
  return `${FLOOR_LABEL[target]} at ${s.rate}/s: ${s.ok ? 'pass' : 'FAIL'} (p99 receipt ${s.p99.receipt} ms, achieved ${s.achieved}/s)`;
}
