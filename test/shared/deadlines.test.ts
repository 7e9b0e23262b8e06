// Acknowledgement deadlines on line time (shared/deadlines.ts), the one rule that the consoles, the trainer's
// live view, the replay and the report apply: real time before STARTEX, compressed exercise time while
// running, standing still while paused and after ENDEX. Expected values are worked out by hand.
import { describe, expect, it } from 'vitest';
import { ackDueAt, lineDeadline, lineDueAt, lineRate, overdueOnLine } from '../../shared/deadlines.js';
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
    expect(lineDeadline(c, 'PRIORITY', T0, T0 + MIN)).toEqual({ leftMs: 179 * MIN, dueAt: T0 + 180 * MIN });
    expect(ackDueAt(c, 'FLASH', T0)).toBe(T0 + 10 * MIN);
    expect(ackDueAt(c, 'IMMEDIATE', T0)).toBe(T0 + 30 * MIN);
    expect(ackDueAt(c, 'PRIORITY', T0)).toBe(T0 + 3 * 60 * MIN);
    expect(ackDueAt(c, 'ROUTINE', T0)).toBe(T0 + 6 * 60 * MIN);
  });

  it('give PRIORITY 3 h and ROUTINE 6 h of line time: at 6x, 30 and 60 real minutes, held by a pause', () => {
    const c = clock([0, 'running', 6]);
    expect(ackDueAt(c, 'PRIORITY', T0)).toBe(T0 + 30 * MIN);
    expect(ackDueAt(c, 'ROUTINE', T0)).toBe(T0 + 60 * MIN);
    expect(lineDeadline(c, 'ROUTINE', T0, T0 + 61 * MIN)).toEqual({ leftMs: -6 * MIN, dueAt: T0 + 60 * MIN });
    // Paused after 20 real minutes (2 h of line time): 1 h of PRIORITY and 4 h of ROUTINE left, standing still.
    c.apply({ at: T0 + 20 * MIN, idx: 1, state: 'paused', compression: 6, by: 'Trainer' });
    expect(lineDeadline(c, 'PRIORITY', T0, T0 + 5 * 60 * MIN)).toEqual({ leftMs: 60 * MIN });
    expect(lineDeadline(c, 'ROUTINE', T0, T0 + 5 * 60 * MIN)).toEqual({ leftMs: 4 * 60 * MIN });
    expect(ackDueAt(c, 'PRIORITY', T0)).toBeUndefined();
    // Resumed at 1x after 2 real hours: the hour of PRIORITY left is a real hour now.
    c.apply({ at: T0 + 140 * MIN, idx: 2, state: 'running', compression: 1, by: 'Trainer' });
    expect(ackDueAt(c, 'PRIORITY', T0)).toBe(T0 + 200 * MIN);
    expect(ackDueAt(c, 'ROUTINE', T0)).toBe(T0 + 380 * MIN);
  });

  it('run compressed while the exercise runs: a FLASH at 6x is due 100 real seconds after it arrived', () => {
    const c = clock([0, 'running', 6]);
    expect(lineRate(c)).toBe(6);
    expect(lineDeadline(c, 'FLASH', T0 + 10 * S, T0 + 10 * S)).toEqual({ leftMs: 10 * MIN, dueAt: T0 + 110 * S });
    expect(lineDeadline(c, 'FLASH', T0 + 10 * S, T0 + 120 * S)?.leftMs).toBe(-60 * S);
    expect(ackDueAt(c, 'FLASH', T0 + 10 * S)).toBe(T0 + 110 * S);
    // The rule itself, not the precedence table: 30 min at 6x is 300 real seconds.
    expect(lineDueAt(c, T0 + 10 * S, 30 * MIN)).toBe(T0 + 310 * S);
  });

  it('stand still while paused and after ENDEX, with no real time to be due at', () => {
    const paused = clock([0, 'running', 6], [20 * S, 'paused']);
    const at = lineDeadline(paused, 'IMMEDIATE', T0 + 10 * S, T0 + 30 * S);
    expect(at).toEqual({ leftMs: 30 * MIN - 60 * S });
    expect(lineDeadline(paused, 'IMMEDIATE', T0 + 10 * S, T0 + 3_600 * S)).toEqual(at);
    expect(ackDueAt(paused, 'IMMEDIATE', T0 + 10 * S)).toBeUndefined();
    const resumed = clock([0, 'running', 6], [20 * S, 'paused'], [50 * S, 'running', 2]);
    expect(lineDeadline(resumed, 'IMMEDIATE', T0 + 10 * S, T0 + 60 * S)?.leftMs).toBe(30 * MIN - 60 * S - 20 * S);
    // 60 s of line time by the pause, 29 min left at 2x from the resume at 50 s: 870 real seconds later.
    expect(ackDueAt(resumed, 'IMMEDIATE', T0 + 10 * S)).toBe(T0 + 50 * S + 870 * S);
    const ended = clock([0, 'running'], [5 * S, 'ended']);
    expect(lineRate(ended)).toBe(0);
    expect(lineDeadline(ended, 'FLASH', T0, T0 + 3_600 * S)).toEqual({ leftMs: 10 * MIN - 5 * S });
    expect(ackDueAt(ended, 'FLASH', T0)).toBeUndefined();
  });

  it('cross STARTEX: real time up to it, exercise time after it', () => {
    // Accepted 60 s before STARTEX at 6x: 9 min of line time are left then, 90 real seconds.
    const c = clock([60 * S, 'running', 6]);
    expect(ackDueAt(c, 'FLASH', T0)).toBe(T0 + 150 * S);
    expect(c.lineElapsed(T0, T0 + 150 * S)).toBe(10 * MIN);
  });

  it('read only the transitions logged by a moment, as a replay at that moment must', () => {
    // The whole log pauses at 200 s and never resumes; at 50 s nobody knew yet.
    const c = clock([0, 'running', 6], [200 * S, 'paused']);
    expect(ackDueAt(c, 'IMMEDIATE', T0 + 10 * S)).toBeUndefined();
    expect(ackDueAt(c, 'IMMEDIATE', T0 + 10 * S, T0 + 50 * S)).toBe(T0 + 310 * S);
    // A deadline that fell before the pause is the same whatever comes after.
    expect(ackDueAt(c, 'FLASH', T0 + 10 * S)).toBe(T0 + 110 * S);
    expect(ackDueAt(c, 'FLASH', T0 + 10 * S, T0 + 150 * S)).toBe(T0 + 110 * S);
  });
});

