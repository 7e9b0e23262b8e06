// The `data` of the entries that run an exercise (docs/PROTOCOL.md section 8): its lifecycle, which every
// reader sees, and the private contents of scenario, inject-control, inject and note entries, which only
// their readers see (shared/private.ts). Strict, like every signed payload: nothing rides along unchecked.
import { z } from 'zod';
import { EXERCISE_STATES, MAX_COMPRESSION } from './exercise-clock.js';
import { LIMITS, PRECEDENCES, utf16Text } from './items.js';
import { ACK_DEADLINE_BOUNDS_MS } from './precedence.js';
import { lineSettings } from './line-entries.js';
import { INJECT_ID, injectDef, SCENARIO_LIMITS, scenarioSchema, texts } from './scenario.js';

/** A trainer's display name, given at sign-in and carried in the token. */
export const trainerName = utf16Text(LIMITS.operator, 1);
export const NOTE_MAX = 2_000;

export const exerciseStateData = z.strictObject({
  state: z.enum(EXERCISE_STATES),
  by: trainerName,
  /** Exercise seconds per real second from this entry on; only on `running`. */
  compression: z.number().min(1).max(MAX_COMPRESSION).optional(),
});
export type ExerciseStateData = z.infer<typeof exerciseStateData>;

/** What the target station receives: the inject as fired, without expected action or controller notes. */
export const injectData = z.strictObject({
  /** A UUIDv7, unique in the exercise like item ids: the operator's receipts refer to it. */
  id: z.uuid({ version: 'v7' }),
  /** The MSEL inject it fires. */
  inject: z.string().regex(INJECT_ID),
  from: texts(SCENARIO_LIMITS.originator),
  precedence: z.enum(PRECEDENCES),
  subject: texts(LIMITS.subject).optional(),
  body: texts(LIMITS.body),
});
export type InjectData = z.infer<typeof injectData>;

export const INJECT_ACTIONS = ['add', 'edit', 'hold', 'release', 'skip', 'fire'] as const;
export type InjectAction = (typeof INJECT_ACTIONS)[number];

/** A controller's action on one inject; `def` is the inject as added or edited. */
export const injectControlData = z
  .strictObject({
    action: z.enum(INJECT_ACTIONS),
    inject: z.string().regex(INJECT_ID),
    by: trainerName,
    def: injectDef.optional(),
  })
  .refine(
    (d) => (d.action === 'add' || d.action === 'edit') === (d.def !== undefined),
    'def is given exactly for add and edit',
  )
  .refine((d) => d.def === undefined || d.def.id === d.inject, 'def.id is the inject it names');
export type InjectControlData = z.infer<typeof injectControlData>;

export const noteData = z.strictObject({
  text: utf16Text(NOTE_MAX, 1),
  by: trainerName,
  /** The entry the note is about, if any: an earlier idx. */
  ref: z.int().min(0).optional(),
});
export type NoteData = z.infer<typeof noteData>;

export const scenarioData = z.strictObject({ scenario: scenarioSchema, by: trainerName });
export type ScenarioData = z.infer<typeof scenarioData>;

/** One acknowledgement deadline an exercise may set: whole milliseconds, one minute to seven days. */
export const ackDeadlineMs = z.int().min(ACK_DEADLINE_BOUNDS_MS.min).max(ACK_DEADLINE_BOUNDS_MS.max);

/** The exercise's deadline table: all four precedences, so that no reader has to fill one in from a default. */
export const ackDeadlinesMs = z.strictObject({
  FLASH: ackDeadlineMs,
  IMMEDIATE: ackDeadlineMs,
  PRIORITY: ackDeadlineMs,
  ROUTINE: ackDeadlineMs,
});
export type AckDeadlinesMs = z.infer<typeof ackDeadlinesMs>;

/** A public `procedures` entry: the exercise's own deadlines and line settings (call window, link tests), set
 * before STARTEX (a later one replaces it whole; settings it leaves out take their defaults). */
export const proceduresData = z.strictObject({ ackDeadlinesMs, line: lineSettings.optional(), by: trainerName });
export type ProceduresData = z.infer<typeof proceduresData>;
