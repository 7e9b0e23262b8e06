// The replay model: from a verified log, what each of the two consoles showed at any moment T, which
// alarms stood, and the markers of the timeline. Pure (no DOM): the player renders what this computes.
import type { Applied } from '../../../shared/chain.js';
import type { ExerciseDef, Precedence, StationDef } from '../../../shared/items.js';
import { ackDueAt, overdueAt } from '../../../shared/precedence.js';
import { Conversation, type MessageView } from '../../../client/conversation.js';
import { overdueAlarms, type TrainerAlarm } from './deadlines.js';
import { dataText, shortName, zuluTime } from './format.js';
import { Timeline, DEFAULT_TIMELINE, type TimelineOptions } from './timeline.js';

export type MarkerKind =
  'created' | 'enrolment' | 'revocation' | 'message' | 'delivered' | 'acknowledged' | 'alarm' | 'overdue' | 'note';

export interface Marker {
  t: number;
  kind: MarkerKind;
  label: string;
  idx?: number;
  precedence?: Precedence;
  station?: string;
}

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
  operators: OperatorInfo[];
}

export interface ReplaySnapshot {
  t: number;
  /** Entries applied at T (those with at <= T). */
  count: number;
  lastIdx: number;
  consoles: [ConsoleSnapshot, ConsoleSnapshot];
  alarms: TrainerAlarm[];
}

const time = (iso: string) => Date.parse(iso);

/** Entries logged in the same millisecond are spread by this much (an exact binary fraction), so that
 * every entry has its own instant on the timeline and log order breaks ties. */
export const TIE_MS = 1 / 64;

function cloneView(v: MessageView): MessageView {
  return { ...v, states: { ...v.states }, ...(v.rejected ? { rejected: { ...v.rejected } } : {}) };
}

/** Relay-authored alarms found in the log itself: alarm entries and key revocations. */
export function logAlarm(applied: Applied): TrainerAlarm | undefined {
  const { entry } = applied;
  const data = entry.data ?? {};
  if (entry.kind === 'alarm') {
    const code = typeof data['code'] === 'string' ? data['code'] : 'ALARM';
    const detail = Object.entries(data)
      .filter(([k]) => k !== 'code')
      .map(([k]) => `${k} ${dataText(data, k)}`)
      .join(', ');
    return {
      id: `log:${entry.idx}`,
      at: time(entry.at),
      kind: 'log',
      code,
      message: `Relay alarm at entry ${entry.idx}${detail ? `: ${detail}` : ''}`,
      idx: entry.idx,
    };
  }
  if (entry.kind === 'key-revoked') {
    const reason = typeof data['reason'] === 'string' ? data['reason'] : '';
    return {
      id: `revoked:${entry.idx}`,
      at: time(entry.at),
      kind: 'revoked',
      code: 'KEY_REVOKED',
      message: `Key ${String(data['kid'])} revoked${reason ? `: ${reason}` : ''}`,
      idx: entry.idx,
    };
  }
  return undefined;
}

