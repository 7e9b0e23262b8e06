// The words and times of the line's procedures at the operator console, without the DOM (so they are tested
// in Node): a call's state said so that it cannot be misread (whose answer is awaited, what was agreed, who
// let it lapse), a call time as `15:00Z 3 Dec` (12月3日 15:00Z in Chinese: minutes and the day, never a DTG,
// because a proposed time is not a message's time), the date and HH:MM fields read as UTC, a link test's
// timeout, and how long a translation took after the message arrived.
import type { CallLevel, Lang } from '../../../shared/items.js';
import type { CallView } from '../../../shared/line-book.js';
import type { Key } from './strings.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export const LEVEL_KEY: Record<CallLevel, Key> = {
  principal: 'levelPrincipal',
  deputy: 'levelDeputy',
  working: 'levelWorking',
};

/** A call's time in UTC: `15:00Z 3 Dec`, or `12月3日 15:00Z`. */
export function callTime(at: string | number, lang: Lang): string {
  const d = new Date(at);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
  return lang === 'zh'
    ? `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hm}`
    : `${hm} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** When a window closes: `14:02:11Z`, with the day when it is not today's (UTC), as a 48-hour window's is. */
export function dueText(at: number, now: number, lang: Lang): string {
  const d = new Date(at);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
  if (d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10)) return time;
  return lang === 'zh'
    ? `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${time}`
    : `${time} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** The `date` and `time` fields' values for an instant (UTC): `['2026-12-02', '15:00']`. */
export function dateAndTime(at: string | number): [string, string] {
  const iso = new Date(at).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 16)];
}

/** The instant a date (YYYY-MM-DD) and an HH:MM (UTC) name, as the protocol writes it; undefined if invalid. */
export function instantOf(date: string, time: string): string | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(date) || !/^\d\d:\d\d$/.test(time)) return undefined;
  const ms = Date.parse(`${date}T${time}:00.000Z`);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  // Date.parse rolls 2026-02-30 over to March: a date that is not on the calendar is refused, not moved.
  return iso.startsWith(`${date}T${time}`) ? iso : undefined;
}

/** A proposal's default: the next whole hour at least an hour from `now`. */
export function defaultProposal(now: number): string {
  const hour = 3_600_000;
  return new Date((Math.floor(now / hour) + 2) * hour).toISOString();
}

/** The station whose answer was awaited when the call lapsed: the one that did not take the last step. */
export function lapsedBy(call: CallView): string | undefined {
  if (call.state !== 'expired') return undefined;
  const last = [...call.steps].reverse().find((s) => s.action !== 'expired');
  if (!last) return call.to;
  return last.by === call.from ? call.to : call.from;
}

export type CallPhrase =
  | { key: 'callAwaitingYou' }
  | { key: 'callAwaitingThem'; station: string }
  | { key: 'callAccepted'; at: string }
  | { key: 'callDeclined'; station: string }
  | { key: 'callExpiredYou' }
  | { key: 'callExpiredThem'; station: string };

/** A call's state as this station must read it: whose turn it is, or how it ended and by whom. */
export function callPhrase(call: CallView, me: string): CallPhrase {
  switch (call.state) {
    case 'awaiting':
      return call.awaiting === me
        ? { key: 'callAwaitingYou' }
        : { key: 'callAwaitingThem', station: call.awaiting ?? '' };
    case 'accepted':
      return { key: 'callAccepted', at: call.callAt ?? call.proposedAt };
    case 'declined': {
      const by = [...call.steps].reverse().find((s) => s.action === 'decline')?.by ?? call.to;
      return { key: 'callDeclined', station: by };
    }
    case 'expired': {
      const lapsed = lapsedBy(call) ?? call.to;
      return lapsed === me ? { key: 'callExpiredYou' } : { key: 'callExpiredThem', station: lapsed };
    }
  }
}

/** A link test's timeout or interval: `500 ms`, `60 s`, `5 min`, `1 h`. */
export function spanText(ms: number, lang: Lang): string {
  const zh = lang === 'zh';
  if (ms < 1000) return zh ? `${ms} 毫秒` : `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return zh ? `${Math.round(ms / 1000)} 秒` : `${Math.round(ms / 1000)} s`;
  if (ms % 3_600_000 !== 0) return zh ? `${ms / 60_000} 分钟` : `${ms / 60_000} min`;
  return zh ? `${ms / 3_600_000} 小时` : `${ms / 3_600_000} h`;
}

/** A delay as the caption says it: whole seconds under a minute, else whole minutes. */
export function delayParts(ms: number): { key: 'delaySeconds' | 'delayMinutes'; n: number } {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? { key: 'delaySeconds', n: s } : { key: 'delayMinutes', n: Math.round(s / 60) };
}
