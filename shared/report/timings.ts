// What happened to every item that has to be acknowledged (a station's message, an inject): when it was
// logged, when the other side's console logged its `delivered` and `acknowledged` receipts, and whether the
// acknowledgement met its precedence's deadline. Delays are the relay's times (entry `at` to entry `at`);
// deadlines are judged in line time (ExerciseClock.lineElapsed), as the consoles' alarms count them:
// compressed while the exercise runs, frozen while it is paused or ended, real time before STARTEX.
import type { ExerciseClock } from '../exercise-clock.js';
import type { Lang, Precedence } from '../items.js';
import { textIn } from '../scenario.js';
import type { LogEvent } from './log-events.js';

/** Against its deadline: met, acknowledged late, never acknowledged once it had passed, still open at the log's
 * end, or no deadline for this precedence. */
export type DeadlineOutcome = 'met' | 'late' | 'missed' | 'open' | 'none';

export interface ReceiptMark {
  idx: number;
  at: number;
  /** Real time from the item's entry to this receipt's entry. */
  ms: number;
}

export interface ItemTiming {
  kind: 'message' | 'inject';
  idx: number;
  hash: string;
  /** The sending station; an inject's simulated originator is not a station. */
  from?: string;
  to: string;
  precedence: Precedence;
  subject?: string;
  acceptedAt: number;
  delivered?: ReceiptMark;
  acknowledged?: ReceiptMark & { lineMs: number; note?: string };
  deadlineMs?: number;
  outcome: DeadlineOutcome;
}

/**
 * One timing per message and inject, in log order. `endAt` is when the log ends (the closing checkpoint):
 * an item still unacknowledged then has missed its deadline if the line time up to then exceeds it.
 */
export function itemTimings(
  events: readonly LogEvent[],
  clock: ExerciseClock,
  endAt: number,
  langOf: (station: string) => Lang,
): ItemTiming[] {
  const byHash = new Map<string, ItemTiming>();
  for (const ev of events) {
    if (ev.kind === 'message' || ev.kind === 'inject') {
      const p = ev.kind === 'message' ? ev.payload : ev.data;
      const deadlineMs = clock.deadlines[p.precedence];
      const subject = ev.kind === 'message' ? ev.payload.subject : textIn(ev.data.subject, langOf(ev.to));
      byHash.set(ev.entry.hash, {
        kind: ev.kind,
        idx: ev.entry.idx,
        hash: ev.entry.hash,
        ...(ev.kind === 'message' ? { from: ev.payload.from } : {}),
        to: ev.kind === 'message' ? ev.payload.to : ev.to,
        precedence: p.precedence,
        ...(subject === undefined ? {} : { subject }),
        acceptedAt: ev.at,
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
        outcome: 'none',
      });
    } else if (ev.kind === 'receipt') {
      // refHash is the referred entry's hash for messages and injects alike (the verifier proved it).
      const item = byHash.get(ev.payload.refHash);
      if (!item) continue;
      const mark = { idx: ev.entry.idx, at: ev.at, ms: ev.at - item.acceptedAt };
      if (ev.payload.kind === 'delivered') item.delivered ??= mark;
      else if (!item.acknowledged) {
        const note = ev.payload.note;
        item.acknowledged = {
          ...mark,
          lineMs: clock.lineElapsed(item.acceptedAt, ev.at),
          ...(note === undefined ? {} : { note }),
        };
      }
    }
  }
  const out = [...byHash.values()];
  for (const item of out) item.outcome = outcomeOf(item, clock, endAt);
  return out;
}

function outcomeOf(item: ItemTiming, clock: ExerciseClock, endAt: number): DeadlineOutcome {
  if (item.deadlineMs === undefined) return 'none';
  if (item.acknowledged) return item.acknowledged.lineMs <= item.deadlineMs ? 'met' : 'late';
  return clock.lineElapsed(item.acceptedAt, endAt) > item.deadlineMs ? 'missed' : 'open';
}
