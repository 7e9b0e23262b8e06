// The line's procedures in one line of English each: what the report's timeline, the replay's markers and
// the trainer's live log say of a call request, a translation or a link test.
import { zuluTime } from './dtg.js';
import { durationText } from './report/format.js';
import { withLineDefaults, type LineSettingsInput } from './line-entries.js';
import type { LineEvent } from './replay-line.js';

const LEVEL: Record<string, string> = { principal: 'principals', deputy: 'deputies', working: 'working level' };
const LANGUAGE: Record<string, string> = { zh: 'Chinese', en: 'English' };

export function lineEventText(e: LineEvent, name: (station: string) => string): string {
  const ref = (i: number | undefined) => (i === undefined ? '' : ` (entry ${i})`);
  const note = (n: string | undefined) => (n ? `: “${n}”` : '');
  switch (e.kind) {
    case 'call':
      switch (e.action) {
        case 'request':
          return `${name(e.from)} requests a call (${LEVEL[e.level] ?? e.level}) for ${zuluTime(e.proposedAt)}: ${e.subject}`;
        case 'accept':
          return `${name(e.from)} accepts the call${ref(e.refIdx)} for ${zuluTime(e.callAt)}`;
        case 'propose':
          return `${name(e.from)} proposes ${zuluTime(e.proposedAt)} for the call${ref(e.refIdx)}${note(e.note)}`;
        case 'decline':
          return `${name(e.from)} declines the call${ref(e.refIdx)}${note(e.note)}`;
      }
      break;
    case 'call-expired':
      return `Call request${ref(e.refIdx)} expired: ${name(e.awaiting)} did not answer in time`;
    case 'translation':
      return `${name(e.from)} translated the message${ref(e.refIdx)} into ${LANGUAGE[e.lang] ?? e.lang}`;
    case 'link-test':
      return `Link test to ${name(e.to)}`;
    case 'link-reply':
      return `${name(e.from)} answered the link test${ref(e.refIdx)}${e.rttMs === undefined ? '' : ` in ${durationText(e.rttMs)}`}`;
    case 'link-missed':
      return `Link test${ref(e.refIdx)} MISSED: ${name(e.to)} did not answer`;
  }
}

/** A setting in its largest whole unit: "48 h", "90 min", "5 s", "500 ms". */
export function settingText(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

/** "call window 48 h, link test every 1 h, answered within 1 min": any subset, the rest at their defaults. */
export function lineSettingsText(s: LineSettingsInput | undefined): string {
  const l = withLineDefaults(s);
  return `call window ${settingText(l.callWindowMs)}, link test every ${settingText(l.linkTestIntervalMs)}, answered within ${settingText(l.linkTestTimeoutMs)}`;
}
