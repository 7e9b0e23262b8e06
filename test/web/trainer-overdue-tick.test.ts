// When the Response times tab next has something to redraw on time alone: the earliest deadline among the
// messages not yet acknowledged nor overdue, on line time (60x: a FLASH's 10 minutes are 10 real seconds),
// and none while the clock stands still.
import { describe, expect, it } from 'vitest';
import { ExerciseClock } from '../../shared/exercise-clock.js';
import type { Precedence } from '../../shared/items.js';
import { nextOverdueAt, type ResponseRow } from '../../web/src/trainer/response-times.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const S = 1000;

function row(id: string, precedence: Precedence, acceptedAt: number, more: Partial<ResponseRow> = {}): ResponseRow {
  return {
    id,
    idx: 0,
    from: 'beijing',
    to: 'washington',
    precedence,
    sentAt: acceptedAt,
    acceptedAt,
    acceptMs: 0,
    overdue: false,
    ...more,
  };
}

function running(compression: number): ExerciseClock {
  const clock = new ExerciseClock();
  clock.apply({ at: T0, idx: 1, state: 'running', compression, by: 'trainer' });
  return clock;
}

describe('nextOverdueAt', () => {
  it('is the earliest deadline still to come, at the clock’s pace', () => {
    const rows = [row('r', 'ROUTINE', T0 + S), row('f', 'FLASH', T0 + 5 * S), row('i', 'IMMEDIATE', T0 + 2 * S)];
    // FLASH 10 min / 60 = 10 s after its acceptance; IMMEDIATE 30 s after its.
    expect(nextOverdueAt(rows, running(60))).toBe(T0 + 15 * S);
    expect(nextOverdueAt(rows, running(1))).toBe(T0 + 5 * S + 600 * S);
  });

  it('leaves out what is acknowledged or already overdue', () => {
    const clock = running(60);
    const rows = [
      row('f1', 'FLASH', T0, { acknowledgedAt: T0 + S }),
      row('f2', 'FLASH', T0, { overdue: true }),
      row('i', 'IMMEDIATE', T0),
    ];
    expect(nextOverdueAt(rows, clock)).toBe(T0 + 30 * S);
    expect(nextOverdueAt(rows.slice(0, 2), clock)).toBeUndefined();
  });

  it('has none while the clock stands still, and counts on from a resume', () => {
    const clock = running(60);
    clock.apply({ at: T0 + 4 * S, idx: 2, state: 'paused', compression: 60, by: 'trainer' });
    const rows = [row('f', 'FLASH', T0)];
    expect(nextOverdueAt(rows, clock)).toBeUndefined();
    clock.apply({ at: T0 + 100 * S, idx: 3, state: 'running', compression: 60, by: 'trainer' });
    // 4 s of the 10 ran before the pause; the other 6 after the resume.
    expect(nextOverdueAt(rows, clock)).toBe(T0 + 106 * S);
  });
});
