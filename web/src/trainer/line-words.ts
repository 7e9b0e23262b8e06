// The trainer's words for the line's procedures, one place for every screen (live panel, Run tab, replay
// consoles, entry list, enrolment): a call's state and level, the line settings in one phrase, the link
// that enrols a translator device.
import type { CallLevel } from '../../../shared/items.js';
import type { CallState } from '../../../shared/line-book.js';
import { withLineDefaults, type LineSettingsInput } from '../../../shared/line-entries.js';

export const CALL_STATE: Readonly<Record<CallState, string>> = {
  awaiting: 'Awaiting answer',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'EXPIRED (no answer)',
};

export const CALL_LEVEL: Readonly<Record<CallLevel, string>> = {
  principal: 'Principals',
  deputy: 'Deputies',
  working: 'Working level',
};

export const CALL_ACTION: Readonly<Record<string, string>> = {
  request: 'requested',
  propose: 'proposed another time',
  accept: 'accepted',
  decline: 'declined',
  expired: 'expired',
};

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

/** The enrolment link of a translator device: the same one-time code, the role after it in the fragment. */
export function translatorLink(link: string): string {
  return `${link}${link.includes('#') ? '&' : '#'}role=translator`;
}
