// Formatting shared by every trainer screen: durations, times, station names.
import { dtg, zuluTime } from '../../../shared/dtg.js';
import { PRECEDENCES, type ExerciseDef } from '../../../shared/items.js';

export { dtg, zuluTime, PRECEDENCES };

/** A delay as a trainer reads it: "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min"; "—" when unknown. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  const s = Math.round(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${sign}${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Elapsed exercise time, T+HH:MM:SS. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `T+${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export function stationName(def: ExerciseDef | undefined, id: string): string {
  return def?.stations.find((s) => s.id === id)?.name ?? id;
}

/** The short name of a station: the part before " · " of its display name ("Beijing"). */
export function shortName(def: ExerciseDef | undefined, id: string): string {
  return stationName(def, id).split(' · ')[0] ?? id;
}

export function shortKid(kid: string): string {
  return kid.length > 12 ? `${kid.slice(0, 8)}…` : kid;
}

/** CSS class for a classification line: green for unclassified, red for secret, and so on. */
export function classificationClass(line: string): string {
  const l = line.toUpperCase();
  if (/TOP SECRET/.test(l)) return 'cls-topsecret';
  if (/UNCLASSIFIED/.test(l)) return 'cls-unclassified';
  if (/SECRET/.test(l)) return 'cls-secret';
  if (/CONFIDENTIAL/.test(l)) return 'cls-confidential';
  return 'cls-other';
}
