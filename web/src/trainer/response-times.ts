// Response times from a verified log: per message, how long it took to be accepted by the relay, delivered
// to (verified by) the other console, and acknowledged by its operator; and the after-action summary.
// Delays are real time, as measured; whether an acknowledgement met its deadline is judged on line time
// (shared/deadlines.ts), as the consoles count it.
import type { Applied } from '../../../shared/chain.js';
import { ackDueAt, overdueOnLine } from '../../../shared/deadlines.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import { PRECEDENCES, type Precedence } from '../../../shared/items.js';
import { clockOf } from '../../../shared/replay-events.js';

export interface ResponseRow {
  id: string;
  idx: number;
  from: string;
  to: string;
  precedence: Precedence;
  subject?: string;
  /** When the sending console signed it (its own clock). */
  sentAt: number;
  /** When the relay logged it (authoritative). */
  acceptedAt: number;
  deliveredAt?: number;
  acknowledgedAt?: number;
  /**
   * Signed at the console → accepted by the relay: the sender's claim (any time queued, plus its clock's
   * skew, which the relay bounds to LIMITS.clockSkewSeconds), never below 0. Every other time here and
   * every deadline is the relay's (entry `at`).
   */
  acceptMs: number;
  /** Accepted → delivered receipt logged. */
  deliverMs?: number;
  /** Accepted → acknowledged receipt logged. */
  ackMs?: number;
  /** The same span in line time (what the deadline is measured against): more than ackMs under a compression. */
  ackLineMs?: number;
  deadlineMs?: number;
  /** The acknowledgement objective was missed in line time (late, or still missing at `now`). */
  overdue: boolean;
}

export interface Stats {
  count: number;
  median?: number;
  max?: number;
}

export interface PrecedenceSummary {
  precedence: Precedence;
  count: number;
  acknowledged: number;
  ack: Stats;
  overdue: number;
}

export interface StationSummary {
  /** The station that received the messages and had to acknowledge them. */
  station: string;
  received: number;
  acknowledged: number;
  ack: Stats;
  overdue: number;
}

export interface Summary {
  total: number;
  delivered: number;
  acknowledged: number;
  unacknowledged: number;
  overdue: number;
  accept: Stats;
  deliver: Stats;
  ack: Stats;
  byPrecedence: PrecedenceSummary[];
  byStation: StationSummary[];
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function stats(values: readonly number[]): Stats {
  const out: Stats = { count: values.length };
  const m = median(values);
  if (m !== undefined) {
    out.median = m;
    out.max = Math.max(...values);
  }
  return out;
}

/**
 * One row per message, in log order. `now` decides whether a still-unacknowledged message is overdue, on the
 * exercise clock (the live observer's; by default the one the records' own lifecycle entries make).
 */
export function responseRows(
  records: readonly Applied[],
  now: number,
  clock: ExerciseClock = clockOf(records.map((r) => r.entry)),
): ResponseRow[] {
  const rows = new Map<string, ResponseRow>();
  for (const { entry, item } of records) {
    if (!item) continue;
    const p = item.payload;
    const at = Date.parse(entry.at);
    if (p.type === 'message') {
      const deadline = clock.deadlines[p.precedence];
      rows.set(p.id, {
        id: p.id,
        idx: entry.idx,
        from: p.from,
        to: p.to,
        precedence: p.precedence,
        ...(p.subject === undefined ? {} : { subject: p.subject }),
        sentAt: Date.parse(p.sentAt),
        acceptedAt: at,
        acceptMs: Math.max(0, at - Date.parse(p.sentAt)),
        ...(deadline === undefined ? {} : { deadlineMs: deadline }),
        overdue: false,
      });
      continue;
    }
    if (p.type !== 'receipt') continue;
    const row = rows.get(p.ref);
    if (!row) continue;
    // An acknowledgement implies delivery, as the consoles show it.
    if (row.deliveredAt === undefined) {
      row.deliveredAt = at;
      row.deliverMs = at - row.acceptedAt;
    }
    if (p.kind === 'acknowledged' && row.acknowledgedAt === undefined) {
      row.acknowledgedAt = at;
      row.ackMs = at - row.acceptedAt;
      row.ackLineMs = clock.lineElapsed(row.acceptedAt, at);
    }
  }
  const out = [...rows.values()].sort((a, b) => a.idx - b.idx);
  // A row carries its acknowledgement whenever it was logged: judged late or met by it, whatever `now` is.
  for (const r of out)
    r.overdue = overdueOnLine(
      clock,
      r.precedence,
      r.acceptedAt,
      r.acknowledgedAt,
      Math.max(now, r.acknowledgedAt ?? now),
    );
  return out;
}

/**
 * The real time at which the next of these rows, still unacknowledged and not overdue, becomes overdue if the
 * clock keeps its pace (shared/deadlines.ts ackDueAt); undefined when none will (all acknowledged or overdue,
 * or the line stands still). A pause, a resume or an acknowledgement is an entry, which recomputes this.
 */
export function nextOverdueAt(rows: readonly ResponseRow[], clock: ExerciseClock): number | undefined {
  let next: number | undefined;
  for (const r of rows) {
    if (r.overdue || r.acknowledgedAt !== undefined) continue;
    const due = ackDueAt(clock, r.precedence, r.acceptedAt);
    if (due !== undefined && (next === undefined || due < next)) next = due;
  }
  return next;
}

function values(rows: readonly ResponseRow[], key: 'acceptMs' | 'deliverMs' | 'ackMs'): number[] {
  return rows.map((r) => r[key]).filter((v): v is number => v !== undefined);
}

export function summarize(rows: readonly ResponseRow[], stations: readonly string[]): Summary {
  const acknowledged = rows.filter((r) => r.acknowledgedAt !== undefined).length;
  return {
    total: rows.length,
    delivered: rows.filter((r) => r.deliveredAt !== undefined).length,
    acknowledged,
    unacknowledged: rows.length - acknowledged,
    overdue: rows.filter((r) => r.overdue).length,
    accept: stats(values(rows, 'acceptMs')),
    deliver: stats(values(rows, 'deliverMs')),
    ack: stats(values(rows, 'ackMs')),
    byPrecedence: PRECEDENCES.map((precedence) => {
      const of = rows.filter((r) => r.precedence === precedence);
      return {
        precedence,
        count: of.length,
        acknowledged: of.filter((r) => r.acknowledgedAt !== undefined).length,
        ack: stats(values(of, 'ackMs')),
        overdue: of.filter((r) => r.overdue).length,
      };
    }),
    byStation: stations.map((station) => {
      const of = rows.filter((r) => r.to === station);
      return {
        station,
        received: of.length,
        acknowledged: of.filter((r) => r.acknowledgedAt !== undefined).length,
        ack: stats(values(of, 'ackMs')),
        overdue: of.filter((r) => r.overdue).length,
      };
    }),
  };
}
