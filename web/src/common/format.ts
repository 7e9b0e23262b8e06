// Formatting shared by the browser consoles. Every time a console shows is UTC ("Z"); DTGs come from
// shared/dtg.ts.
import { classificationLevel } from '../../../shared/classification.js';
import { zuluTime } from '../../../shared/dtg.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown or elapsed time: `9:05`, `1:02:03` (hours only when needed); never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/**
 * `10:12:03Z`: the one way the operator console gives a time of day (states, deadlines, alarms, the clock,
 * the link banner), so no time is read in two formats; a message's DTG stays its date-time group.
 */
export function utcTime(at: string | Date | number): string {
  return zuluTime(typeof at === 'number' ? new Date(at) : at);
}

/** `2025-11-29 10:12:03Z`: a full UTC timestamp for tooltips and logs. */
export function utcStamp(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** CSS class for a classification line, as both consoles spell it (palette.css): `level-secret`, … */
export function classificationClass(line: string): string {
  return `level-${classificationLevel(line)}`;
}
