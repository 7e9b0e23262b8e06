// The trainer's live overdue alarms (web/src/trainer/deadlines.ts) against the consoles' own countdown
// (shared/deadlines.ts lineDeadline, what web/src/console/alarms.ts and `hotline console` show): on the same
// exercise clock they fall due at the same moment, for messages and injects alike, under compression, across
// a pause and before STARTEX.
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../client/conversation.js';
import type { InjectView } from '../../client/injects.js';
import { lineDeadline } from '../../shared/deadlines.js';
import { ExerciseClock, type ExerciseState } from '../../shared/exercise-clock.js';
import type { Precedence } from '../../shared/items.js';
import { liveOverdue } from '../../web/src/trainer/deadlines.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const S = 1000;
const MIN = 60 * S;
const iso = (ms: number) => new Date(ms).toISOString();

function clock(...steps: [number, ExerciseState, number?][]): ExerciseClock {
  const c = new ExerciseClock();
  steps.forEach(([at, state, compression = 1], idx) => {
    if (!c.apply({ at: T0 + at, idx, state, compression, by: 'Control' })) throw new Error(`bad step ${idx}`);
  });
  return c;
}

function message(id: string, precedence: Precedence, accepted: number, acked?: number): MessageView {
  return {
    id,
    idx: 10,
    direction: 'out',
    from: 'washington',
    to: 'beijing',
    precedence,
    lang: 'en',
    subject: 'Alpha',
    body: 'x',
    classification: '',
    sentAt: iso(accepted),
    seq: 0,
    verified: true,
    states: { accepted: iso(accepted), ...(acked === undefined ? {} : { acknowledged: iso(acked) }) },
  };
}

function inject(id: string, precedence: Precedence, accepted: number, acked?: number): InjectView {
  return {
    id,
    inject: 'INJ-01',
    to: 'washington',
    from: { en: 'US Embassy' },
    precedence,
    body: { en: 'A vessel entered the strait.' },
    idx: 11,
    hash: 'h11',
    exerciseMs: null,
    states: { accepted: iso(accepted), ...(acked === undefined ? {} : { acknowledged: iso(acked) }) },
  };
}

/** The first whole second at which the console's countdown shows the deadline passed. */
function consoleOverdueFrom(c: ExerciseClock, p: Precedence, accepted: number): number {
  for (let t = accepted; t < accepted + 24 * 3_600 * S; t += S)
    if (lineDeadline(c, p, accepted, t)!.leftMs <= 0) return t;
  throw new Error('never overdue');
}

