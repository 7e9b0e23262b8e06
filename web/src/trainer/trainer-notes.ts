// Trainer notes as exercise control reads them from the verified log: the text, who wrote it, when (UTC
// and exercise time) and the entry it is about. Notes are private to exercise control; the trainer's stream
// carries their content (`reveal`), which the ChainVerifier has already checked against the commitment. Pure.
import type { Entry } from '../../../shared/entry.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import { noteData } from '../../../shared/run-entries.js';

export interface NoteView {
  idx: number;
  at: string;
  /** Exercise time when it was written; null before STARTEX. */
  exerciseMs: number | null;
  by: string;
  text: string;
  /** The entry it is about, if any. */
  ref?: number;
}

/** The note an entry holds, if it is a note this reader may read. */
export function noteOf(entry: Entry, clock: ExerciseClock): NoteView | undefined {
  if (entry.kind !== 'note' || entry.reveal === undefined) return undefined;
  const parsed = noteData.safeParse(entry.reveal.data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const note: NoteView = {
    idx: entry.idx,
    at: entry.at,
    exerciseMs: clock.exerciseMs(Date.parse(entry.at)),
    by: d.by,
    text: d.text,
  };
  if (d.ref !== undefined) note.ref = d.ref;
  return note;
}
