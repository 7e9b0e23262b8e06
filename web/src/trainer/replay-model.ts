// The replay model: from a verified log, what each of the two consoles showed at any moment T (messages,
// and the injects as that console received them), the line's procedures then (call requests, link health,
// translations), which alarms stood, the exercise clock then, and the markers of the timeline. Pure (no
// DOM): the player renders what this computes.
import type { Applied } from '../../../shared/chain.js';
import type { ExerciseClock, Phase } from '../../../shared/exercise-clock.js';
import type { ExerciseDef, StationDef } from '../../../shared/items.js';
import { clockOf, logEvents, type LogEvent } from '../../../shared/replay-events.js';
import { Conversation, type MessageView } from '../../../client/conversation.js';
import { InjectBook, type InjectView } from '../../../client/injects.js';
import { overdueAlarms, withDeadlines, type DeadlineItem, type TrainerAlarm } from './deadlines.js';
import { shortName } from './format.js';
import type { LineBook } from '../../../shared/line-book.js';
import { LineFollower } from './line-follow.js';
import { lineSummary, type LineSummary } from './line-model.js';
import { logAlarm } from './replay-alarms.js';
import { PrivatePassages, type PrivatePassage } from './replay-private.js';
import { buildMarkers, type Marker } from './replay-markers.js';
import { Timeline, DEFAULT_TIMELINE, type TimelineOptions } from './timeline.js';

// The live view reads these from here; they live with the replay's alarms and markers.
export { logAlarm };
export type { Marker, MarkerKind } from './replay-markers.js';

export interface OperatorInfo {
  kid: string;
  station: string;
  operator: string;
  enrolledAt: number;
  revokedAt?: number;
}

export interface ConsoleSnapshot {
  station: StationDef;
  /** The messages as this console's operator saw them at T, in log order, with only the states reached by T. */
  messages: MessageView[];
  /** The injects addressed to this station by T, with its receipts, as its console showed them. */
  injects: InjectView[];
  /** The injects addressed to the other station by T, as this console received them: without content. */
  passages: PrivatePassage[];
  operators: OperatorInfo[];
}

export interface ReplaySnapshot {
  t: number;
  /** Entries applied at T (those with at <= T). */
  count: number;
  lastIdx: number;
  consoles: [ConsoleSnapshot, ConsoleSnapshot];
  alarms: TrainerAlarm[];
  /** The exercise's phase at T and its clock (null before STARTEX). */
  phase: Phase;
  exerciseMs: number | null;
  /** Exercise seconds per real second at T (that of the last STARTEX or resume). */
  compression: number;
  /** The line's procedures at T, and the book they were read from (valid until the next stateAt). */
  line: LineSummary;
  lineBook: LineBook;
}

const time = (iso: string) => Date.parse(iso);

/** Entries logged in the same millisecond are spread by this much (an exact binary fraction), so that
 * every entry has its own instant on the timeline and log order breaks ties. */
export const TIE_MS = 1 / 64;

function cloneView(v: MessageView): MessageView {
  return { ...v, states: { ...v.states }, ...(v.rejected ? { rejected: { ...v.rejected } } : {}) };
}

/** Every message and inject that has an acknowledgement deadline, with when it was acknowledged. */
function deadlineItems(def: ExerciseDef, events: readonly LogEvent[]): DeadlineItem[] {
  const byId = new Map<string, DeadlineItem>();
  const name = (s: string) => shortName(def, s);
  for (const e of events) {
    const accepted = time(e.at);
    if (e.kind === 'message') {
      const what = `${e.precedence} ${name(e.from)} → ${name(e.to)}${e.subject ? ` “${e.subject}”` : ''}`;
      byId.set(e.id, { id: e.id, kind: 'message', idx: e.idx, precedence: e.precedence, what, to: e.to, accepted });
    } else if (e.kind === 'inject' && !e.withheld) {
      const what = `${e.precedence} exercise inject ${e.inject} for ${name(e.to)}`;
      byId.set(e.id, { id: e.id, kind: 'inject', idx: e.idx, precedence: e.precedence, what, to: e.to, accepted });
    } else if (e.kind === 'receipt' && e.receipt === 'acknowledged') {
      const item = byId.get(e.ref);
      if (item && item.to === e.from) item.acked ??= accepted;
    }
  }
  return [...byId.values()];
}

export class ReplayModel {
  /** Entry times, made strictly increasing: ties (and a relay clock stepping back) are broken by log order. */
  readonly times: number[];
  readonly start: number;
  readonly end: number;
  /** The exercise clock the log's own lifecycle entries make. */
  readonly clock: ExerciseClock;
  /** The log as exercise control reads it: every event, private contents included. */
  readonly events: LogEvent[];
  readonly markers: Marker[];
  readonly timeline: Timeline;
  readonly #deadlines: DeadlineItem[];
  #count = 0;
  #conversations!: [Conversation, Conversation];
  #injects!: [InjectBook, InjectBook];
  #passages = new PrivatePassages();
  #operators = new Map<string, OperatorInfo>();
  #logAlarms: TrainerAlarm[] = [];
  #line!: LineFollower;

