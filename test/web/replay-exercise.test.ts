// The replay of an exercise run (test/helpers/replay-log.ts): STARTEX at 6x, an inject for each station, a
// note, a pause, a resume and ENDEX. Exercise times are computed here from the schedule the log was written
// with, independently of ExerciseClock; the consoles at T hold exactly what their streams carried: an inject's
// content on the console it was addressed to, only its commitment on the other.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatExerciseTime } from '../../shared/exercise-clock.js';
import { logEvents, recordsOf } from '../../shared/replay-events.js';
import { lineDueAt } from '../../shared/deadlines.js';
import { ReplayModel } from '../../web/src/trainer/replay-model.js';
import { verifyLog, type VerifiedLog } from '../../web/src/trainer/verified-log.js';
import { logKeys } from '../helpers/log-fixture.js';
import { exerciseRun } from '../helpers/replay-log.js';

const MIN = 60_000;
const day = (hms: string) => Date.parse(`2026-11-29T${hms}.000Z`);
const STARTEX = day('09:01:00');
const PAUSE = day('09:05:00');
const RESUME = day('09:10:00');
const ENDEX = day('09:12:00');

/** Exercise time from the schedule: 6x from STARTEX to the pause and from the resume to ENDEX. */
function expectedMs(t: number): number | null {
  if (t < STARTEX) return null;
  const run = (from: number, to: number) => Math.max(0, Math.min(t, to) - from) * 6;
  return run(STARTEX, PAUSE) + run(RESUME, ENDEX);
}

