// The scenario file (MSEL, master scenario events list): what a trainer loads before STARTEX. Validated here,
// on the relay, in the trainer console before upload and by `hotline exercise create --scenario`, with errors
// that name the inject and the field ("inject INJ-03 (injects[2]) body.zh: required ..."). docs/scenarios.md
// documents the format; scenarios/ holds the shipped examples.
import { z } from 'zod';
import { MAX_COMPRESSION, parseOffset } from './exercise-clock.js';
import {
  exerciseDef,
  LANGS,
  LIMITS,
  PRECEDENCES,
  SLUG,
  utf16Text,
  type ExerciseDef,
  type Lang,
  type Precedence,
} from './items.js';
import { ACK_DEADLINE_BOUNDS_MS } from './precedence.js';

export const SCENARIO_FORMAT = 'hotline-scenario';
/** The largest scenario file, in UTF-8 bytes: it is one private log entry and must fit one entry frame. */
export const MAX_SCENARIO_BYTES = 192 * 1024;
export const MAX_INJECTS = 200;
export const INJECT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export const SCENARIO_LIMITS = {
  originator: 120,
  expectedAction: 1_000,
  controllerNotes: 2_000,
  summary: 2_000,
} as const;

/** Text in one or both languages: `{"zh": "…", "en": "…"}`. */
export const texts = (max: number) =>
  z
    .strictObject({ zh: utf16Text(max, 1).optional(), en: utf16Text(max, 1).optional() })
    .refine((t) => t.zh !== undefined || t.en !== undefined, 'give the text in zh, en or both');
export type Texts = { [L in Lang]?: string | undefined };

const when = z
  .string()
  .refine(
    (s) => s === 'manual' || parseOffset(s) !== undefined,
    'an exercise-time offset ("00:05:00", "5:00" or seconds) or "manual"',
  );

export const injectDef = z.strictObject({
  id: z.string().regex(INJECT_ID, 'letters, digits, ".", "_" or "-" (at most 32), starting with a letter or digit'),
  /** Exercise time after STARTEX, or "manual" for a contingency inject the controller fires. */
  at: when,
  to: z.string().regex(SLUG, 'a station id of the exercise'),
  /** The simulated originator: a theatre command, an embassy, a news wire. */
  from: texts(SCENARIO_LIMITS.originator),
  precedence: z.enum(PRECEDENCES),
  subject: texts(LIMITS.subject).optional(),
  body: texts(LIMITS.body),
  expectedAction: utf16Text(SCENARIO_LIMITS.expectedAction, 1),
  controllerNotes: utf16Text(SCENARIO_LIMITS.controllerNotes).optional(),
});
export type InjectDef = z.infer<typeof injectDef>;

const MINUTE = 60_000;
/** One deadline in a scenario file: minutes of line time, 1 to 10080 (7 days), as `procedures` allows. */
const deadlineMinutes = z
  .number()
  .min(ACK_DEADLINE_BOUNDS_MS.min / MINUTE)
  .max(ACK_DEADLINE_BOUNDS_MS.max / MINUTE);

export const scenarioSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT),
  v: z.literal(1),
  title: utf16Text(LIMITS.title, 1),
  summary: utf16Text(SCENARIO_LIMITS.summary).optional(),
  /** The exercise `hotline exercise create --scenario` makes when none is named. */
  exercise: exerciseDef.optional(),
  /** Exercise seconds per real second once running (1 to 60); the trainer may change it at STARTEX. */
  compression: z.number().min(1).max(MAX_COMPRESSION).optional(),
  /**
   * The exercise's acknowledgement deadlines in minutes, all four; loading the scenario records them as a
   * `procedures` entry. Absent: the ACP 121 defaults (or what the trainer set).
   */
  deadlines: z
    .strictObject({
      FLASH: deadlineMinutes,
      IMMEDIATE: deadlineMinutes,
      PRIORITY: deadlineMinutes,
      ROUTINE: deadlineMinutes,
    })
    .optional(),
  injects: z.array(injectDef).min(1).max(MAX_INJECTS),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** A valid scenario's `deadlines` in ms (whole), the data of its `procedures` entry; undefined when it has none. */
export function scenarioDeadlinesMs(value: unknown): Record<Precedence, number> | undefined {
  const d = scenarioSchema.parse(value).deadlines;
  if (!d) return undefined;
  const ms = (min: number) => Math.round(min * MINUTE);
  return { FLASH: ms(d.FLASH), IMMEDIATE: ms(d.IMMEDIATE), PRIORITY: ms(d.PRIORITY), ROUTINE: ms(d.ROUTINE) };
}

/** An inject's time in exercise ms, or undefined for a manual one. */
export function injectOffset(inject: Pick<InjectDef, 'at'>): number | undefined {
  return inject.at === 'manual' ? undefined : parseOffset(inject.at);
}

function where(path: readonly PropertyKey[], value: unknown): string {
  if (path[0] === 'injects' && typeof path[1] === 'number') {
    const inj = (value as { injects?: { id?: unknown }[] } | undefined)?.injects?.[path[1]];
    const name = typeof inj?.id === 'string' ? `inject ${inj.id} (injects[${path[1]}])` : `injects[${path[1]}]`;
    const rest = path.slice(2).join('.');
    return rest ? `${name} ${rest}` : name;
  }
  return path.length ? path.join('.') : '(scenario)';
}

/** Every problem of a scenario, each naming the inject and the field; empty when it is valid for `def`. */
export function scenarioProblems(value: unknown, def?: ExerciseDef): string[] {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.slice(0, 20).map((i) => `${where(i.path, value)}: ${i.message}`);
  const s = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  s.injects.forEach((inj, i) => {
    const name = `inject ${inj.id} (injects[${i}])`;
    if (seen.has(inj.id)) problems.push(`${name} id: used by an earlier inject`);
    seen.add(inj.id);
    const station = def?.stations.find((st) => st.id === inj.to);
    if (def && !station) problems.push(`${name} to: no station ${inj.to} in exercise ${def.id}`);
    const lang = station?.lang;
    if (lang) {
      for (const field of ['from', 'subject', 'body'] as const) {
        const t = inj[field];
        if (t !== undefined && t[lang] === undefined)
          problems.push(`${name} ${field}.${lang}: required, the language of station ${inj.to}`);
      }
    }
  });
  return problems;
}

/** The text to show in `lang`, else the other language's. */
export function textIn(t: Texts | undefined, lang: Lang): string | undefined {
  if (!t) return undefined;
  return t[lang] ?? t[LANGS.find((l) => l !== lang)!];
}
