// The timeline: every entry of the log, in log order, with its UTC and exercise time and one line saying what
// it was. Contents of messages, injects and notes are cut to an excerpt here; the transcript has them whole.
import { zuluTime } from '../dtg.js';
import type { ExerciseClock } from '../exercise-clock.js';
import type { ExerciseDef, Lang, Precedence } from '../items.js';
import { deadlinesSummary } from '../precedence.js';
import { textIn } from '../scenario.js';
import { shortName } from '../stations.js';
import { durationText, excerpt, shortHash } from './format.js';
import type { LogEvent } from './log-events.js';
import type { ItemTiming } from './timings.js';

export type TimelineKind =
  | 'created'
  | 'key-enrolled'
  | 'key-revoked'
  | 'message'
  | 'delivered'
  | 'acknowledged'
  | 'startex'
  | 'pause'
  | 'resume'
  | 'endex'
  | 'scenario'
  | 'inject-control'
  | 'inject'
  | 'note'
  | 'alarm'
  | 'call'
  | 'translation'
  | 'link-test'
  | 'link-missed';

export interface TimelineEvent {
  idx: number;
  at: number;
  exerciseMs: number | null;
  kind: TimelineKind;
  /** The station that acted (sent, acknowledged, enrolled) or, for an inject, received. */
  station?: string;
  precedence?: Precedence;
  text: string;
}

interface Context {
  def: ExerciseDef;
  clock: ExerciseClock;
  items: ReadonlyMap<string, ItemTiming>;
  langOf(station: string): Lang;
}

function describe(ev: LogEvent, ctx: Context): Omit<TimelineEvent, 'idx' | 'at' | 'exerciseMs'> {
  const name = (id: string) => shortName(ctx.def, id);
  switch (ev.kind) {
    case 'exercise-created':
      return { kind: 'created', text: `Exercise ${ctx.def.id} created` };
    case 'key-enrolled':
      return {
        kind: 'key-enrolled',
        station: ev.station,
        text: `Key ${shortHash(ev.kid)} enrolled for ${name(ev.station)} (operator ${ev.operator})`,
      };
    case 'key-revoked':
      return { kind: 'key-revoked', text: `Key ${shortHash(ev.kid)} revoked: ${excerpt(ev.reason)}` };
    case 'message': {
      const p = ev.payload;
      const what = p.subject ?? excerpt(p.body, 60);
      return {
        kind: 'message',
        station: p.from,
        precedence: p.precedence,
        text: `${p.precedence} message ${name(p.from)} → ${name(p.to)}: ${what}`,
      };
    }
    case 'receipt': {
      const p = ev.payload;
      const item = ctx.items.get(p.refHash);
      const of = item?.kind === 'inject' ? `inject (entry ${item.idx})` : `entry ${item?.idx ?? '?'}`;
      const after = item ? ` after ${durationText(ev.at - item.acceptedAt)}` : '';
      return {
        kind: p.kind,
        station: p.from,
        ...(item ? { precedence: item.precedence } : {}),
        text: `${name(p.from)}: ${p.kind} ${of}${after}${p.note ? ` — “${excerpt(p.note, 60)}”` : ''}`,
      };
    }
    case 'exercise-state': {
      const d = ev.data;
      if (d.state === 'ended') return { kind: 'endex', text: `ENDEX by ${d.by}` };
      if (d.state === 'paused') return { kind: 'pause', text: `Paused by ${d.by}` };
      const first = ctx.clock.transitions.find((t) => t.state === 'running')?.idx === ev.entry.idx;
      const x = d.compression !== undefined && d.compression !== 1 ? ` (compression ${d.compression}×)` : '';
      return first
        ? { kind: 'startex', text: `STARTEX by ${d.by}${x}` }
        : { kind: 'resume', text: `Resumed by ${d.by}${x}` };
    }
    case 'scenario': {
      const s = ev.data.scenario;
      return { kind: 'scenario', text: `Scenario “${s.title}” loaded by ${ev.data.by} (${s.injects.length} injects)` };
    }
    case 'procedures':
      return {
        kind: 'scenario',
        text: `Acknowledgement deadlines set by ${ev.data.by}: ${deadlinesSummary(ev.data.ackDeadlinesMs)}`,
      };
    case 'inject-control': {
      const d = ev.data;
      return { kind: 'inject-control', text: `${d.by}: ${d.action} inject ${d.inject}` };
    }
    case 'inject': {
      const d = ev.data;
      const lang = ctx.langOf(ev.to);
      const what = textIn(d.subject, lang) ?? excerpt(textIn(d.body, lang) ?? '', 60);
      return {
        kind: 'inject',
        station: ev.to,
        precedence: d.precedence,
        text: `Inject ${d.inject} to ${name(ev.to)} from ${textIn(d.from, lang) ?? '?'} (${d.precedence}): ${what}`,
      };
    }
    case 'note':
      return {
        kind: 'note',
        text: `Note by ${ev.data.by}${ev.data.ref === undefined ? '' : ` on entry ${ev.data.ref}`}: ${excerpt(ev.data.text)}`,
      };
    case 'alarm': {
      const code = typeof ev.data['code'] === 'string' ? ev.data['code'] : 'alarm';
      const kid = typeof ev.data['kid'] === 'string' ? ` (key ${shortHash(ev.data['kid'])})` : '';
      return { kind: 'alarm', text: `Relay alarm ${code}${kid}` };
    }
    case 'call': {
      const p = ev.payload;
      const what =
        p.action === 'request'
          ? `requests a call (${p.level}) for ${zuluTime(p.proposedAt)}: ${excerpt(p.subject, 60)}`
          : p.action === 'accept'
            ? `accepts the call for ${zuluTime(p.callAt)}`
            : p.action === 'propose'
              ? `proposes ${zuluTime(p.proposedAt)} for the call`
              : 'declines the call';
      return { kind: 'call', station: p.from, text: `${name(p.from)} ${what}` };
    }
    case 'call-expired':
      return { kind: 'call', text: `Call request expired: ${name(ev.data.awaiting)} did not answer in time` };
    case 'translation':
      return {
        kind: 'translation',
        station: ev.payload.from,
        text: `${name(ev.payload.from)} translated a message into ${ev.payload.lang}`,
      };
    case 'link-test':
      return { kind: 'link-test', station: ev.data.to, text: `Link test to ${name(ev.data.to)}` };
    case 'link-reply':
      return { kind: 'link-test', station: ev.payload.from, text: `${name(ev.payload.from)} answered the link test` };
    case 'link-missed':
      return { kind: 'link-missed', station: ev.data.to, text: `Link test MISSED by ${name(ev.data.to)}` };
  }
}

export function timeline(events: readonly LogEvent[], ctx: Context): TimelineEvent[] {
  return events.map((ev) => ({
    idx: ev.entry.idx,
    at: ev.at,
    exerciseMs: ctx.clock.exerciseMs(ev.at),
    ...describe(ev, ctx),
  }));
}