/** The timeline markers of a log: every entry, plus the moment each deadline was missed. */
export function buildMarkers(def: ExerciseDef, records: readonly Applied[], times: readonly number[]): Marker[] {
  const markers: Marker[] = [];
  const name = (s: string) => shortName(def, s);
  const messages = new Map<
    string,
    {
      precedence: Precedence;
      accepted: number;
      acked?: number;
      from: string;
      to: string;
      subject?: string;
      idx: number;
    }
  >();
  records.forEach((r, i) => {
    const t = times[i]!;
    const { entry, item } = r;
    const idx = entry.idx;
    const at = zuluTime(entry.at);
    switch (entry.kind) {
      case 'exercise-created':
        markers.push({ t, idx, kind: 'created', label: `${at} exercise created` });
        return;
      case 'key-enrolled': {
        const station = String(entry.data?.['station']);
        markers.push({
          t,
          idx,
          kind: 'enrolment',
          station,
          label: `${at} console enrolled: ${name(station)} (${String(entry.data?.['operator'])})`,
        });
        return;
      }
      case 'key-revoked':
        markers.push({ t, idx, kind: 'revocation', label: `${at} key revoked` });
        return;
      case 'alarm':
        markers.push({ t, idx, kind: 'alarm', label: `${at} relay alarm ${dataText(entry.data, 'code')}` });
        return;
      case 'note':
        markers.push({ t, idx, kind: 'note', label: `${at} note` });
        return;
      case 'message':
      case 'receipt':
        break;
    }
    if (!item) return;
    const p = item.payload;
    if (p.type === 'message') {
      messages.set(p.id, {
        precedence: p.precedence,
        accepted: time(entry.at),
        from: p.from,
        to: p.to,
        idx,
        ...(p.subject ? { subject: p.subject } : {}),
      });
      markers.push({
        t,
        idx,
        kind: 'message',
        precedence: p.precedence,
        station: p.from,
        label: `${at} ${p.precedence} ${name(p.from)} → ${name(p.to)}${p.subject ? `: ${p.subject}` : ''}`,
      });
    } else {
      const m = messages.get(p.ref);
      if (p.kind === 'acknowledged' && m && m.acked === undefined) m.acked = time(entry.at);
      markers.push({
        t,
        idx,
        kind: p.kind,
        station: p.from,
        label: `${at} ${p.kind} by ${name(p.from)}${m ? ` (${m.precedence} of entry ${m.idx})` : ''}`,
      });
    }
  });
  const end = times[times.length - 1] ?? 0;
  for (const m of messages.values()) {
    const due = ackDueAt(m.precedence, m.accepted);
    if (due === undefined || !overdueAt(m.precedence, m.accepted, m.acked, end)) continue;
    markers.push({
      t: due,
      kind: 'overdue',
      precedence: m.precedence,
      station: m.to,
      label: `${zuluTime(new Date(due))} ${m.precedence} of entry ${m.idx} overdue: no acknowledgement from ${name(m.to)}`,
    });
  }
  return markers.sort((a, b) => a.t - b.t || (a.idx ?? Infinity) - (b.idx ?? Infinity));
}

export class ReplayModel {
  /** Entry times, made strictly increasing: ties (and a relay clock stepping back) are broken by log order. */
  readonly times: number[];
  readonly start: number;
  readonly end: number;
  readonly markers: Marker[];
  readonly timeline: Timeline;
  #count = 0;
  #conversations!: [Conversation, Conversation];
  #operators = new Map<string, OperatorInfo>();
  #logAlarms: TrainerAlarm[] = [];

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
    this.markers = buildMarkers(def, records, this.times);
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
    this.#operators = new Map();
    this.#logAlarms = [];
  }

  /** The replay instant of the entry at position i of the log. */
  timeOf(i: number): number {
    return this.times[Math.min(Math.max(i, 0), this.times.length - 1)]!;
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
      const alarm = logAlarm(r);
      if (alarm) this.#logAlarms.push(alarm);
    }
  }

  /** Both consoles exactly as their operators saw them at time t, and the alarms standing then. */
  stateAt(t: number): ReplaySnapshot {
    const count = this.countAt(t);
    this.#applyUpTo(count);
    const [a, b] = this.#conversations;
    const ops = [...this.#operators.values()].map((o) => ({ ...o }));
    const consoles: [ConsoleSnapshot, ConsoleSnapshot] = [
      {
        station: this.def.stations[0],
        messages: a.list().map(cloneView),
        operators: ops.filter((o) => o.station === this.def.stations[0].id),
      },
      {
        station: this.def.stations[1],
        messages: b.list().map(cloneView),
        operators: ops.filter((o) => o.station === this.def.stations[1].id),
      },
    ];
    const sent = [...a.list(), ...b.list()].filter((v) => v.direction === 'out');
    const alarms = [...this.#logAlarms, ...overdueAlarms(sent, t, (s) => shortName(this.def, s))].sort(
      (x, y) => x.at - y.at,
    );
    return { t, count, lastIdx: count === 0 ? -1 : this.records[count - 1]!.entry.idx, consoles, alarms };
  }
}
