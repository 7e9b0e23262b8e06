// The trainer's words for the line's procedures, one place for every screen (live panel, Run tab, replay
// consoles, entry list, enrolment): a call's state and level, the line settings in one phrase, the link
// that enrols a translator device.
import type { CallLevel } from '../../../shared/items.js';
import type { CallState } from '../../../shared/line-book.js';

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

/** The enrolment link of a translator device: the same one-time code, the role after it in the fragment. */
export function translatorLink(link: string): string {
  return `${link}${link.includes('#') ? '&' : '#'}role=translator`;
}