describe('replay of an exercise run with injects, notes and a compressed, paused clock', () => {
  let run: Awaited<ReturnType<typeof exerciseRun>>;
  let log: VerifiedLog;
  let model: ReplayModel;
  const tOf = (e: { idx: number }) => model.timeOf(e.idx);

  beforeAll(async () => {
    run = await exerciseRun(await logKeys());
    log = await verifyLog(new TextEncoder().encode(await run.log.exportText()));
    expect(log.report.fault).toBeUndefined();
    model = new ReplayModel(log.report.header!.exercise, log.records);
  });

  it('reads the clock the verifier read, and every event carries its exercise time', () => {
    expect(model.clock.transitions).toEqual(log.report.verifier.clock.transitions);
    const events = logEvents(log.records);
    expect(events.map((e) => e.idx)).toEqual(log.records.map((r) => r.entry.idx));
    for (const e of events) expect(e.exerciseMs, `entry ${e.idx}`).toBe(expectedMs(Date.parse(e.at)));
    expect(formatExerciseTime(events[run.inj1.entry.idx]!.exerciseMs)).toBe('T+00:12:00');
    expect(formatExerciseTime(events[run.inj2.entry.idx]!.exerciseMs)).toBe('T+00:30:00');
  });

  it('marks STARTEX, pause, resume and ENDEX, each inject and the note, with UTC and exercise time', () => {
    const at = (idx: number) => model.markers.find((m) => m.idx === idx)!;
    const states = model.markers.filter((m) => m.kind === 'state');
    expect(states.map((m) => [m.state, m.idx, m.exerciseMs])).toEqual([
      ['STARTEX', run.startex.idx, 0],
      ['PAUSE', run.pause.idx, 24 * MIN],
      ['RESUME', run.resume.idx, 24 * MIN],
      ['ENDEX', run.endex.idx, 36 * MIN],
    ]);
    expect(at(run.startex.idx).label).toBe('09:01:00Z T+00:00:00 STARTEX by Controller Wu (6x)');
    expect(at(run.pause.idx).label).toBe('09:05:00Z T+00:24:00 PAUSE by Controller Wu');
    expect(at(run.endex.idx).lane).toBe('control');

    const injects = model.markers.filter((m) => m.kind === 'inject');
    expect(injects.map((m) => [m.idx, m.t, m.station, m.precedence, m.lane])).toEqual([
      [run.inj1.entry.idx, tOf(run.inj1.entry), 'beijing', 'FLASH', 'injects'],
      [run.inj2.entry.idx, tOf(run.inj2.entry), 'washington', 'IMMEDIATE', 'injects'],
    ]);
    expect(injects[0]!.label).toBe(
      '09:03:00Z T+00:12:00 EXERCISE INJECT INJ-01 → Beijing (FLASH) from 东部战区: 不明船只',
    );
    expect(injects[1]!.label).toMatch(/^09:11:00Z T\+00:30:00 EXERCISE INJECT INJ-02 → Washington/);

    const note = at(run.note.idx);
    expect(note).toMatchObject({ kind: 'note', lane: 'control', exerciseMs: expectedMs(Date.parse(run.note.at)) });
    expect(note.label).toContain('note by Controller Wu: Beijing answered INJ-01');
    expect(model.markers.some((m) => m.kind === 'scenario' && m.label.includes('Incident at sea (2 injects)'))).toBe(
      true,
    );
    expect(model.markers.some((m) => m.kind === 'control' && m.label.includes('inject INJ-02: fire'))).toBe(true);
    // Before STARTEX there is no exercise time on a label.
    expect(at(0).label).toBe('09:00:00Z exercise created: Defense Telephone Link');
  });

  it('shows an inject in full on the console it was addressed to, and only its commitment on the other', () => {
    const before = model.stateAt(tOf(run.inj1.entry) - 1);
    expect(before.consoles.map((c) => [c.injects.length, c.passages.length])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const fired = model.stateAt(tOf(run.inj1.entry));
    const [bj, wa] = fired.consoles;
    expect(bj.injects).toEqual([
      expect.objectContaining({ inject: 'INJ-01', id: run.inj1.id, idx: run.inj1.entry.idx, body: run.inj1.data.body }),
    ]);
    expect(bj.injects[0]!.states.delivered).toBeUndefined();
    expect(wa.injects).toEqual([]);
    expect(wa.passages).toEqual([
      {
        idx: run.inj1.entry.idx,
        hash: run.inj1.entry.hash,
        at: run.inj1.entry.at,
        to: 'beijing',
        commit: run.inj1.entry.commit,
        states: {},
      },
    ]);
    // Not one byte of the inject's content reached Washington's view.
    const seen = JSON.stringify(wa);
    for (const text of [run.inj1.data.body.zh!, run.inj1.data.subject!.zh!, run.inj1.data.from.zh!, run.inj1.id])
      expect(seen).not.toContain(text);

    const acked = model.stateAt(tOf(run.reply.entry));
    expect(acked.consoles[0].injects[0]!.ackNote).toBe('收到');
    expect(acked.consoles[0].injects[0]!.states.acknowledged).toBe('2026-11-29T09:04:00.000Z');
    // Washington saw Beijing's public receipts for the private entry pass.
    expect(acked.consoles[1].passages[0]!.states.acknowledged).toBe(acked.consoles[0].injects[0]!.states.acknowledged);
    const end = model.stateAt(model.end);
    expect(end.consoles[1].injects.map((v) => v.inject)).toEqual(['INJ-02']);
    expect(end.consoles[0].passages.map((p) => p.idx)).toEqual([run.inj2.entry.idx]);
  });

  it('holds the exercise clock while paused and stops it at ENDEX', () => {
    const paused = model.stateAt(day('09:07:30'));
    expect(paused).toMatchObject({ phase: 'paused', exerciseMs: 24 * MIN, compression: 6 });
    expect(model.stateAt(day('09:09:59')).exerciseMs).toBe(24 * MIN);
    expect(model.stateAt(day('09:10:30'))).toMatchObject({ phase: 'running', exerciseMs: 27 * MIN });
    expect(model.stateAt(model.end)).toMatchObject({ phase: 'ended', exerciseMs: 36 * MIN });
    expect(model.stateAt(model.start)).toMatchObject({ phase: 'planned', exerciseMs: null });
  });

  it('counts the FLASH deadline in line time: 10 exercise minutes at 6x, frozen through the pause', () => {
    const accepted = Date.parse(run.reply.entry.at);
    // 10 min of line time: 6x from the reply to the pause, then 6x again after the resume.
    const due = RESUME + (10 * MIN - (PAUSE - accepted) * 6) / 6;
    expect(lineDueAt(model.clock, accepted, 10 * MIN)).toBe(due);
    expect(model.clock.lineElapsed(accepted, due)).toBeCloseTo(10 * MIN, 6);
    const overdue = (t: number) => model.stateAt(t).alarms.filter((a) => a.kind === 'overdue');
    expect(overdue(due - 1)).toEqual([]);
    expect(overdue(due)).toEqual([
      expect.objectContaining({ messageId: run.reply.id, station: 'washington', at: due, code: 'ACK_OVERDUE' }),
    ]);
    expect(model.markers.filter((m) => m.kind === 'overdue')).toEqual([
      expect.objectContaining({ t: due, precedence: 'FLASH', lane: 'alarms', exerciseMs: expectedMs(due) }),
    ]);
    // The IMMEDIATE inject for Washington: its 30 line minutes would end after ENDEX, which stops the clock.
    expect(lineDueAt(model.clock, Date.parse(run.inj2.entry.at), 30 * MIN)).toBeUndefined();
  });

  it('tells a station only what its stream carried: other private entries withheld, commitment kept', () => {
    const records = recordsOf(log.report.entries);
    const asBeijing = logEvents(records, { audience: { station: 'beijing' } });
    const inj2 = asBeijing[run.inj2.entry.idx]!;
    expect(inj2).toEqual({
      idx: run.inj2.entry.idx,
      at: run.inj2.entry.at,
      exerciseMs: 30 * MIN,
      phase: 'running',
      kind: 'inject',
      withheld: true,
      to: 'washington',
      commit: run.inj2.entry.commit,
    });
    expect(asBeijing[run.note.idx]).toMatchObject({ kind: 'note', withheld: true });
    expect(asBeijing[run.note.idx]).not.toHaveProperty('to');
    expect(asBeijing[run.inj1.entry.idx]).toMatchObject({ kind: 'inject', withheld: false, inject: 'INJ-01' });
    // (The inject's id is no secret: Washington's receipts, which Beijing verifies, carry it as their ref.)
    const text = JSON.stringify(asBeijing);
    for (const secret of [
      run.inj2.data.body.en!,
      'Collision reported',
      'Wire service',
      'Beijing answered',
      'Incident at sea',
    ])
      expect(text).not.toContain(secret);
    // Exercise control reads everything.
    const all = logEvents(records);
    expect(all[run.inj2.entry.idx]).toMatchObject({ withheld: false, id: run.inj2.id });
    expect(all[run.note.idx]).toMatchObject({ withheld: false, ref: run.inj1.entry.idx });
    expect(JSON.stringify(all[run.note.idx])).toContain('Beijing answered');
  });
});
