// The open-loop schedule and its pacer, on a fake clock: no timing assertions, only what is planned and
// with which scheduled time each send is fired.
import { describe, expect, it } from 'vitest';
import { firstNotDue, pace, planSchedule, type PacerClock, type ScheduleSpec } from '../../bench/scheduler.js';

const spec = (over: Partial<ScheduleSpec> = {}): ScheduleSpec => ({
  rate: 100,
  pairs: 4,
  durationMs: 2_000,
  warmupMs: 500,
  precedenceMix: { FLASH: 1, ROUTINE: 3 },
  arrival: 'uniform',
  seed: 7,
  ...over,
});

/** A clock that only moves when told to; sleeping advances it by the requested time plus any `stall`. */
function fakeClock(stalls: Record<number, number> = {}): PacerClock & { t: number; sleeps: number } {
  const clock = {
    t: 0,
    sleeps: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps++;
      clock.t += Math.max(ms, 0.001) + (stalls[clock.sleeps] ?? 0);
    },
  };
  return clock;
}

describe('the open-loop schedule', () => {
  it('plans rate × (warmup + duration) sends, exactly 1/rate apart, round robin over the pairs', () => {
    const plan = planSchedule(spec());
    expect(plan).toHaveLength(250);
    plan.forEach((s, i) => {
      expect(s.at).toBeCloseTo(i * 10, 9);
      expect(s.pair).toBe(i % 4);
      expect(s.n).toBe(Math.floor(i / 4));
    });
  });

  it('marks the sends of the warmup, and only those', () => {
    const plan = planSchedule(spec());
    expect(plan.filter((s) => s.warmup)).toHaveLength(50);
    for (const s of plan) expect(s.warmup).toBe(s.at < 500);
  });

  it('numbers each pair’s sends 0, 1, 2, ... so their seq is known before the run', () => {
    const plan = planSchedule(spec({ pairs: 3, rate: 70 }));
    for (let pair = 0; pair < 3; pair++) {
      const ns = plan.filter((s) => s.pair === pair).map((s) => s.n);
      expect(ns).toEqual(ns.map((_, i) => i));
    }
  });

  it('follows the precedence mix, leaves out precedences with no weight, and is reproducible from its seed', () => {
    const plan = planSchedule(spec({ rate: 2_000, durationMs: 5_000, warmupMs: 0 }));
    const flash = plan.filter((s) => s.precedence === 'FLASH').length / plan.length;
    expect(flash).toBeGreaterThan(0.2);
    expect(flash).toBeLessThan(0.3);
    expect(new Set(plan.map((s) => s.precedence))).toEqual(new Set(['FLASH', 'ROUTINE']));
    expect(planSchedule(spec({ rate: 2_000, durationMs: 5_000, warmupMs: 0 }))).toEqual(plan);
    expect(planSchedule(spec({ rate: 2_000, durationMs: 5_000, warmupMs: 0, seed: 8 }))).not.toEqual(plan);
  });

  it('spaces poisson arrivals at the same mean rate, in time order', () => {
    const plan = planSchedule(spec({ arrival: 'poisson', rate: 1_000, durationMs: 10_000, warmupMs: 0 }));
    expect(plan.length).toBeGreaterThan(9_500);
    expect(plan.length).toBeLessThan(10_500);
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.at).toBeGreaterThanOrEqual(plan[i - 1]!.at);
    expect(plan.at(-1)!.at).toBeLessThan(10_000);
  });

  it('plans nothing at rate 0 (an idle run) and refuses nonsense', () => {
    expect(planSchedule(spec({ rate: 0 }))).toEqual([]);
    expect(() => planSchedule(spec({ pairs: 0 }))).toThrow(RangeError);
    expect(() => planSchedule(spec({ precedenceMix: { FLASH: 0 } }))).toThrow(RangeError);
  });

  it('finds the sends already due', () => {
    const plan = [{ at: 0 }, { at: 10 }, { at: 20 }, { at: 30 }];
    expect(firstNotDue(plan, 0, -1)).toBe(0);
    expect(firstNotDue(plan, 0, 0)).toBe(1);
    expect(firstNotDue(plan, 1, 25)).toBe(3);
    expect(firstNotDue(plan, 0, 1_000)).toBe(4);
  });
});

describe('the pacer', () => {
  it('fires every send once, in order, with its scheduled time (start + at)', async () => {
    const plan = planSchedule(spec({ rate: 50, durationMs: 1_000, warmupMs: 0 }));
    const fired: [number, number][] = [];
    const clock = fakeClock();
    clock.t = 1_000;
    await pace(plan, (i, scheduled) => fired.push([i, scheduled]), { start: 1_000, clock });
    expect(fired.map(([i]) => i)).toEqual(plan.map((_, i) => i));
    fired.forEach(([i, scheduled]) => expect(scheduled).toBeCloseTo(1_000 + plan[i]!.at, 9));
  });

  it('after a stall fires everything that fell due at once, still stamped with the times they were due', async () => {
    const plan = Array.from({ length: 100 }, (_, i) => ({ at: i * 10 }));
    const clock = fakeClock({ 3: 200 }); // the third sleep oversleeps by 200 ms
    const batches: { t: number; sends: number[] }[] = [];
    await pace(
      plan,
      (i, scheduled) => {
        if (batches.at(-1)?.t !== clock.now()) batches.push({ t: clock.now(), sends: [] });
        batches.at(-1)!.sends.push(i);
        expect(scheduled).toBe(plan[i]!.at);
      },
      { start: 0, clock },
    );
    expect(batches.flatMap((b) => b.sends)).toEqual(plan.map((_, i) => i));
    const late = batches.find((b) => b.sends.length > 1)!;
    // 200 ms late at 10 ms spacing: about 21 sends go out together, none skipped or re-planned.
    expect(late.sends.length).toBeGreaterThanOrEqual(20);
    expect(late.t - plan[late.sends[0]!]!.at).toBeGreaterThanOrEqual(200);
    expect(batches.filter((b) => b.sends.length > 1)).toHaveLength(1);
  });

  it('spins only in a sparse plan: in a dense one every wait is a timer of at least a millisecond', async () => {
    const sleepsOf = async (plan: { at: number }[]) => {
      const clock = fakeClock();
      const waits: number[] = [];
      const sleep = clock.sleep.bind(clock);
      clock.sleep = (ms) => (waits.push(ms), sleep(ms));
      const fired: number[] = [];
      await pace(plan, (i) => fired.push(i), { start: 0, clock });
      expect(fired).toEqual(plan.map((_, i) => i));
      return waits;
    };
    // Sends 0.5 ms apart (2,000 msg/s): no sub-millisecond sleep, so no setImmediate spin.
    const dense = Array.from({ length: 200 }, (_, i) => ({ at: i * 0.5 }));
    expect(Math.min(...(await sleepsOf(dense)))).toBeGreaterThanOrEqual(1);
    // Pairs of sends 0.3 ms apart every 10 ms (sparse on average): that 0.3 ms is waited exactly.
    const sparse = Array.from({ length: 200 }, (_, i) => ({ at: Math.floor(i / 2) * 10 + (i % 2) * 0.3 }));
    expect((await sleepsOf(sparse)).some((ms) => Math.abs(ms - 0.3) < 1e-9)).toBe(true);
  });

  it('stops when asked', async () => {
    const plan = Array.from({ length: 10 }, (_, i) => ({ at: i }));
    const fired: number[] = [];
    await pace(plan, (i) => fired.push(i), { start: 0, clock: fakeClock(), stopped: () => fired.length >= 3 });
    expect(fired).toEqual([0, 1, 2]);
  });
});
