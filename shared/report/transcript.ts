// The full transcript: every message and inject in log order, whole, in the language it was written in
// (an inject in both languages when the scenario gave both, the target station's first), with the receipts
// that answered it.
import type { ExerciseClock } from '../exercise-clock.js';
import type { Lang, Precedence } from '../items.js';
import type { Texts } from '../scenario.js';
import type { LogEvent } from './log-events.js';
import type { ItemTiming } from './timings.js';

interface Common {
  idx: number;
  at: number;
  exerciseMs: number | null;
  to: string;
  precedence: Precedence;
  timing?: ItemTiming;
}

export interface TranscriptMessage extends Common {
  kind: 'message';
  from: string;
  lang: Lang;
  classification: string;
  subject?: string;
  body: string;
  /** The entry of the message this one answers, when it is in the log. */
  replyToIdx?: number;
}

export interface TranscriptInject extends Common {
  kind: 'inject';
  /** The MSEL id. */
  inject: string;
  /** The target station's language: shown first. */
  lang: Lang;
  from: Texts;
  subject?: Texts;
  body: Texts;
}

export type TranscriptItem = TranscriptMessage | TranscriptInject;

export function transcript(
  events: readonly LogEvent[],
  clock: ExerciseClock,
  items: ReadonlyMap<string, ItemTiming>,
  langOf: (station: string) => Lang,
): TranscriptItem[] {
  const idxOfMessage = new Map<string, number>();
  const out: TranscriptItem[] = [];
  for (const ev of events) {
    const base = { idx: ev.entry.idx, at: ev.at, exerciseMs: clock.exerciseMs(ev.at) };
    const timing = items.get(ev.entry.hash);
    if (ev.kind === 'message') {
      const p = ev.payload;
      idxOfMessage.set(p.id, ev.entry.idx);
      const replyToIdx = p.replyTo === undefined ? undefined : idxOfMessage.get(p.replyTo);
      out.push({
        ...base,
        kind: 'message',
        from: p.from,
        to: p.to,
        precedence: p.precedence,
        lang: p.lang,
        classification: p.classification,
        ...(p.subject === undefined ? {} : { subject: p.subject }),
        body: p.body,
        ...(replyToIdx === undefined ? {} : { replyToIdx }),
        ...(timing ? { timing } : {}),
      });
    } else if (ev.kind === 'inject') {
      const d = ev.data;
      out.push({
        ...base,
        kind: 'inject',
        inject: d.inject,
        to: ev.to,
        precedence: d.precedence,
        lang: langOf(ev.to),
        from: d.from,
        ...(d.subject === undefined ? {} : { subject: d.subject }),
        body: d.body,
        ...(timing ? { timing } : {}),
      });
    }
  }
  return out;
}
