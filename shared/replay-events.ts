// A verified log as a list of events, the way a replay tells it: each entry with its UTC time, the exercise
// time then (the clock read from the log's own exercise-state entries), who acted and what it said. One
// reader's view: for a station, the content of what is private to someone else is withheld exactly as its
// stream withheld it (commitment only), so a replay "as Beijing saw it" shows no byte Beijing never got.
// Isomorphic and pure: the trainer's replay player and `hotline replay` both read it.
import type { Entry } from './entry.js';
import { ExerciseClock, type ExerciseState, type Phase } from './exercise-clock.js';
import type { AckDeadlines } from './precedence.js';
import type { ItemPayload, Lang, MessagePayload, Precedence, ReceiptPayload } from './items.js';
import { PRIVATE_KINDS, redactFor, type Audience } from './private.js';
import type { InjectControlData, InjectData, NoteData, ScenarioData } from './run-entries.js';
import { inspectItem } from './signed.js';
import { withLineDefaults, type LineSettings, type LineSettingsInput } from './line-entries.js';
import { LineIndex, type LineEvent } from './replay-line.js';

export type { LineEvent } from './replay-line.js';

/** An entry with its signed item decoded: a verifier's `Applied`, or what `recordsOf` makes from entries. */
export interface LogRecord {
  entry: Entry;
  item?: { kid: string; payload: ItemPayload };
}

/** The four moments of the exercise's lifecycle, as controllers call them. */
export type StateLabel = 'STARTEX' | 'PAUSE' | 'RESUME' | 'ENDEX';

interface Base {
  idx: number;
  at: string;
  /** Exercise time at this entry (ms since STARTEX); null before STARTEX. */
  exerciseMs: number | null;
  /** The exercise's phase once this entry is applied. */
  phase: Phase;
}

export type ReadableEvent =
  | { kind: 'created'; exercise: string; title: string }
  | { kind: 'enrolment'; station: string; operator: string; kid: string }
  | { kind: 'revocation'; kid: string; station?: string; reason: string }
  | {
      kind: 'message';
      id: string;
      from: string;
      to: string;
      precedence: Precedence;
      lang: Lang;
      subject?: string;
      body: string;
    }
  | {
      kind: 'receipt';
      id: string;
      from: string;
      to: string;
      receipt: 'delivered' | 'acknowledged';
      ref: string;
      /** What the receipt answers: a message or an inject (every reader can tell, from refHash). */
      of: 'message' | 'inject';
      refIdx?: number;
      note?: string;
    }
  | { kind: 'alarm'; code: string; data: Record<string, unknown> }
  | { kind: 'state'; state: ExerciseState; label: StateLabel; by: string; compression?: number }
  | { kind: 'procedures'; ackDeadlinesMs: Record<string, number>; line: LineSettings; by: string }
  | ({ kind: 'inject'; to: string; withheld: false } & InjectData)
  | ({ kind: 'note'; withheld: false } & NoteData)
  | { kind: 'scenario'; withheld: false; title: string; injects: number; by: string }
  | ({ kind: 'inject-control'; withheld: false } & Omit<InjectControlData, 'def'>)
  | LineEvent;

/** A private entry this reader may not read: that it passed, for whom, and its commitment; nothing else. */
export interface WithheldEvent {
  kind: 'inject' | 'note' | 'scenario' | 'inject-control';
  withheld: true;
  /** The station it is for; absent for exercise control. */
  to?: string;
  commit: string;
}

export type LogEvent = Base & (ReadableEvent | WithheldEvent);
export type EventKind = LogEvent['kind'];

/** Decodes the signed item of each entry (the log was verified already: this only reads the payloads). */
export function recordsOf(entries: readonly Entry[]): LogRecord[] {
  return entries.map((entry) => {
    if (entry.jws === undefined) return { entry };
    const { kid, payload } = inspectItem(entry.jws);
    return { entry, item: { kid, payload } };
  });
}

/** The exercise clock of a log, from its exercise-state entries, as the chain verifier builds it. */
export function clockOf(entries: Iterable<Entry>): ExerciseClock {
  const clock = new ExerciseClock();
  for (const e of entries) {
    if (e.kind === 'procedures' && e.data) clock.deadlines = e.data['ackDeadlinesMs'] as AckDeadlines;
    if (e.kind !== 'exercise-state' || !e.data) continue;
    const state = e.data['state'] as ExerciseState;
    const compression = typeof e.data['compression'] === 'number' ? e.data['compression'] : clock.compression;
    clock.apply({ at: Date.parse(e.at), idx: e.idx, state, compression, by: String(e.data['by']) });
  }
  return clock;
}

const str = (data: Record<string, unknown> | undefined, key: string): string => {
  const v = data?.[key];
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
};

function stateLabel(state: ExerciseState, before: Phase): StateLabel {
  if (state === 'ended') return 'ENDEX';
  if (state === 'paused') return 'PAUSE';
  return before === 'planned' ? 'STARTEX' : 'RESUME';
}

/** What the content of a private entry says, for a reader who holds its reveal. */
function privateContent(kind: WithheldEvent['kind'], to: string, data: Record<string, unknown>): ReadableEvent {
  switch (kind) {
    case 'inject':
      return { kind, to, withheld: false, ...(data as unknown as InjectData) };
    case 'note':
      return { kind, withheld: false, ...(data as unknown as NoteData) };
    case 'scenario': {
      const d = data as unknown as ScenarioData;
      return { kind, withheld: false, title: d.scenario.title, injects: d.scenario.injects.length, by: d.by };
    }
    case 'inject-control': {
      const { def: _def, ...rest } = data as unknown as InjectControlData;
      return { kind, withheld: false, ...rest };
    }
  }
}

