// Acknowledgement deadlines on line time: real time before STARTEX, compressed exercise time while running,
// standing still while paused and after ENDEX.
import { describe, expect, it } from 'vitest';
import { lineDeadline, lineRate } from '../../client/deadlines.js';
import { ExerciseClock } from '../../shared/exercise-clock.js';

const T0 = Date.parse('2026-11-29T09:00:00.000Z');
const S = 1000;
const MIN = 60 * S;

function clock(...steps: [number, 'running' | 'paused' | 'ended', number?][]): ExerciseClock {
  const c = new ExerciseClock();
  steps.forEach(([at, state, compression = 1], idx) => {
    if (!c.apply({ at: T0 + at, idx, state, compression, by: 'Trainer' })) throw new Error(`bad step ${idx}`);
  });
  return c;
}

describe('acknowledgement deadlines on the exercise clock', () => {
  it('run in real time before STARTEX', () => {
    const c = clock();
    expect(lineRate(c)).toBe(1);
    expect(lineDeadline(c, 'FLASH', T0, T0 + 4 * MIN)).toEqual({ leftMs: 6 * MIN, dueAt: T0 + 10 * MIN });
    expect(lineDeadline(c, 'PRIORITY', T0, T0)).toBeUndefined();
  });

  it('run compressed while the exercise runs: a FLASH at 6x is due 100 real seconds after it arrived', () => {
    const c = clock([0, 'running', 6]);
    expect(lineRate(c)).toBe(6);
    expect(lineDeadline(c, 'FLASH', T0 + 10 * S, T0 + 10 * S)).toEqual({ leftMs: 10 * MIN, dueAt: T0 + 110 * S });
    expect(lineDeadline(c, 'FLASH', T0 + 10 * S, T0 + 120 * S)?.leftMs).toBe(-60 * S);
  });

  it('stand still while paused and after ENDEX, with no real time to be due at', () => {
    const paused = clock([0, 'running', 6], [20 * S, 'paused']);
    const at = lineDeadline(paused, 'IMMEDIATE', T0 + 10 * S, T0 + 30 * S);
    expect(at).toEqual({ leftMs: 30 * MIN - 60 * S });
    expect(lineDeadline(paused, 'IMMEDIATE', T0 + 10 * S, T0 + 3_600 * S)).toEqual(at);
    const resumed = clock([0, 'running', 6], [20 * S, 'paused'], [50 * S, 'running', 2]);
    expect(lineDeadline(resumed, 'IMMEDIATE', T0 + 10 * S, T0 + 60 * S)?.leftMs).toBe(30 * MIN - 60 * S - 20 * S);
    const ended = clock([0, 'running'], [5 * S, 'ended']);
    expect(lineRate(ended)).toBe(0);
    expect(lineDeadline(ended, 'FLASH', T0, T0 + 3_600 * S)).toEqual({ leftMs: 10 * MIN - 5 * S });
  });
});