  constructor(
    readonly def: ExerciseDef,
    readonly records: readonly Applied[],
    options: TimelineOptions = DEFAULT_TIMELINE,
  ) {
    if (records.length === 0) throw new RangeError('an empty log cannot be replayed');
    let last = -Infinity;
    this.times = records.map((r) => (last = Math.max(last + TIE_MS, time(r.entry.at))));
    this.start = this.times[0]!;
    this.end = this.times[this.times.length - 1]!;
    this.clock = clockOf(records.map((r) => r.entry));
    this.events = logEvents(records, { clock: this.clock });
    this.#deadlines = withDeadlines(deadlineItems(def, this.events), this.clock);
    this.markers = buildMarkers(def, this.events, this.times, this.#deadlines, (t) => this.exerciseAt(t));
    this.timeline = new Timeline(
      this.start,
      this.end,
      this.markers.map((m) => m.t),
      options,
    );
    this.#reset();
  }

  #reset(): void {
    this.#count = 0;
    this.#conversations = [new Conversation(this.def.stations[0].id), new Conversation(this.def.stations[1].id)];
    this.#injects = [
      new InjectBook(this.def.stations[0].id, this.clock),
      new InjectBook(this.def.stations[1].id, this.clock),
    ];
    this.#passages = new PrivatePassages();
    this.#operators = new Map();
    this.#logAlarms = [];
    this.#line = new LineFollower(this.clock);
  }

  /** The replay instant of the entry at position i of the log. */
  timeOf(i: number): number {
    return this.times[Math.min(Math.max(i, 0), this.times.length - 1)]!;
  }

  /** Exercise time at replay time t (null before STARTEX). */
  exerciseAt(t: number): number | null {
    return this.clock.exerciseMs(Math.floor(t));
  }

  /** How many entries had been logged by time t. */
  countAt(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #applyUpTo(count: number): void {
    if (count < this.#count) this.#reset();
    for (; this.#count < count; this.#count++) {
      const r = this.records[this.#count]!;
      const t = this.times[this.#count]!;
      for (const c of this.#conversations) c.apply(r);
      for (const book of this.#injects) book.apply(r);
      this.#passages.apply(r);
      const data = r.entry.data ?? {};
      if (r.entry.kind === 'key-enrolled') {
        const kid = String(data['kid']);
        this.#operators.set(kid, {
          kid,
          station: String(data['station']),
          operator: String(data['operator']),
          enrolledAt: t,
        });
      } else if (r.entry.kind === 'key-revoked') {
        const op = this.#operators.get(String(data['kid']));
        if (op) op.revokedAt ??= t;
      }
      this.#line.apply(r);
      const book = this.#line.book;
      const alarm = logAlarm(
        r,
        (s) => shortName(this.def, s),
        (ref) => book.tests.get(ref)?.place.idx ?? book.calls.get(ref)?.place.idx,
      );
      if (alarm) this.#logAlarms.push(alarm);
    }
  }

  /** Both consoles exactly as their operators saw them at time t, and the alarms standing then. */
  stateAt(t: number): ReplaySnapshot {
    const count = this.countAt(t);
    this.#applyUpTo(count);
    const ops = [...this.#operators.values()].map((o) => ({ ...o }));
    const consoles = this.def.stations.map((station, i) => ({
      station,
      messages: this.#conversations[i]!.list().map(cloneView),
      injects: this.#injects[i]!.list().map((v) => ({ ...v, states: { ...v.states } })),
      passages: this.#passages.seenBy(station.id),
      operators: ops.filter((o) => o.station === station.id),
    })) as [ConsoleSnapshot, ConsoleSnapshot];
    const overdue = overdueAlarms(this.#deadlines, t, this.clock);
    const alarms = [...this.#logAlarms, ...overdue].sort((x, y) => x.at - y.at);
    const reading = this.clock.read(Math.floor(t));
    const running = this.clock.transitions.filter((x) => x.at <= t && x.state === 'running').at(-1);
    return {
      t,
      count,
      lastIdx: count === 0 ? -1 : this.records[count - 1]!.entry.idx,
      consoles,
      alarms,
      phase: reading.phase,
      exerciseMs: reading.exerciseMs,
      compression: running?.compression ?? 1,
      line: lineSummary(this.#line.book, this.def, t, t),
      lineBook: this.#line.book,
    };
  }
}
