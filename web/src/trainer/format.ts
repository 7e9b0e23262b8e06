// Formatting shared by every trainer screen: durations, times, station names, and the CSS class of a
// precedence (a classification marking's is in ../common/format.ts). Times, names and delays are the shared
// rules, re-exported here (a delay reads as in the report).
import { dtg, zuluTime } from '../../../shared/dtg.js';
import type { Precedence } from '../../../shared/items.js';

export { dtg, zuluTime };
export { markingText } from '../../../shared/classification.js';
export { shortName } from '../../../shared/stations.js';
// A delay ("850 ms", "3 min 05 s"; "—" when unknown) reads the same on the trainer's screens as in the report.
export { durationText as duration } from '../../../shared/report/format.js';

/**
 * A time that may fall on another day than the one in view: HH:MM:SSZ when it is on the UTC day of `today`,
 * else with its UTC date in front, "2026-12-02 03:13:34Z" (as the operator console's full stamps read).
 * Without `today` the date is always given. Never a DTG: that is a message's date-time group.
 */
export function zuluDated(at: string | Date | number, today?: number): string {
  const d = new Date(at);
  const day = d.toISOString().slice(0, 10);
  if (today !== undefined && new Date(today).toISOString().slice(0, 10) === day) return zuluTime(d);
  return `${day} ${zuluTime(d)}`;
}

/** Elapsed exercise time, T+HH:MM:SS. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `T+${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export function shortKid(kid: string): string {
  return kid.length > 12 ? `${kid.slice(0, 8)}…` : kid;
}

/** CSS class for a precedence (its colour): prec-flash, prec-immediate, … */
export function precedenceClass(p: Precedence): string {
  return `prec-${p.toLowerCase()}`;
}

/** A field of a log entry's data as text ('' when absent): a string as it is, anything else as JSON. */
export function dataText(data: Readonly<Record<string, unknown>> | undefined, key: string): string {
  const v = data?.[key];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