/** A signed item: a console's message or receipt. Receipts say what they answer, a message or an inject. */
function itemContent(
  p: MessagePayload | ReceiptPayload,
  refIdx: (p: ReceiptPayload) => [number | undefined, boolean],
): ReadableEvent {
  if (p.type === 'message') {
    const { id, from, to, precedence, lang, subject, body } = p;
    return {
      kind: 'message',
      id,
      from,
      to,
      precedence,
      lang,
      body,
      ...(subject === undefined ? {} : { subject }),
    } as const;
  }
  const [idx, inject] = refIdx(p);
  return {
    kind: 'receipt',
    id: p.id,
    from: p.from,
    to: p.to,
    receipt: p.kind,
    ref: p.ref,
    of: inject ? 'inject' : 'message',
    ...(idx === undefined ? {} : { refIdx: idx }),
    ...(p.note === undefined ? {} : { note: p.note }),
  } as const;
}

/** An entry the relay writes itself: the exercise, enrolments, revocations, the lifecycle, alarms. */
function relayContent(entry: Entry, stations: Map<string, string>, before: Phase): ReadableEvent {
  const data = entry.data;
  switch (entry.kind) {
    case 'exercise-created': {
      const ex = data?.['exercise'] as { id: string; title: string };
      return { kind: 'created', exercise: ex.id, title: ex.title };
    }
    case 'key-enrolled':
      stations.set(str(data, 'kid'), str(data, 'station'));
      return {
        kind: 'enrolment',
        station: str(data, 'station'),
        operator: str(data, 'operator'),
        kid: str(data, 'kid'),
      };
    case 'key-revoked': {
      const station = stations.get(str(data, 'kid'));
      return {
        kind: 'revocation',
        kid: str(data, 'kid'),
        reason: str(data, 'reason'),
        ...(station === undefined ? {} : { station }),
      };
    }
    case 'exercise-state': {
      const state = data?.['state'] as ExerciseState;
      const compression = data?.['compression'];
      return {
        kind: 'state',
        state,
        label: stateLabel(state, before),
        by: str(data, 'by'),
        ...(typeof compression === 'number' ? { compression } : {}),
      };
    }
    case 'procedures':
      return {
        kind: 'procedures',
        ackDeadlinesMs: { ...(data?.['ackDeadlinesMs'] as object) },
        line: withLineDefaults(data?.['line'] as LineSettingsInput | undefined),
        by: str(data, 'by'),
      };
    // Items come with their item and private kinds with a commitment, so of these only an alarm reaches
    // here; whatever else the relay may log one day is shown as one.
    case 'alarm':
    case 'message':
    case 'receipt':
    case 'call':
    case 'translation':
    case 'link-reply':
    case 'link-test':
    case 'link-missed':
    case 'call-expired':
    case 'inject':
    case 'note':
    case 'scenario':
    case 'inject-control': {
      const { code, ...rest } = data ?? {};
      return { kind: 'alarm', code: typeof code === 'string' ? code : 'ALARM', data: rest };
    }
  }
}

function isLineItem(p: ItemPayload): p is Exclude<ItemPayload, MessagePayload | ReceiptPayload> {
  return p.type === 'call' || p.type === 'translation' || p.type === 'link-reply';
}

/**
 * The events of a verified log as `audience` received it ('control', the default, reads everything, as
 * the export does). `clock` defaults to the one the log's own exercise-state entries make.
 */
export function logEvents(
  records: readonly LogRecord[],
  options: { audience?: Audience; clock?: ExerciseClock } = {},
): LogEvent[] {
  const audience = options.audience ?? 'control';
  const clock = options.clock ?? clockOf(records.map((r) => r.entry));
  const messages = new Map<string, number>();
  const injects = new Map<string, number>();
  const stations = new Map<string, string>();
  const line = new LineIndex(messages);
  let phase: Phase = 'planned';
  return records.map((record): LogEvent => {
    const entry = redactFor(record.entry, audience);
    let event: ReadableEvent | WithheldEvent;
    if (PRIVATE_KINDS[entry.kind] !== undefined) {
      const kind = entry.kind as WithheldEvent['kind'];
      if (kind === 'inject') injects.set(entry.hash, entry.idx);
      event = entry.reveal
        ? privateContent(kind, entry.to ?? '', entry.reveal.data)
        : { kind, withheld: true, commit: entry.commit ?? '', ...(entry.to === undefined ? {} : { to: entry.to }) };
    } else if (record.item && isLineItem(record.item.payload)) {
      event = line.item(record.item.payload, entry);
    } else if (entry.kind === 'link-test' || entry.kind === 'link-missed' || entry.kind === 'call-expired') {
      event = line.relay(entry);
    } else if (record.item) {
      const p = record.item.payload as MessagePayload | ReceiptPayload;
      if (p.type === 'message') messages.set(p.id, entry.idx);
      // refHash names an inject for every reader; a message is found by its id.
      event = itemContent(p, (r) => {
        const inject = injects.get(r.refHash);
        return [inject ?? messages.get(r.ref), inject !== undefined];
      });
    } else {
      event = relayContent(entry, stations, phase);
      if (event.kind === 'state') phase = event.state;
    }
    return { idx: entry.idx, at: entry.at, exerciseMs: clock.exerciseMs(Date.parse(entry.at)), phase, ...event };
  });
}
