// What the trainer sees of the line's procedures at a moment: every call request with its state, whose turn
// it is and the line time left in its window; each station's link health (last test, its round trip, missed
// tests and the last miss); and each station's translations (how many, how long they took). Read from a
// LineBook (shared/line-book.ts: the rules every reader follows), live from the observer's verifier or in a
// replay from the book followed up to T. Pure: the panels render what this computes.
import type { ExerciseDef } from '../../../shared/items.js';
import type { CallStep, CallView, LineBook } from '../../../shared/line-book.js';
import type { LineSettings } from '../../../shared/line-entries.js';
import { stats } from '../../../shared/report/stats.js';

export interface CallRow {
  id: string;
  /** The request's entry. */
  idx: number;
  at: number;
  from: string;
  to: string;
  level: CallView['level'];
  subject: string;
  /** The time on the table (the request's or the latest counter-proposal's), and the agreed one. */
  proposedAt: string;
  callAt?: string;
  state: CallView['state'];
  /** Whose answer is awaited, while open. */
  awaiting?: string;
  /** Line time left to answer at the moment shown (open calls only). */
  leftMs?: number;
  /** When the window closes in real time if the line keeps its pace; absent while it stands still. */
  dueAt?: number;
  steps: readonly CallStep[];
}

export interface LinkHealthRow {
  station: string;
  tests: number;
  answered: number;
  missed: number;
  /** The last test: when it was sent, and its outcome by the moment shown. */
  last?: { idx: number; at: number; outcome: 'answered' | 'missed' | 'open' };
  /** The round trip of the latest answered test. */
  lastRttMs?: number;
  lastMissAt?: number;
}

export interface TranslationRow {
  /** The translating station (the receiver of the translated messages). */
  station: string;
  count: number;
  medianMs?: number;
  maxMs?: number;
}

export interface LineSummary {
  settings: LineSettings;
  calls: CallRow[];
  health: LinkHealthRow[];
  translations: TranslationRow[];
}

function callRow(book: LineBook, call: CallView, now: number, asOf: number | undefined): CallRow {
  const open = call.state === 'awaiting';
  const dueAt = open ? book.callDueAt(call, asOf) : undefined;
  return {
    id: call.id,
    idx: call.place.idx,
    at: call.place.at,
    from: call.from,
    to: call.to,
    level: call.level,
    subject: call.subject,
    proposedAt: call.proposedAt,
    ...(call.callAt === undefined ? {} : { callAt: call.callAt }),
    state: call.state,
    ...(open && call.awaiting !== undefined ? { awaiting: call.awaiting } : {}),
    ...(open ? { leftMs: book.callLeftMs(call, now) } : {}),
    ...(dueAt === undefined ? {} : { dueAt }),
    steps: call.steps,
  };
}

function health(book: LineBook, station: string): LinkHealthRow {
  const { tests, answered, missed, last, lastRttMs, lastMissAt } = book.health(station);
  const row: LinkHealthRow = { station, tests, answered, missed };
  if (lastRttMs !== undefined) row.lastRttMs = lastRttMs;
  if (lastMissAt !== undefined) row.lastMissAt = lastMissAt;
  if (last)
    row.last = {
      idx: last.place.idx,
      at: last.place.at,
      outcome: last.reply ? 'answered' : last.missed ? 'missed' : 'open',
    };
  return row;
}

/**
 * The line at `now` (ms): calls newest first, link health and translations per station in the order of
 * def.stations. `asOf` keeps a replay's clock from reading transitions logged after the moment shown.
 */
export function lineSummary(book: LineBook, def: ExerciseDef, now: number, asOf?: number): LineSummary {
  const translations = [...book.translations.values()];
  return {
    settings: book.settings,
    calls: [...book.calls.values()].map((c) => callRow(book, c, now, asOf)).sort((a, b) => b.idx - a.idx),
    health: def.stations.map((s) => health(book, s.id)),
    translations: def.stations.map((s) => {
      const st = stats(translations.filter((t) => t.from === s.id).map((t) => t.delayMs));
      return {
        station: s.id,
        count: st.count,
        ...(st.median === undefined ? {} : { medianMs: st.median }),
        ...(st.max === undefined ? {} : { maxMs: st.max }),
      };
    }),
  };
}
