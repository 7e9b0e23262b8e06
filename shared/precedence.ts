// Precedence (ACP 121) as every console applies it: the order of urgency, the labels, and the acknowledgement
// deadlines that alarms count down to. The four values themselves are the schema enum PRECEDENCES in
// items.ts, most urgent first, so the order is theirs.
import { PRECEDENCES, type Lang, type Precedence } from './items.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A table of acknowledgement deadlines (ms of line time) by precedence. */
export type AckDeadlines = Readonly<Partial<Record<Precedence, number>>>;

/** The bounds of a deadline an exercise may set (a `procedures` entry): one minute to seven days. */
export const ACK_DEADLINE_BOUNDS_MS = { min: MINUTE, max: 7 * 24 * HOUR } as const;

/**
 * The default acknowledgement deadline of each precedence, from the relay's acceptance of the message, in line time
 * (shared/deadlines.ts counts it): the ACP 121 handling objectives. Every console, the trainer, the replay and
 * the report read this table unless the exercise set its own before STARTEX (a `procedures` entry, which the
 * exercise clock carries as `deadlines`: read that wherever an exercise is known). Typed Partial so that a precedence without a deadline stays expressible;
 * today all four have one. Only FLASH and IMMEDIATE interrupt the operator when due (`interrupts`); a PRIORITY
 * or ROUTINE past its deadline is shown overdue without a tone or an assertive announcement.
 */
export const ACK_DEADLINE_MS: AckDeadlines = {
  FLASH: 10 * MINUTE,
  IMMEDIATE: 30 * MINUTE,
  PRIORITY: 3 * HOUR,
  ROUTINE: 6 * HOUR,
};

/** The precedences that have a deadline in `table`, with it, most urgent first (for hints and legends). */
export function deadlineList(table: AckDeadlines): readonly (readonly [Precedence, number])[] {
  return PRECEDENCES.flatMap((p) => {
    const ms = table[p];
    return ms === undefined ? [] : [[p, ms] as const];
  });
}

/** "FLASH 5 min, IMMEDIATE 15 min, PRIORITY 3 h, ROUTINE 6 h": a table in words (a `procedures` entry's). */
export function deadlinesSummary(table: AckDeadlines): string {
  return deadlineList(table)
    .map(([p, ms]) => `${p} ${deadlineText(ms)}`)
    .join(', ');
}

/** The default deadlines as a list (where no exercise is known, e.g. the landing page). */
export const ACK_DEADLINES = deadlineList(ACK_DEADLINE_MS);

export function isPrecedence(value: string): value is Precedence {
  return (PRECEDENCES as readonly string[]).includes(value);
}

/** Orders most urgent first. */
export function byUrgency(a: Precedence, b: Precedence): number {
  return PRECEDENCES.indexOf(a) - PRECEDENCES.indexOf(b);
}

/**
 * FLASH and IMMEDIATE interrupt the operator (an assertive announcement, a tone, the terminal bell), on arrival
 * and when overdue; PRIORITY and ROUTINE wait their turn. Not the same as having a deadline: all four have one.
 */
export function interrupts(p: Precedence): boolean {
  return byUrgency(p, 'IMMEDIATE') <= 0;
}

/** Chinese glosses of the ACP 121 precedence prosigns; the English prosign is always shown too. */
export const PRECEDENCE_ZH: Readonly<Record<Precedence, string>> = {
  FLASH: '特急',
  IMMEDIATE: '加急',
  PRIORITY: '急',
  ROUTINE: '平',
};

/** The label of a precedence: the prosign, followed in Chinese by its gloss ("FLASH 特急"). */
export function precedenceLabel(p: Precedence, lang: Lang = 'en'): string {
  return lang === 'zh' ? `${p} ${PRECEDENCE_ZH[p]}` : p;
}

/** A deadline in words: "10 min", "3 h" ("10 分钟", "3 小时"); whole hours are said in hours. */
export function deadlineText(ms: number, lang: Lang = 'en'): string {
  const [n, unit] = ms >= HOUR && ms % HOUR === 0 ? [ms / HOUR, 'h'] : [Math.round(ms / MINUTE), 'min'];
  if (lang === 'zh') return `${n} ${unit === 'h' ? '小时' : '分钟'}`;
  return `${n} ${unit}`;
}
