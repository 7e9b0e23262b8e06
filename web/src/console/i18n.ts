// Labels of the operator console in English and Chinese. Beijing starts in zh, Washington in en; the
// operator may switch, and the choice is kept per console. Times stay UTC (Z) in both languages.
import { ERRORS, type ErrorCode } from '../../../shared/errors.js';
import type { ExerciseDef, Lang, Precedence } from '../../../shared/items.js';
import { ERRORS_ZH, PRECEDENCE_ZH, STATION_ZH, TABLES, type Key } from './strings.js';

export type { Key } from './strings.js';

let current: Lang = 'en';

export function lang(): Lang {
  return current;
}

/** Switches the labels' language; callers re-render. Also sets <html lang> for assistive technology. */
export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next === 'zh' ? 'zh-Hans' : 'en';
}

/** The label for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  return TABLES[current][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function precedenceLabel(p: Precedence): string {
  return current === 'zh' ? `${p} ${PRECEDENCE_ZH[p]}` : p;
}

export function stationName(def: ExerciseDef, id: string): string {
  const zhName = STATION_ZH[id];
  if (current === 'zh' && zhName) return zhName.name;
  return def.stations.find((s) => s.id === id)?.name ?? id;
}

export function stationShort(def: ExerciseDef, id: string): string {
  const zhName = STATION_ZH[id];
  if (current === 'zh' && zhName) return zhName.short;
  const name = def.stations.find((s) => s.id === id)?.name ?? id;
  return name.split(' · ')[0] ?? name;
}

/** An error code in words, in the current language. */
export function errorText(code: ErrorCode): string {
  return (current === 'zh' ? ERRORS_ZH[code] : undefined) ?? ERRORS[code].message;
}

export function browserLang(): Lang {
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}
