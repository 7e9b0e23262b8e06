// The after-action report's model: everything the report says, computed from a verified export alone, so the
// trainer console (in the browser) and `hotline report` (offline) say the same thing about the same file.
// Pure and isomorphic: no DOM, no Node, no clock but the one passed in.
import { HotlineError } from '../errors.js';
import type { ExportReport } from '../export.js';
import type { ExerciseDef, Lang, StationDef } from '../items.js';
import type { AckDeadlines } from '../precedence.js';
import { precedenceFigures, type PrecedenceFigures } from './figures.js';
import { injectOutcomes, type InjectOutcome } from './injects.js';
import { lineReport, type LineReport } from './line.js';
import { readEvent, type EventOf, type LogEvent } from './log-events.js';
import type { ClosingCheckpoint } from './seal.js';
import { timeline, type TimelineEvent } from './timeline.js';
import { itemTimings, type ItemTiming } from './timings.js';
import { transcript, type TranscriptItem } from './transcript.js';
import { verification, type Verification } from './verification.js';

export interface KeyReport {
  kid: string;
  operator: string;
  enrolled: { idx: number; at: number };
  revoked?: { idx: number; at: number; reason: string };
}

export interface StationReport extends StationDef {
  keys: KeyReport[];
}

export interface Pause {
  idx: number;
  at: number;
  by: string;
  /** When the exercise ran again (or ended); absent if the log ends paused. */
  until?: number;
}

export interface NoteReport {
  idx: number;
  at: number;
  exerciseMs: number | null;
  by: string;
  text: string;
  /** The entry the note is about, with what the timeline says of it. */
  ref?: { idx: number; text: string };
}

export interface ReportModel {
  exercise: ExerciseDef;
  scenario?: { title: string; summary?: string; idx: number; at: number; by: string; injects: number };
  /**
   * The acknowledgement deadlines every figure is judged against: the exercise's own if a `procedures` entry
   * set them (`set`), else the defaults.
   */
  deadlines: { ackDeadlinesMs: AckDeadlines; set?: { idx: number; by: string } };
  /** Everyone named as exercise control in the log (lifecycle, scenario, inject commands, notes). */
  control: string[];
  period: {
    firstAt: number;
    lastAt: number;
    startex?: number;
    endex?: number;
    /** Exercise time reached by the end of the log; null if it never started. */
    exerciseMs: number | null;
    compressions: number[];
    pauses: Pause[];
  };
  stations: StationReport[];
  timeline: TimelineEvent[];
  /** Timings of every message and inject, in log order (the charts plot these). */
  items: ItemTiming[];
  figures: { messages: PrecedenceFigures[]; injects: PrecedenceFigures[] };
  /** The line's procedures: call requests, link tests, translations. */
  line: LineReport;
  injects: InjectOutcome[];
  notes: NoteReport[];
  transcript: TranscriptItem[];
  verification: Verification;
}

export interface ReportOptions {
  /** Who verified the export ("hotline report", "the trainer console in this browser"). */
  verifiedBy: string;
  /** When (ms); the caller's clock, so the model itself stays a function of its inputs. */
  verifiedAt: number;
}

function stations(def: ExerciseDef, events: readonly LogEvent[]): StationReport[] {
  const keys = new Map<string, KeyReport & { station: string }>();
  for (const ev of events) {
    if (ev.kind === 'key-enrolled')
      keys.set(ev.kid, {
        kid: ev.kid,
        station: ev.station,
        operator: ev.operator,
        enrolled: { idx: ev.entry.idx, at: ev.at },
      });
    if (ev.kind === 'key-revoked') {
      const k = keys.get(ev.kid);
      if (k && !k.revoked) k.revoked = { idx: ev.entry.idx, at: ev.at, reason: ev.reason };
    }
  }
  return def.stations.map((s) => ({
    ...s,
    keys: [...keys.values()].filter((k) => k.station === s.id).map(({ station: _s, ...k }) => k),
  }));
}

