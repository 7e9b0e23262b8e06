// The timeline's markers: one per log event that a trainer seeks to (messages, receipts, injects, the
// line's procedures, the lifecycle, notes, relay alarms) and one per missed deadline, each labelled with its UTC and exercise time,
// and placed in a lane. Notes and control entries are the controller's own: the trainer reads them in full.
import { lineEventText, lineSettingsText } from '../../../shared/line-text.js';
import type { ExerciseDef, Precedence } from '../../../shared/items.js';
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import type { LogEvent } from '../../../shared/replay-events.js';
import { deadlinesSummary } from '../../../shared/precedence.js';
import { textIn } from '../../../shared/scenario.js';
import type { DeadlineItem } from './deadlines.js';
import { shortName, zuluTime } from './format.js';

export type MarkerKind =
  | 'created'
  | 'enrolment'
  | 'revocation'
  | 'message'
  | 'delivered'
  | 'acknowledged'
  | 'alarm'
  | 'overdue'
  | 'note'
  | 'inject'
  | 'state'
  | 'scenario'
  | 'control'
  | 'line'
  | 'line-alarm';

export type Lane = 'messages' | 'receipts' | 'injects' | 'line' | 'control' | 'alarms';

export const LANES: readonly (readonly [Lane, string])[] = [
  ['messages', 'Messages'],
  ['receipts', 'Receipts'],
  ['injects', 'Injects'],
  ['line', 'Line'],
  ['control', 'Control'],
  ['alarms', 'Alarms'],
];

export interface Marker {
  t: number;
  kind: MarkerKind;
  lane: Lane;
  /** "09:05:00Z T+00:30:00 …": what the tooltip and the event list say. */
  label: string;
  exerciseMs: number | null;
  idx?: number;
  precedence?: Precedence;
  station?: string;
  /** STARTEX, PAUSE, RESUME, ENDEX: drawn across the whole track. */
  state?: string;
}

const LANE_OF: Record<MarkerKind, Lane> = {
  message: 'messages',
  delivered: 'receipts',
  acknowledged: 'receipts',
  inject: 'injects',
  created: 'control',
  enrolment: 'control',
  state: 'control',
  note: 'control',
  scenario: 'control',
  control: 'control',
  revocation: 'alarms',
  alarm: 'alarms',
  overdue: 'alarms',
  // Call requests, translations and link tests have their own lane; a missed test or an expired call request
  // is an alarm, in the alarms lane with the others.
  line: 'line',
  'line-alarm': 'alarms',
};

function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What one event says on the timeline (without its time), and how it is drawn. */
function describe(
  def: ExerciseDef,
  e: LogEvent,
): Omit<Marker, 't' | 'lane' | 'label' | 'exerciseMs'> & { text: string } {
  const name = (s: string) => shortName(def, s);
  const lang = (s: string) => def.stations.find((st) => st.id === s)?.lang ?? 'en';
  switch (e.kind) {
    case 'created':
      return { kind: 'created', text: `exercise created: ${e.title}` };
    case 'enrolment':
      return { kind: 'enrolment', station: e.station, text: `console enrolled: ${name(e.station)} (${e.operator})` };
    case 'revocation':
      return { kind: 'revocation', text: `key revoked${e.station ? ` (${name(e.station)})` : ''}` };
    case 'alarm':
      return { kind: 'alarm', text: `relay alarm ${e.code}` };
    case 'state':
      return {
        kind: 'state',
        state: e.label,
        text: `${e.label} by ${e.by}${e.compression !== undefined && e.label !== 'PAUSE' ? ` (${e.compression}x)` : ''}`,
      };
    case 'message':
      return {
        kind: 'message',
        precedence: e.precedence,
        station: e.from,
        text: `${e.precedence} ${name(e.from)} → ${name(e.to)}${e.subject ? `: ${e.subject}` : ''}`,
      };
    case 'receipt':
      return {
        kind: e.receipt,
        station: e.from,
        text: `${e.receipt} by ${name(e.from)}${e.refIdx === undefined ? '' : ` (${e.of} of entry ${e.refIdx})`}`,
      };
    case 'inject': {
      const to = e.to === undefined ? '' : ` → ${name(e.to)}`;
      if (e.withheld) return { kind: 'inject', text: `exercise inject${to} (content withheld)` };
      const subject = textIn(e.subject, lang(e.to));
      return {
        kind: 'inject',
        precedence: e.precedence,
        station: e.to,
        text: `EXERCISE INJECT ${e.inject}${to} (${e.precedence}) from ${textIn(e.from, lang(e.to)) ?? ''}${subject ? `: ${subject}` : ''}`,
      };
    }
    case 'note':
      return { kind: 'note', text: e.withheld ? 'note (withheld)' : `note by ${e.by}: ${excerpt(e.text)}` };
    case 'scenario':
      return {
        kind: 'scenario',
        text: e.withheld ? 'scenario (withheld)' : `scenario loaded by ${e.by}: ${e.title} (${e.injects} injects)`,
      };
    case 'procedures':
      return {
        kind: 'control',
        text: `procedures set by ${e.by}: deadlines ${deadlinesSummary(e.ackDeadlinesMs)}; ${lineSettingsText(e.line)}`,
      };
    case 'inject-control':
      return { kind: 'control', text: e.withheld ? 'inject control' : `inject ${e.inject}: ${e.action} by ${e.by}` };
    case 'call':
    case 'call-expired':
    case 'translation':
    case 'link-test':
    case 'link-reply':
    case 'link-missed':
      return {
        kind: e.kind === 'link-missed' || e.kind === 'call-expired' ? 'line-alarm' : 'line',
        text: lineEventText(e, name),
      };
  }
}

/** The markers of a log: every event (at its replay instant `times[i]`) and each missed deadline. */
export function buildMarkers(
  def: ExerciseDef,
  events: readonly LogEvent[],
  times: readonly number[],
  deadlines: readonly DeadlineItem[],
  exerciseAt: (t: number) => number | null,
): Marker[] {
  const stamp = (t: number, ms: number | null) =>
    `${zuluTime(new Date(Math.floor(t)))}${ms === null ? '' : ` ${formatExerciseTime(ms)}`}`;
  const markers: Marker[] = events.map((e, i) => {
    const t = times[i]!;
    const { text, ...m } = describe(def, e);
    return {
      ...m,
      t,
      idx: e.idx,
      lane: LANE_OF[m.kind],
      exerciseMs: e.exerciseMs,
      label: `${stamp(t, e.exerciseMs)} ${text}`,
    };
  });
  const end = times[times.length - 1] ?? 0;
  for (const d of deadlines) {
    if (d.due === undefined || d.due > end || (d.acked !== undefined && d.acked <= d.due)) continue;
    const ms = exerciseAt(d.due);
    markers.push({
      t: d.due,
      kind: 'overdue',
      lane: 'alarms',
      precedence: d.precedence,
      station: d.to,
      exerciseMs: ms,
      label: `${stamp(d.due, ms)} ${d.what} (entry ${d.idx}) overdue: no acknowledgement from ${shortName(def, d.to)}`,
    });
  }
  return markers.sort((a, b) => a.t - b.t || (a.idx ?? Infinity) - (b.idx ?? Infinity));
}
