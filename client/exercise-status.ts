// The exercise's state as a console shows it: the phase and clock its own verifier computed from the
// log's exercise-state entries (never the relay's word alone), and whether the line is closed.
import type { ExerciseClock, Phase, Transition } from '../shared/exercise-clock.js';

export interface ExerciseStatus {
  phase: Phase;
  /** Exercise seconds per real second while running. */
  compression: number;
  /** STARTEX and ENDEX (ISO 8601, relay time), once they are in the log. */
  startex?: string;
  endex?: string;
  /** The last lifecycle entry: which state, by which trainer, when, at which idx. */
  last?: { state: Transition['state']; by: string; at: string; idx: number };
  /**
   * Nothing more can be sent: ENDEX is in the log, or the relay refused a submit EXERCISE_ENDED (it may say
   * so before this console has received the ENDEX entry).
   */
  closed: boolean;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function exerciseStatus(clock: ExerciseClock, refusedEnded: boolean): ExerciseStatus {
  const status: ExerciseStatus = {
    phase: clock.phase,
    compression: clock.compression,
    closed: refusedEnded || clock.phase === 'ended',
  };
  const startex = iso(clock.startex);
  const endex = iso(clock.endex);
  if (startex !== undefined) status.startex = startex;
  if (endex !== undefined) status.endex = endex;
  const t = clock.transitions.at(-1);
  if (t) status.last = { state: t.state, by: t.by, at: new Date(t.at).toISOString(), idx: t.idx };
  return status;
}
