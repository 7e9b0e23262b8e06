// The exercise clock from its transitions: exercise time, line time for deadlines, and when a timed inject
// falls due, across compression changes and pauses. Expected values are worked out by hand below.
import { describe, expect, it } from 'vitest';
import { ExerciseClock, formatExerciseTime, parseOffset, type Transition } from '../../shared/exercise-clock.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const s = (n: number) => n * 1000;

function clock(...moves: [number, Transition['state'], number?][]): ExerciseClock {
  const c = new ExerciseClock();
  moves.forEach(([at, state, compression], idx) => {
    expect(c.apply({ at: T0 + s(at), idx, state, compression: compression ?? c.compression, by: 'T' })).toBe(true);
  });
  return c;
}

describe('the exercise clock', () => {
  it('starts at STARTEX, runs at its compression, stands still while paused and after ENDEX', () => {
    // STARTEX at 10 s at 6x; pause at 20 s; resume at 50 s at 2x; ENDEX at 60 s.
    const c = clock([10, 'running', 6], [20, 'paused'], [50, 'running', 2], [60, 'ended']);
    expect(c.exerciseMs(T0 + s(5))).toBeNull();
    expect(c.exerciseMs(T0 + s(15))).toBe(s(30));
    expect(c.exerciseMs(T0 + s(35))).toBe(s(60));
    expect(c.exerciseMs(T0 + s(55))).toBe(s(70));
    expect(c.exerciseMs(T0 + s(600))).toBe(s(80));
    expect(c.read(T0 + s(35)).phase).toBe('paused');
    expect(c.startex).toBe(T0 + s(10));
    expect(c.endex).toBe(T0 + s(60));
  });

  it('counts line time in real time before STARTEX and in exercise time after it', () => {
    const c = clock([10, 'running', 6], [20, 'paused'], [50, 'running', 2]);
    // 0..10 real (10) + 10..20 at 6x (60) + paused (0) + 50..55 at 2x (10).
    expect(c.lineElapsed(T0, T0 + s(55))).toBe(s(80));
    expect(c.lineElapsed(T0 + s(25), T0 + s(45))).toBe(0);
    expect(c.lineElapsed(T0 + s(55), T0 + s(50))).toBe(0);
  });

  it('says when a timed inject falls due while running, and nothing while paused', () => {
    const c = clock([10, 'running', 6]);
    // 60 exercise seconds after STARTEX at 6x: 10 real seconds after it.
    expect(c.realTimeOf(s(60), T0 + s(11))).toBe(T0 + s(20));
    // Already past: now.
    expect(c.realTimeOf(s(6), T0 + s(11))).toBe(T0 + s(11));
    c.apply({ at: T0 + s(12), idx: 1, state: 'paused', compression: 6, by: 'T' });
    expect(c.realTimeOf(s(60), T0 + s(13))).toBeUndefined();
  });

  it('refuses moves the lifecycle does not allow', () => {
    const c = new ExerciseClock();
    expect(c.apply({ at: T0, idx: 0, state: 'paused', compression: 1, by: 'T' })).toBe(false);
    expect(c.apply({ at: T0, idx: 0, state: 'ended', compression: 1, by: 'T' })).toBe(true);
    expect(c.apply({ at: T0, idx: 1, state: 'running', compression: 1, by: 'T' })).toBe(false);
    expect(c.transitions).toHaveLength(1);
  });

  it('formats and parses exercise times', () => {
    expect(formatExerciseTime(null)).toBe('T−');
    expect(formatExerciseTime(s(3_909))).toBe('T+01:05:09');
    expect(formatExerciseTime(s(90_000))).toBe('T+25:00:00');
    expect(parseOffset('00:05:00')).toBe(s(300));
    expect(parseOffset('5:00')).toBe(s(300));
    expect(parseOffset('300')).toBe(s(300));
    for (const bad of ['5', '00:60:00', 'manual', '-1:00', '1:2'])
      expect(parseOffset(bad), bad).toBe(bad === '5' ? s(5) : undefined);
  });
});
