// The report's figures of the line's procedures (docs/report.md section 5), read from the LineBook the chain
// verifier built while it verified the export (shared/line-book.ts: the same rules the relay and the consoles
// follow): each call request with its answers, its outcome and the line time each answer took; link tests per
// station (answered, missed, round trip); translations per translating station (time to translate).
import type { ExerciseClock } from '../exercise-clock.js';
import type { ExerciseDef } from '../items.js';
import type { CallStep, CallView, LineBook } from '../line-book.js';
import type { LineSettings } from '../line-entries.js';
import { stats, type Stats } from './stats.js';

export interface CallStepReport extends CallStep {
  /** Line time from the opening of the window this step answered (the request or the latest proposal). */
  lineMs?: number;
}

export interface CallReport {
  id: string;
  idx: number;
  at: number;
  from: string;
  to: string;
  level: CallView['level'];
  subject: string;
  /** accepted, declined, expired, or still awaiting an answer when the log ends. */
  outcome: CallView['state'];
  /** The time agreed, once accepted; else the time last proposed. */
  callAt?: string;
  proposedAt: string;
  steps: CallStepReport[];
}

export interface CallTotals {
  requests: number;
  accepted: number;
  declined: number;
  expired: number;
  open: number;
  /** Counter-proposals made. */
  proposals: number;
  /** Line time to answer: every answer (accept, propose, decline), from the window it answered. */
  answer: Stats;
}

export interface LinkFigures {
  station: string;
  tests: number;
  answered: number;
  missed: number;
  /** Neither answered nor missed when the log ends (a test still in its time). */
  open: number;
  /** Round trip: the test's entry → the first reply's entry, real time. */
  rtt: Stats;
}

export interface TranslationFigures {
  /** The translating station: the one the messages were sent to. */
  station: string;
  /** Messages this station received, and how many of them it translated. */
  received: number;
  count: number;
  /** The message's entry → the translation's entry, real time. */
  delay: Stats;
}

export interface LineReport {
  settings: LineSettings;
  /** The `procedures` entry that set the line settings, if one did. */
  set?: { idx: number; by: string };
  calls: CallReport[];
  totals: CallTotals;
  links: LinkFigures[];
  translations: TranslationFigures[];
}

function callReport(call: CallView, clock: ExerciseClock): CallReport {
  let windowFrom = call.place.at;
  const steps = call.steps.map((s, i): CallStepReport => {
    if (i === 0) return { ...s };
    const step = { ...s, lineMs: clock.lineElapsed(windowFrom, s.at) };
    if (s.action === 'propose') windowFrom = s.at;
    return step;
  });
  return {
    id: call.id,
    idx: call.place.idx,
    at: call.place.at,
    from: call.from,
    to: call.to,
    level: call.level,
    subject: call.subject,
    outcome: call.state,
    proposedAt: call.proposedAt,
    ...(call.callAt === undefined ? {} : { callAt: call.callAt }),
    steps,
  };
}

/**
 * The line's procedures of a verified log. `received` counts, per station, the messages sent to it (the
 * verifier's messages); `set` names the procedures entry that set the settings.
 */
export function lineReport(
  book: LineBook,
  clock: ExerciseClock,
  def: ExerciseDef,
  received: (station: string) => number,
  set?: { idx: number; by: string },
): LineReport {
  const calls = [...book.calls.values()].map((c) => callReport(c, clock));
  const count = (o: CallView['state']) => calls.filter((c) => c.outcome === o).length;
  const answers = calls.flatMap((c) => c.steps.filter((s) => s.action !== 'request' && s.action !== 'expired'));
  const tests = [...book.tests.values()];
  const translations = [...book.translations.values()];
  return {
    settings: book.settings,
    ...(set ? { set } : {}),
    calls,
    totals: {
      requests: calls.length,
      accepted: count('accepted'),
      declined: count('declined'),
      expired: count('expired'),
      open: count('awaiting'),
      proposals: answers.filter((s) => s.action === 'propose').length,
      answer: stats(answers.map((s) => s.lineMs ?? 0)),
    },
    links: def.stations.map((s) => {
      const mine = tests.filter((t) => t.to === s.id);
      return {
        station: s.id,
        tests: mine.length,
        answered: mine.filter((t) => t.reply).length,
        missed: mine.filter((t) => t.missed).length,
        open: mine.filter((t) => !t.reply && !t.missed).length,
        rtt: stats(mine.flatMap((t) => (t.reply ? [t.reply.rttMs] : []))),
      };
    }),
    translations: def.stations.map((s) => {
      const mine = translations.filter((t) => t.from === s.id);
      return { station: s.id, received: received(s.id), count: mine.length, delay: stats(mine.map((t) => t.delayMs)) };
    }),
  };
}
