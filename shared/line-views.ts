// What the line's procedures look like to their readers (shared/line-book.ts keeps them): a call request with
// its steps, a link test with its outcome, a translation, a station's link health.
import type { CallLevel, CallPayload, Lang } from './items.js';

/** Where an entry sits in the log: what answers and views refer to. */
export interface LogPlace {
  idx: number;
  hash: string;
  /** The entry's `at`, ms since the epoch (the relay's clock). */
  at: number;
}

export type CallState = 'awaiting' | 'accepted' | 'declined' | 'expired';

export interface CallStep {
  idx: number;
  at: number;
  action: CallPayload['action'] | 'expired';
  /** The station that acted; the relay for an expiry. */
  by: string;
  proposedAt?: string;
  callAt?: string;
  note?: string;
}

export interface CallView {
  id: string;
  /** The request's entry. */
  place: LogPlace;
  /** The requesting station and the one asked. */
  from: string;
  to: string;
  level: CallLevel;
  subject: string;
  /** The time on the table: the request's, or the latest counter-proposal's. */
  proposedAt: string;
  state: CallState;
  /** The station whose answer is awaited, while the state is `awaiting`. */
  awaiting?: string;
  /** When the current window opened (ms): the request or the latest proposal. */
  windowFrom: number;
  /** The agreed time, once accepted. */
  callAt?: string;
  steps: CallStep[];
}

export interface LinkTestView {
  id: string;
  place: LogPlace;
  to: string;
  timeoutMs: number;
  reply?: { idx: number; at: number; rttMs: number; kid: string };
  missed?: { idx: number; at: number };
}

export interface LinkHealth {
  tests: number;
  answered: number;
  missed: number;
  last?: LinkTestView;
  lastRttMs?: number;
  /** When the last miss was logged (ms). */
  lastMissAt?: number;
}

export interface TranslationView {
  id: string;
  idx: number;
  at: number;
  /** The translated message's id, its sender and the translating station. */
  ref: string;
  from: string;
  lang: Lang;
  subject?: string;
  body: string;
  /** Relay time from the message's acceptance to the translation's. */
  delayMs: number;
  kid: string;
}

/** A message as a translation refers to it. */
export interface MessageRef extends LogPlace {
  to: string;
  lang: Lang;
}
