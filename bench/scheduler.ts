// The open-loop schedule: every send is planned before the run starts, at a fixed total rate, and its
// latency is measured from this planned time. A stall in the relay (or in the generator) therefore shows up
// as latency of every send that was due during it, instead of silently lowering the offered load
// ("coordinated omission"). The pacer fires overdue sends at once and never re-plans them.
import { PRECEDENCES, type Precedence } from '../shared/items.js';

export interface PlannedSend {
  /** Milliseconds from the start of the run (warmup included). */
  at: number;
  pair: number;
  /** This send's position in its pair's stream (0, 1, 2, ...). */
  n: number;
  precedence: Precedence;
  /** Sends in the warmup are checked for correctness but not recorded in the latency histograms. */
  warmup: boolean;
}

export interface ScheduleSpec {
  /** Total messages per second across all pairs. */
  rate: number;
  pairs: number;
  durationMs: number;
  warmupMs: number;
  /** Relative weights; precedences left out never occur. */
  precedenceMix: Partial<Record<Precedence, number>>;
  /** uniform: exactly 1/rate apart; poisson: exponential gaps with the same mean. */
  arrival: 'uniform' | 'poisson';
  seed: number;
}

/** mulberry32: a small seeded PRNG, so a plan is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function picker(mix: Partial<Record<Precedence, number>>, random: () => number): () => Precedence {
  const entries = PRECEDENCES.map((p) => [p, mix[p] ?? 0] as const).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (entries.length === 0 || !(total > 0)) throw new RangeError('the precedence mix needs a positive weight');
  return () => {
    let r = random() * total;
    for (const [p, w] of entries) {
      if ((r -= w) < 0) return p;
    }
    return entries[entries.length - 1]![0];
  };
}

/** Plans every send of a run, in time order; sends go to the pairs round robin. */
export function planSchedule(spec: ScheduleSpec): PlannedSend[] {
  if (spec.pairs < 1 || !Number.isInteger(spec.pairs)) throw new RangeError('pairs must be a positive whole number');
  if (!(spec.rate >= 0)) throw new RangeError('rate must be zero or more');
  const total = spec.warmupMs + spec.durationMs;
  const random = prng(spec.seed);
  const precedence = picker(spec.precedenceMix, random);
  const perPair = new Array<number>(spec.pairs).fill(0);
  const plan: PlannedSend[] = [];
  if (spec.rate === 0) return plan;
  const gap = 1000 / spec.rate;
  for (let i = 0, at = 0; ; i++) {
    if (spec.arrival === 'uniform') at = i * gap;
    else if (i > 0) at += -Math.log(1 - random()) * gap;
    if (at >= total) break;
    const pair = i % spec.pairs;
    plan.push({ at, pair, n: perPair[pair]!++, precedence: precedence(), warmup: at < spec.warmupMs });
  }
  return plan;
}

/** Index of the first send not yet due at `elapsed` ms, searching from `from` (the plan is time-ordered). */
export function firstNotDue(plan: readonly { at: number }[], from: number, elapsed: number): number {
  let i = from;
  while (i < plan.length && plan[i]!.at <= elapsed) i++;
  return i;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => (ms < 1 ? setImmediate(resolve) : setTimeout(resolve, ms))),
};

export interface PaceOptions {
  /** The clock reading (clock.now()) that is time 0 of the plan. */
  start: number;
  clock?: PacerClock;
  /** Checked between batches; the pacer stops when it returns true. */
  stopped?: () => boolean;
}

/** Below this mean spacing between sends, the pacer waits on timers only (see pace). */
export const DENSE_GAP_MS = 2;

/**
 * Fires every planned send when it is due. `fire` gets the send's index and its scheduled clock time
 * (start + at), which is what latency is measured from. When the pacer wakes late it fires everything
 * already due in one batch, with their original scheduled times. Resolves when the plan is done.
 *
 * The last sub-millisecond of a wait spins on setImmediate, which hits the schedule to within
 * microseconds. In a dense plan (sends less than DENSE_GAP_MS apart) that spin never ends and takes a
 * core from the relay under test (docs/performance.md, "The generator's own cost"), so there
 * the pacer sleeps at least a millisecond and fires what fell due; the lateness this adds is in the
 * report (send lateness) and in every latency, which counts from the scheduled time.
 */
export async function pace(
  plan: readonly { at: number }[],
  fire: (index: number, scheduled: number) => void,
  options: PaceOptions,
): Promise<void> {
  const clock = options.clock ?? realClock;
  const dense = plan.length > 1 && (plan[plan.length - 1]!.at - plan[0]!.at) / (plan.length - 1) < DENSE_GAP_MS;
  let i = 0;
  while (i < plan.length && !options.stopped?.()) {
    const elapsed = clock.now() - options.start;
    const end = firstNotDue(plan, i, elapsed);
    for (; i < end; i++) fire(i, options.start + plan[i]!.at);
    if (i === plan.length) break;
    const wait = Math.max(0, plan[i]!.at - (clock.now() - options.start));
    await clock.sleep(dense ? Math.max(wait, 1) : wait);
  }
}
