// The line's procedures in the terminal console (docs/PROTOCOL.md section 16): call requests numbered like
// messages (#N in /calls), each with whose turn it is and the window left on line time; link health per
// station (tests are answered by the client itself, so only a miss is said); translations printed under
// the message they translate. Pure text from the client's LineBook; the commands are in console-commands.ts.
import type { HotlineClient } from '../client/client.js';
import { zuluTime } from '../shared/dtg.js';
import { HotlineError } from '../shared/errors.js';
import { CALL_LEVELS, type CallLevel } from '../shared/items.js';
import type { CallView, LinkTestView, TranslationView } from '../shared/line-book.js';
import { durationText } from '../shared/report/format.js';
import { color } from './terminal.js';

const LEVEL: Record<CallLevel, string> = { principal: 'principals', deputy: 'deputies', working: 'working level' };

/** "principal", "principals", "deputy", "deputies", "working": the level a /call names. */
export function parseLevel(word: string): CallLevel {
  const w = word.toLowerCase();
  const level = CALL_LEVELS.find((l) => w === l || w === LEVEL[l].split(' ')[0]);
  if (!level) throw new HotlineError('BAD_REQUEST', `level: principal, deputy or working, not "${word}".`);
  return level;
}

/**
 * A call time: HH:MM or HH:MMZ (UTC; the next such time from `now`, today or tomorrow), or an ISO 8601 instant
 * with its offset (2026-12-02T14:00Z). Returned as the protocol's instant, in milliseconds.
 */
export function parseCallTime(text: string, now = Date.now()): string {
  const hm = /^([01]\d|2[0-3]):([0-5]\d)Z?$/i.exec(text);
  if (hm) {
    const d = new Date(now);
    d.setUTCHours(Number(hm[1]), Number(hm[2]), 0, 0);
    if (d.getTime() <= now) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)
    ? Date.parse(text)
    : NaN;
  if (Number.isNaN(iso))
    throw new HotlineError('BAD_REQUEST', `time: HH:MM (UTC) or an ISO time with its offset, not "${text}".`);
  return new Date(iso).toISOString();
}

/** "14:00Z 03 Dec": a call time, day included (it may be tomorrow). */
export function callTime(iso: string): string {
  const d = new Date(iso);
  const month = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  return `${zuluTime(d).slice(0, 5)}Z ${String(d.getUTCDate()).padStart(2, '0')} ${month}`;
}

/** "09:12:03Z", with the day when it is not today's (a 48 h window ends at the same time of day). */
function dueText(due: number, now: number): string {
  const d = new Date(due);
  const sameDay = d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? zuluTime(d) : `${zuluTime(d)} ${callTime(d.toISOString()).slice(7)}`;
}

/** Calls in log order: #N is the place in this list, as with messages in /list. */
export function callList(client: HotlineClient): CallView[] {
  return [...client.line.calls.values()].sort((a, b) => a.place.idx - b.place.idx);
}

export function callNumber(client: HotlineClient, id: string): number {
  return callList(client).findIndex((c) => c.id === id) + 1;
}

/** "window 47 h 59 min left (line time), until 09:12:03Z", or why it stands still. */
function windowText(client: HotlineClient, call: CallView, now: number): string {
  const left = client.line.callLeftMs(call, now);
  if (left <= 0) return color.red('window passed (expiry pending)');
  const due = client.line.callDueAt(call, now);
  const until = due === undefined ? ', the exercise clock is stopped' : `, until ${dueText(due, now)}`;
  return `window ${durationText(left)} left (line time${until})`;
}

