// Station names as every console shows them: the display name from the exercise definition, its short form,
// the Chinese names of the default exercise's stations, and the name of a station's console language.
import type { ExerciseDef, Lang } from './items.js';

/** Separates a display name's place from its office: "Beijing · Ministry of National Defense". */
export const NAME_SEPARATOR = ' · ';

/** The stations of the default exercise, and the defaults of the trainer's new-exercise form. */
export const DEFAULT_STATIONS: ExerciseDef['stations'] = [
  { id: 'beijing', name: 'Beijing · Ministry of National Defense', lang: 'zh' },
  { id: 'washington', name: 'Washington · Department of Defense', lang: 'en' },
];

/** Chinese display names, by station id, for a console read in Chinese. A Map: any slug is a valid id,
 * "constructor" included, and must not find a property of Object.prototype. */
const NAMES_ZH: ReadonlyMap<string, string> = new Map([
  ['beijing', '北京 · 中华人民共和国国防部'],
  ['washington', '华盛顿 · 美国国防部'],
]);

/** Each console language named in itself, as a station's banner shows it. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { zh: '中文 (zh)', en: 'English (en)' };

/**
 * A station's display name in `lang`: its Chinese name when there is one and Chinese is asked for, else the
 * exercise's name for it, else its id (a station the definition does not know, or no definition yet).
 */
export function stationName(def: ExerciseDef | undefined, id: string, lang: Lang = 'en'): string {
  return (lang === 'zh' ? NAMES_ZH.get(id) : undefined) ?? def?.stations.find((s) => s.id === id)?.name ?? id;
}

/** The short name of a station: the part of its display name before NAME_SEPARATOR ("Beijing", "北京"). */
export function shortName(def: ExerciseDef | undefined, id: string, lang: Lang = 'en'): string {
  return stationName(def, id, lang).split(NAME_SEPARATOR)[0] ?? id;
}