function pauses(report: ExportReport): Pause[] {
  const ts = report.verifier.clock.transitions;
  return ts.flatMap((t, i) => {
    if (t.state !== 'paused') return [];
    const next = ts[i + 1];
    return [{ idx: t.idx, at: t.at, by: t.by, ...(next ? { until: next.at } : {}) }];
  });
}

/** The report of a verified export; `checkpoint` is its closing checkpoint (seal.ts). */
export function reportModel(report: ExportReport, checkpoint: ClosingCheckpoint, options: ReportOptions): ReportModel {
  if (!report.ok || !report.header)
    throw new HotlineError(report.fault?.code ?? 'BAD_EXPORT', report.fault?.message ?? 'the export did not verify');
  const def = report.header.exercise;
  const clock = report.verifier.clock;
  const langOf = (id: string): Lang => def.stations.find((s) => s.id === id)?.lang ?? 'en';
  const events = report.entries.map(readEvent);
  const items = itemTimings(events, clock, checkpoint.at, langOf);
  const byHash = new Map(items.map((i) => [i.hash, i]));
  const line = timeline(events, { def, clock, items: byHash, langOf });
  const lineByIdx = new Map(line.map((t) => [t.idx, t]));
  const scenarios = events.filter((e): e is EventOf<'scenario'> => e.kind === 'scenario');
  const loaded = scenarios[scenarios.length - 1];
  const procedures = events.filter((e): e is EventOf<'procedures'> => e.kind === 'procedures').at(-1);
  const control = new Set<string>();
  for (const ev of events)
    if (
      ev.kind === 'exercise-state' ||
      ev.kind === 'scenario' ||
      ev.kind === 'procedures' ||
      ev.kind === 'inject-control' ||
      ev.kind === 'note'
    )
      control.add(ev.data.by);
  const first = events[0]!;
  const last = events[events.length - 1]!;
  return {
    exercise: def,
    deadlines: {
      ackDeadlinesMs: clock.deadlines,
      ...(procedures ? { set: { idx: procedures.entry.idx, by: procedures.data.by } } : {}),
    },
    ...(loaded
      ? {
          scenario: {
            title: loaded.data.scenario.title,
            ...(loaded.data.scenario.summary === undefined ? {} : { summary: loaded.data.scenario.summary }),
            idx: loaded.entry.idx,
            at: loaded.at,
            by: loaded.data.by,
            injects: loaded.data.scenario.injects.length,
          },
        }
      : {}),
    control: [...control],
    period: {
      firstAt: first.at,
      lastAt: last.at,
      ...(clock.startex === undefined ? {} : { startex: clock.startex }),
      ...(clock.endex === undefined ? {} : { endex: clock.endex }),
      exerciseMs: clock.exerciseMs(checkpoint.at),
      compressions: [...new Set(clock.transitions.filter((t) => t.state === 'running').map((t) => t.compression))],
      pauses: pauses(report),
    },
    stations: stations(def, events),
    timeline: line,
    items,
    figures: {
      messages: precedenceFigures(
        items.filter((i) => i.kind === 'message'),
        clock.deadlines,
      ),
      injects: precedenceFigures(
        items.filter((i) => i.kind === 'inject'),
        clock.deadlines,
      ),
    },
    line: lineReport(
      report.verifier.line,
      clock,
      def,
      (station) => [...report.verifier.messages.values()].filter((m) => m.to === station).length,
      procedures?.data.line ? { idx: procedures.entry.idx, by: procedures.data.by } : undefined,
    ),
    injects: injectOutcomes(events, clock, items),
    notes: events
      .filter((e): e is EventOf<'note'> => e.kind === 'note')
      .map((n) => {
        const ref = n.data.ref === undefined ? undefined : lineByIdx.get(n.data.ref);
        return {
          idx: n.entry.idx,
          at: n.at,
          exerciseMs: clock.exerciseMs(n.at),
          by: n.data.by,
          text: n.data.text,
          ...(ref ? { ref: { idx: ref.idx, text: ref.text } } : {}),
        };
      }),
    transcript: transcript(events, clock, byHash, langOf),
    verification: verification(report, checkpoint, options.verifiedBy, options.verifiedAt),
  };
}
