// A trainer's procedures request (POST /v1/exercises/:id/procedures) read against the values in force: the
// deadlines table and the line settings, each optional, each replacing only what it names. The entry the
// runner logs carries both in full, so a reader never needs an earlier procedures entry.
import { HotlineError } from '../shared/errors.js';
import { LINE_BOUNDS, lineSettings, withLineDefaults, type LineSettings } from '../shared/line-entries.js';
import { ackDeadlinesMs } from '../shared/run-entries.js';

export interface ProceduresInput {
  ackDeadlinesMs?: unknown;
  line?: unknown;
}

export interface Procedures {
  ackDeadlinesMs: Record<string, number>;
  line: LineSettings;
}

const DEADLINES_RULE =
  'ackDeadlinesMs gives FLASH, IMMEDIATE, PRIORITY and ROUTINE, each whole milliseconds from 60000 (1 min) to 604800000 (7 days).';

const b = LINE_BOUNDS;
const LINE_RULE =
  `line settings are whole milliseconds: callWindowMs ${b.callWindowMs.min} to ${b.callWindowMs.max}, ` +
  `linkTestIntervalMs ${b.linkTestIntervalMs.min} to ${b.linkTestIntervalMs.max}, ` +
  `linkTestTimeoutMs ${b.linkTestTimeoutMs.min} to ${b.linkTestTimeoutMs.max} and shorter than the interval.`;

/** The full procedures after `input`, or BAD_REQUEST naming the bounds. */
export function mergeProcedures(input: ProceduresInput, current: Procedures): Procedures {
  if (input.ackDeadlinesMs === undefined && input.line === undefined)
    throw new HotlineError('BAD_REQUEST', 'Give ackDeadlinesMs, line, or both.');
  let deadlines = { ...current.ackDeadlinesMs };
  if (input.ackDeadlinesMs !== undefined) {
    const parsed = ackDeadlinesMs.safeParse(input.ackDeadlinesMs);
    if (!parsed.success) throw new HotlineError('BAD_REQUEST', DEADLINES_RULE);
    deadlines = parsed.data;
  }
  let line = current.line;
  if (input.line !== undefined) {
    if (typeof input.line !== 'object' || input.line === null || Array.isArray(input.line))
      throw new HotlineError('BAD_REQUEST', LINE_RULE);
    const parsed = lineSettings.safeParse({ ...line, ...input.line });
    if (!parsed.success) throw new HotlineError('BAD_REQUEST', LINE_RULE);
    line = withLineDefaults(parsed.data);
  }
  return { ackDeadlinesMs: deadlines, line };
}