/** Where a call stands, in words that cannot be misread from either side. */
export function callState(client: HotlineClient, call: CallView, n: number, now = Date.now()): string {
  switch (call.state) {
    case 'accepted':
      return color.green(`ACCEPTED for ${callTime(call.callAt!)}`);
    case 'declined':
      return color.red('DECLINED');
    case 'expired':
      return color.red('EXPIRED unanswered');
    case 'awaiting': {
      const turn =
        call.awaiting === client.station
          ? color.yellow(`awaiting YOUR answer (/accept ${n}, /propose ${n} TIME, /decline ${n})`)
          : `awaiting ${call.awaiting}'s answer`;
      return `${turn}; ${windowText(client, call, now)}`;
    }
  }
}

export function renderCall(client: HotlineClient, call: CallView, now = Date.now()): string {
  const n = callNumber(client, call.id);
  const state = callState(client, call, n, now);
  return `call #${n}  ${call.from} → ${call.to} (${LEVEL[call.level]}) for ${callTime(call.proposedAt)}: ${color.bold(call.subject)}\n    ${state}`;
}

/** The line printed when a call changes: its latest step, then where it stands. */
export function callChangeLine(client: HotlineClient, call: CallView, now = Date.now()): string {
  const n = callNumber(client, call.id);
  const step = call.steps.at(-1)!;
  const note = step.note ? ` “${step.note}”` : '';
  switch (step.action) {
    case 'request': {
      const head = `CALL REQUEST #${n} ${call.from} → ${call.to} (${LEVEL[call.level]}) for ${callTime(call.proposedAt)}: ${call.subject}`;
      return `${call.to === client.station ? color.yellow(head) : color.bold(head)}\n    ${callState(client, call, n, now)}`;
    }
    case 'propose':
      return `call #${n}: ${step.by} proposes ${callTime(step.proposedAt!)}${note}\n    ${callState(client, call, n, now)}`;
    case 'accept':
      return color.green(`call #${n}: ${step.by} accepts; the call is set for ${callTime(step.callAt!)}`);
    case 'decline':
      return color.red(`call #${n}: ${step.by} declines${note}`);
    case 'expired': {
      // The side awaited: the one asked, or the other side of the latest counter-proposal.
      const before = call.steps.at(-2)!;
      const awaited = before.action === 'request' || before.by === call.from ? call.to : call.from;
      const window = durationText(client.line.settings.callWindowMs);
      return color.red(`call request #${n} expired: ${awaited} did not answer within ${window} (line time)`);
    }
  }
}

/** "LINK TEST MISSED by washington at 09:12:03Z": the only link test line the console prints by itself. */
export function linkMissedLine(test: LinkTestView): string | undefined {
  if (!test.missed) return undefined;
  return color.red(
    `\u0007!!! LINK TEST MISSED by ${test.to} at ${zuluTime(new Date(test.missed.at))} (test of ${zuluTime(new Date(test.place.at))}, no answer within ${durationText(test.timeoutMs)})`,
  );
}

/** "link washington: last test 09:12:03Z answered in 35 ms; missed 0 of 12" */
export function linkHealthLine(client: HotlineClient, station: string): string {
  const h = client.line.health(station);
  if (!h.last) return `link ${station}: no link test yet`;
  const last = h.last;
  const outcome = last.reply
    ? `answered in ${last.reply.rttMs} ms`
    : last.missed
      ? color.red('MISSED')
      : 'awaiting its answer';
  const rtt = !last.reply && h.lastRttMs !== undefined ? `; last round trip ${h.lastRttMs} ms` : '';
  const missed = `missed ${h.missed} of ${h.tests}`;
  return `link ${station}: last test ${zuluTime(new Date(last.place.at))} ${outcome}${rtt}; ${h.missed > 0 ? color.red(missed) : missed}`;
}

/** A translation as printed under its message: who, when, how long after the message, and the text. */
export function translationLines(t: TranslationView, n: number): string {
  const subject = t.subject ? `${color.bold(t.subject)}: ` : '';
  return `#${n} translated by ${t.from} (${t.lang}) at ${zuluTime(new Date(t.at))}, ${durationText(t.delayMs)} after it was logged:\n    ${color.cyan('⇄')} ${subject}${t.body}`;
}