describe("the trainer's live overdue alarms fall due when the consoles' do", () => {
  it('at 6x: a FLASH message after 100 s, an IMMEDIATE inject after 300 s, not after 10 and 30 min', () => {
    const c = clock([0, 'running', 6]);
    const accepted = T0 + 20 * S;
    const flash = message('m1', 'FLASH', accepted);
    const imm = inject('i1', 'IMMEDIATE', accepted);
    const at = (now: number) => liveOverdue([flash], [imm], c, now).map((a) => a.messageId);

    const flashDue = consoleOverdueFrom(c, 'FLASH', accepted);
    expect(flashDue).toBe(accepted + 100 * S);
    expect(lineDeadline(c, 'FLASH', accepted, accepted)!.dueAt).toBe(flashDue);
    expect(at(flashDue - 1)).toEqual([]);
    expect(at(flashDue)).toEqual(['m1']);

    const injectDue = consoleOverdueFrom(c, 'IMMEDIATE', accepted);
    expect(injectDue).toBe(accepted + 300 * S);
    expect(at(injectDue - 1)).toEqual(['m1']);
    expect(at(injectDue)).toEqual(['m1', 'i1']);

    const alarms = liveOverdue([flash], [imm], c, injectDue, (s) => s.toUpperCase());
    expect(alarms.map((a) => [a.at, a.code, a.station, a.idx])).toEqual([
      [flashDue, 'ACK_OVERDUE', 'beijing', 10],
      [injectDue, 'ACK_OVERDUE', 'washington', 11],
    ]);
    expect(alarms[0]!.message).toBe('FLASH WASHINGTON → BEIJING “Alpha”: not acknowledged within 10 min of line time');
    expect(alarms[1]!.message).toBe(
      'IMMEDIATE exercise inject INJ-01 for WASHINGTON: not acknowledged within 30 min of line time',
    );
  });

  it('judges an acknowledgement in line time: 2 real minutes at 6x is late for a FLASH, 90 s is not', () => {
    const c = clock([0, 'running', 6]);
    const late = liveOverdue([message('m1', 'FLASH', T0, T0 + 2 * MIN)], [], c, T0 + 5 * MIN);
    expect(late.map((a) => a.message)).toEqual([
      'FLASH washington → beijing “Alpha”: acknowledged late, after 2 min real time (objective 10 min of line time)',
    ]);
    expect(liveOverdue([], [inject('i1', 'FLASH', T0, T0 + 90 * S)], c, T0 + 5 * MIN)).toEqual([]);
  });

  it('stands still while paused, as the console’s countdown does, and goes on after the resume', () => {
    // STARTEX at 6x; a FLASH inject at 10 s; pause at 30 s (2 min of line time gone); resume at 10 min.
    const c = clock([0, 'running', 6], [30 * S, 'paused']);
    const flash = inject('i1', 'FLASH', T0 + 10 * S);
    expect(liveOverdue([], [flash], c, T0 + 3 * 3_600 * S)).toEqual([]);
    expect(lineDeadline(c, 'FLASH', T0 + 10 * S, T0 + 3 * 3_600 * S)).toEqual({ leftMs: 8 * MIN });
    c.apply({ at: T0 + 10 * MIN, idx: 2, state: 'running', compression: 6, by: 'Control' });
    const due = consoleOverdueFrom(c, 'FLASH', T0 + 10 * S);
    expect(due).toBe(T0 + 10 * MIN + 80 * S);
    expect(liveOverdue([], [flash], c, due - 1)).toEqual([]);
    expect(liveOverdue([], [flash], c, due).map((a) => a.at)).toEqual([due]);
  });

  it('runs in real time before STARTEX, and raises nothing once ENDEX stopped the clock short of a deadline', () => {
    const planned = clock();
    const flash = message('m1', 'FLASH', T0);
    expect(consoleOverdueFrom(planned, 'FLASH', T0)).toBe(T0 + 10 * MIN);
    expect(liveOverdue([flash], [], planned, T0 + 10 * MIN - 1)).toEqual([]);
    expect(liveOverdue([flash], [], planned, T0 + 10 * MIN).map((a) => a.message)).toEqual([
      'FLASH washington → beijing “Alpha”: not acknowledged within 10 min',
    ]);
    const ended = clock([0, 'running', 6], [60 * S, 'ended']);
    expect(liveOverdue([], [inject('i1', 'FLASH', T0 + 30 * S)], ended, T0 + 24 * 3_600 * S)).toEqual([]);
  });

  it('raises a quiet overdue alarm for a PRIORITY message at 3 h of line time (18 real minutes at 10x)', () => {
    const c = clock([0, 'running', 10]);
    const accepted = T0 + 60 * S;
    const priority = message('m1', 'PRIORITY', accepted);
    const flash = inject('i1', 'FLASH', accepted);
    const due = consoleOverdueFrom(c, 'PRIORITY', accepted);
    expect(due).toBe(accepted + 18 * MIN);
    expect(liveOverdue([priority], [flash], c, due - 1).map((a) => a.messageId)).toEqual(['i1']);
    const alarms = liveOverdue([priority], [flash], c, due);
    expect(alarms.map((a) => [a.messageId, a.at, a.code, a.quiet])).toEqual([
      ['i1', accepted + MIN, 'ACK_OVERDUE', undefined],
      ['m1', due, 'ACK_OVERDUE', true],
    ]);
    expect(alarms[1]!.message).toBe('PRIORITY washington → beijing “Alpha”: not acknowledged within 3 h of line time');
    // Acknowledged at 17 real minutes (2 h 50 min of line time): met, no alarm; at 19, late.
    expect(liveOverdue([message('m1', 'PRIORITY', accepted, accepted + 17 * MIN)], [], c, due + MIN)).toEqual([]);
    expect(liveOverdue([message('m1', 'PRIORITY', accepted, accepted + 19 * MIN)], [], c, due + MIN)).toMatchObject([
      { quiet: true, message: /acknowledged late, after 19 min real time \(objective 3 h of line time\)/ },
    ]);
  });

  it('gives a ROUTINE inject 6 h, in real time before STARTEX', () => {
    const planned = clock();
    const routine = inject('i2', 'ROUTINE', T0);
    expect(liveOverdue([], [routine], planned, T0 + 6 * 60 * MIN - 1)).toEqual([]);
    expect(liveOverdue([], [routine], planned, T0 + 6 * 60 * MIN)).toMatchObject([
      {
        at: T0 + 6 * 60 * MIN,
        quiet: true,
        message: 'ROUTINE exercise inject INJ-01 for washington: not acknowledged within 6 h',
      },
    ]);
  });
});
