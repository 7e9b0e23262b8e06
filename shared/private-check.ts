// What a verifier checks of one private entry (docs/PROTOCOL.md "Private entries"): its shape, its
// audience, and, for a reader of it, that the content matches the commitment the chain covers and fits
// its kind. The chain's own state (ids, injects) is the caller's (chain.ts).
import type { Entry } from './entry.js';
import { HotlineError } from './errors.js';
import { otherStation, type ExerciseDef } from './items.js';
import { commitmentOf, type Audience } from './private.js';
import { validate } from './protocol.js';
import {
  injectControlData,
  injectData,
  noteData,
  scenarioData,
  type InjectControlData,
  type InjectData,
  type NoteData,
  type ScenarioData,
} from './run-entries.js';

/** A private entry's content, checked, by kind. */
export type Opened =
  | { kind: 'inject'; data: InjectData }
  | { kind: 'note'; data: NoteData }
  | { kind: 'scenario'; data: ScenarioData }
  | { kind: 'inject-control'; data: InjectControlData };

function fault(entry: Entry, code: 'SCHEMA_INVALID' | 'WRONG_STATION' | 'COMMIT_MISMATCH', message: string) {
  return new HotlineError(code, `entry ${entry.idx}: ${message}`, { idx: entry.idx });
}

/**
 * Checks a private entry as `audience` receives it; the opened content, or undefined when this reader
 * holds only the commitment (allowed only when the entry is not addressed to it).
 */
export async function openPrivate(
  entry: Entry,
  reader: 'station' | 'control',
  audience: Audience,
  exercise: ExerciseDef | undefined,
): Promise<Opened | undefined> {
  if (entry.jws !== undefined || entry.data !== undefined || entry.commit === undefined)
    throw fault(entry, 'SCHEMA_INVALID', `a ${entry.kind} entry carries a commit and no data or jws`);
  if (reader === 'station' && (!exercise || otherStation(exercise, entry.to ?? '') === undefined))
    throw fault(entry, 'WRONG_STATION', `a ${entry.kind} entry names no station of the exercise in to`);
  if (reader === 'control' && entry.to !== undefined)
    throw fault(entry, 'SCHEMA_INVALID', `a ${entry.kind} entry is for exercise control: no to`);
  const mine = audience === 'control' || (reader === 'station' && entry.to === audience.station);
  const r = entry.reveal;
  if (r === undefined) {
    if (mine) throw fault(entry, 'SCHEMA_INVALID', `the content of this ${entry.kind} entry is missing`);
    return undefined;
  }
  if ((await commitmentOf(r)) !== entry.commit)
    throw fault(entry, 'COMMIT_MISMATCH', 'the content does not match the commitment in the hash');
  switch (entry.kind) {
    case 'inject':
      return { kind: 'inject', data: validate(injectData, r.data) };
    case 'note': {
      const data = validate(noteData, r.data);
      if (data.ref !== undefined && data.ref >= entry.idx)
        throw fault(entry, 'SCHEMA_INVALID', `a note refers to entry ${data.ref}, not an earlier one`);
      return { kind: 'note', data };
    }
    case 'scenario':
      return { kind: 'scenario', data: validate(scenarioData, r.data) };
    case 'inject-control':
      return { kind: 'inject-control', data: validate(injectControlData, r.data) };
    case 'alarm':
    case 'exercise-created':
    case 'exercise-state':
    case 'procedures':
    case 'key-enrolled':
    case 'key-revoked':
    case 'message':
    case 'receipt':
    case 'call':
    case 'call-expired':
    case 'translation':
    case 'link-test':
    case 'link-reply':
    case 'link-missed':
      throw fault(entry, 'SCHEMA_INVALID', `a ${entry.kind} entry is not private`);
  }
}
