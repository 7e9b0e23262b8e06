// How `hotline exercise run` prints an exercise's RunState: a header with the phase and exercise time, then
// the MSEL as a table, one inject a line. Exercise times of past events come from the transitions the relay
// sent, read with the same ExerciseClock every console uses.
import { zuluTime } from '../shared/dtg.js';
import { ExerciseClock, formatExerciseTime, type Phase } from '../shared/exercise-clock.js';
import type { InjectStatus, RunState } from '../shared/http-api.js';
import { injectOffset, textIn } from '../shared/scenario.js';

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  planned: 'PLANNED',
  running: 'RUNNING',
  paused: 'PAUSED',
  ended: 'ENDEX',
};

const SUBJECT_WIDTH = 48;

export function clockOf(run: Pick<RunState, 'transitions'>): ExerciseClock {
  const clock = new ExerciseClock();
  for (const t of run.transitions)
    clock.apply({ at: Date.parse(t.at), idx: t.idx, state: t.state, compression: t.compression ?? 1, by: t.by });
  return clock;
}

/** "incident-at-sea RUNNING T+00:12:30 at 6x (08:42:10Z)". */
export function phaseLine(run: RunState): string {
  return `${run.exercise} ${PHASE_LABELS[run.phase]} ${formatExerciseTime(run.exerciseMs)} at ${run.compression}x (${zuluTime(run.at)})`;
}

function when(inject: InjectStatus, clock: ExerciseClock): string {
  if (inject.fired) {
    const ms = clock.exerciseMs(Date.parse(inject.fired.at));
    return `fired ${zuluTime(inject.fired.at)} ${formatExerciseTime(ms)} entry ${inject.fired.idx}`;
  }
  if (inject.dueAt !== undefined) return `due ${zuluTime(inject.dueAt)}`;
  return '-';
}

function status(inject: InjectStatus): string {
  return [inject.status, inject.edited ? 'edited' : '', inject.added ? 'ad hoc' : ''].filter(Boolean).join(', ');
}

function cut(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** The MSEL's rows, header first, each cell unpadded. */
export function mselRows(run: RunState): string[][] {
  const clock = clockOf(run);
  const rows = run.injects.map((i) => {
    const offset = injectOffset(i.def);
    return [
      i.id,
      offset === undefined ? 'manual' : formatExerciseTime(offset),
      i.def.to,
      i.def.precedence,
      status(i),
      when(i, clock),
      cut(textIn(i.def.subject, 'en') ?? textIn(i.def.body, 'en') ?? '', SUBJECT_WIDTH),
    ];
  });
  return [['ID', 'AT', 'TO', 'PRECEDENCE', 'STATUS', 'DUE/FIRED', 'SUBJECT'], ...rows];
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The whole text `hotline exercise run` prints. */
export function runText(run: RunState): string[] {
  const lines = [phaseLine(run)];
  lines.push(`STARTEX ${run.startex ? zuluTime(run.startex) : '-'}  ENDEX ${run.endex ? zuluTime(run.endex) : '-'}`);
  lines.push(
    run.scenario
      ? `scenario "${run.scenario.title}" (entry ${run.scenario.idx}, loaded by ${run.scenario.by})`
      : 'no scenario loaded',
  );
  if (run.injects.length === 0) return lines;
  return [...lines, '', ...columns(mselRows(run))];
}