describe('overdue on line time', () => {
  it('before STARTEX: once the deadline passes without an acknowledgement, and stays so if it came late', () => {
    const c = clock();
    expect(overdueOnLine(c, 'FLASH', T0, undefined, T0 + 10 * MIN - 1)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', T0, undefined, T0 + 10 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'FLASH', T0, T0 + 9 * MIN, T0 + 20 * MIN)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', T0, T0 + 10 * MIN, T0 + 20 * MIN)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', T0, T0 + 11 * MIN, T0 + 20 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'IMMEDIATE', T0, undefined, T0 + 29 * MIN)).toBe(false);
    expect(overdueOnLine(c, 'IMMEDIATE', T0, undefined, T0 + 31 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'PRIORITY', T0, undefined, T0 + 180 * MIN - 1)).toBe(false);
    expect(overdueOnLine(c, 'PRIORITY', T0, undefined, T0 + 180 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'PRIORITY', T0, T0 + 180 * MIN, T0 + 1e9)).toBe(false);
    expect(overdueOnLine(c, 'PRIORITY', T0, T0 + 180 * MIN + 1, T0 + 1e9)).toBe(true);
    expect(overdueOnLine(c, 'ROUTINE', T0, undefined, T0 + 360 * MIN - 1)).toBe(false);
    expect(overdueOnLine(c, 'ROUTINE', T0, undefined, T0 + 360 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'ROUTINE', T0, T0 + 5 * 60 * MIN, T0 + 1e9)).toBe(false);
  });

  it('treats an acknowledgement after `now` as not yet made (a replay before it was logged)', () => {
    const c = clock();
    expect(overdueOnLine(c, 'FLASH', T0, T0 + 5 * MIN, T0 + 12 * MIN)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', T0, T0 + 15 * MIN, T0 + 12 * MIN)).toBe(true);
  });

  it('under compression 6x: a FLASH is overdue 100 s after it was logged, not 10 min', () => {
    const c = clock([0, 'running', 6]);
    const accepted = T0 + 10 * S;
    expect(overdueOnLine(c, 'FLASH', accepted, undefined, accepted + 100 * S - 1)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', accepted, undefined, accepted + 100 * S)).toBe(true);
    // Acknowledged after 2 real minutes: 12 minutes of line time, late.
    expect(overdueOnLine(c, 'FLASH', accepted, accepted + 2 * MIN, accepted + 5 * MIN)).toBe(true);
    expect(overdueOnLine(c, 'FLASH', accepted, accepted + 90 * S, accepted + 5 * MIN)).toBe(false);
  });

  it('while paused the deadline stands: not overdue however long the pause, until the clock runs again', () => {
    const c = clock([0, 'running', 6], [20 * S, 'paused']);
    expect(overdueOnLine(c, 'FLASH', T0 + 10 * S, undefined, T0 + 10 * 3_600 * S)).toBe(false);
    c.apply({ at: T0 + 3_600 * S, idx: 2, state: 'running', compression: 6, by: 'Trainer' });
    // 60 s of line time before the pause; 9 min more take 90 s after the resume.
    expect(overdueOnLine(c, 'FLASH', T0 + 10 * S, undefined, T0 + 3_690 * S - 1)).toBe(false);
    expect(overdueOnLine(c, 'FLASH', T0 + 10 * S, undefined, T0 + 3_690 * S)).toBe(true);
  });

  it('after ENDEX nothing falls due any more, but a deadline missed before it stays missed', () => {
    const c = clock([0, 'running', 6], [60 * S, 'ended']);
    // Logged at 50 s: 60 s of line time by ENDEX, never 10 min.
    expect(overdueOnLine(c, 'FLASH', T0 + 50 * S, undefined, T0 + 10 * 3_600 * S)).toBe(false);
    // Logged at 0 s: due at 100 s, but the line closed at 60 s.
    expect(overdueOnLine(c, 'FLASH', T0, undefined, T0 + 3_600 * S)).toBe(false);
    const late = clock([0, 'running', 60], [60 * S, 'ended']);
    // At 60x a FLASH is due 10 s after it was logged.
    expect(overdueOnLine(late, 'FLASH', T0, undefined, T0 + 3_600 * S)).toBe(true);
  });
});
