// Labels of the operator console in English and Chinese. Beijing starts in zh, Washington in en; the
// operator may switch, and the choice is kept per console. Times stay UTC (Z) in both languages.
import { ERRORS, HotlineError, isErrorCode, type ErrorCode } from '../../../shared/errors.js';
import type { ExerciseDef, Lang, Precedence } from '../../../shared/items.js';
import {
  ACK_DEADLINE_MS,
  deadlineList,
  deadlineText,
  type AckDeadlines,
  PRECEDENCE_ZH,
  precedenceLabel as labelIn,
} from '../../../shared/precedence.js';
import { shortName, stationName as nameIn } from '../../../shared/stations.js';
import { ERRORS_ZH, TABLES, type Key } from './strings.js';

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

/** The label for `key` with `node` in place of its `{slot}` placeholder (a name that needs its own `lang`). */
export function tWith(
  key: Key,
  slot: string,
  node: Node,
  params: Record<string, string | number> = {},
): (string | Node)[] {
  const [before = '', after = ''] = t(key, params).split(`{${slot}}`);
  return [before, node, after];
}

// The shared rules, in the console's current language.

export function precedenceLabel(p: Precedence): string {
  return labelIn(p, current);
}

export function stationName(def: ExerciseDef, id: string): string {
  return nameIn(def, id, current);
}

export function stationShort(def: ExerciseDef, id: string): string {
  return shortName(def, id, current);
}

/** What the compose form says about deadlines: one sentence per precedence that has one. */
export function precedenceHint(table: AckDeadlines = ACK_DEADLINE_MS): string {
  return deadlineList(table)
    .map(([p, ms], i) =>
      t(i === 0 ? 'deadlineHintFirst' : 'deadlineHintNext', {
        prec: p,
        gloss: PRECEDENCE_ZH[p],
        t: deadlineText(ms, current),
      }),
    )
    .join(current === 'zh' ? '' : ' ');
}

/** An error code in words, in the current language. */
export function errorText(code: ErrorCode): string {
  return (current === 'zh' ? ERRORS_ZH[code] : undefined) ?? ERRORS[code].message;
}

/** Why a client action (a call request or answer, a translation) was refused, in the current language. */
export function refusalText(err: unknown): string {
  if (err instanceof HotlineError && isErrorCode(err.code))
    return t('callRefused', { why: `${errorText(err.code)} (${err.code})` });
  return t('callRefused', { why: (err as Error).message });
}

export function browserLang(): Lang {
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}
