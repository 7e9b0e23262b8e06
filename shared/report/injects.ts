// For each inject of the MSEL, what was expected beside what happened. The MSEL is rebuilt from the log alone:
// the last scenario entry's injects, then every inject-control entry in order (add, edit, hold, release,
// skip, fire), then the inject entries that fired them. What happened next is read from the same log: the
// target station's receipts for the inject and its first message after it.
import type { ExerciseClock } from '../exercise-clock.js';
import type { Precedence } from '../items.js';
import { injectOffset, type InjectDef, type Texts } from '../scenario.js';
import type { InjectAction } from '../run-entries.js';
import type { EventOf, LogEvent } from './log-events.js';
import type { ItemTiming } from './timings.js';

export interface ControlMark {
  idx: number;
  at: number;
  action: InjectAction;
  by: string;
}

export interface InjectFiring {
  idx: number;
  at: number;
  exerciseMs: number | null;
  /** Fired by the timer at its offset, or by a controller (`by`, when the log names one). */
  trigger: 'timer' | 'manual';
  by?: string;
  /** The InjectData id the operator's receipts refer to. */
  id: string;
}

export interface FirstReply {
  idx: number;
  at: number;
  /** Real time from the inject's entry to the message's entry. */
  ms: number;
  /** The same interval in line time (exercise time while running, nothing while paused). */
  lineMs: number;
  precedence: Precedence;
  subject?: string;
}

export type InjectStatus = 'fired' | 'skipped' | 'held' | 'not fired';

export interface InjectOutcome {
  /** The MSEL id ("INJ-03"). */
  id: string;
  /** From the loaded scenario, added during play, or (should a log hold one) fired with no MSEL entry known. */
  source: 'scenario' | 'added' | 'unknown';
  to: string;
  precedence: Precedence;
  /** When it was due: an exercise-time offset, or undefined for a manual (contingency) inject. */
  offsetMs?: number;
  from?: Texts;
  subject?: Texts;
  expectedAction?: string;
  controllerNotes?: string;
  controls: ControlMark[];
  status: InjectStatus;
  fired?: InjectFiring;
  timing?: ItemTiming;
  firstReply?: FirstReply;
}

interface Building extends InjectOutcome {
  /** A controller's fire command not yet followed by the inject entry it caused. */
  fireBy?: ControlMark;
}

function fromDef(def: InjectDef, source: InjectOutcome['source']): Building {
  const offsetMs = injectOffset(def);
  return {
    id: def.id,
    source,
    to: def.to,
    precedence: def.precedence,
    ...(offsetMs === undefined ? {} : { offsetMs }),
    from: def.from,
    ...(def.subject === undefined ? {} : { subject: def.subject }),
    expectedAction: def.expectedAction,
    ...(def.controllerNotes === undefined ? {} : { controllerNotes: def.controllerNotes }),
    controls: [],
    status: 'not fired',
  };
}

function applyControl(msel: Map<string, Building>, ev: EventOf<'inject-control'>): void {
  const d = ev.data;
  const mark: ControlMark = { idx: ev.entry.idx, at: ev.at, action: d.action, by: d.by };
  if (d.action === 'add' && d.def) {
    msel.set(d.inject, fromDef(d.def, 'added'));
  } else if (d.action === 'edit' && d.def) {
    const was = msel.get(d.inject);
    msel.set(d.inject, {
      ...fromDef(d.def, was?.source ?? 'added'),
      controls: was?.controls ?? [],
      status: was?.status ?? 'not fired',
    });
  }
  const inj = msel.get(d.inject);
  if (!inj) return;
  inj.controls.push(mark);
  if (inj.status === 'fired') return;
  if (d.action === 'hold') inj.status = 'held';
  else if (d.action === 'release') inj.status = 'not fired';
  else if (d.action === 'skip') inj.status = 'skipped';
  else if (d.action === 'fire') inj.fireBy = mark;
}

function applyFiring(msel: Map<string, Building>, ev: EventOf<'inject'>, clock: ExerciseClock): void {
  const d = ev.data;
  let inj = msel.get(d.inject);
  if (!inj) {
    inj = {
      id: d.inject,
      source: 'unknown',
      to: ev.to,
      precedence: d.precedence,
      from: d.from,
      controls: [],
      status: 'not fired',
    };
    if (d.subject) inj.subject = d.subject;
    msel.set(d.inject, inj);
  }
  // A manual inject can only be fired by a controller; a timed one by the timer unless a fire command came first.
  const manual = inj.fireBy !== undefined || (inj.source !== 'unknown' && inj.offsetMs === undefined);
  inj.status = 'fired';
  inj.fired = {
    idx: ev.entry.idx,
    at: ev.at,
    exerciseMs: clock.exerciseMs(ev.at),
    trigger: manual ? 'manual' : 'timer',
    ...(inj.fireBy ? { by: inj.fireBy.by } : {}),
    id: d.id,
  };
  delete inj.fireBy;
}

/** The MSEL's injects in their scenario order (added ones after them), each with what happened to it. */
export function injectOutcomes(
  events: readonly LogEvent[],
  clock: ExerciseClock,
  timings: readonly ItemTiming[],
): InjectOutcome[] {
  let msel = new Map<string, Building>();
  for (const ev of events) {
    // A new scenario (allowed before STARTEX) replaces the MSEL and everything done to the old one.
    if (ev.kind === 'scenario')
      msel = new Map(ev.data.scenario.injects.map((def) => [def.id, fromDef(def, 'scenario')]));
    else if (ev.kind === 'inject-control') applyControl(msel, ev);
    else if (ev.kind === 'inject') applyFiring(msel, ev, clock);
  }
  const timingByIdx = new Map(timings.map((t) => [t.idx, t]));
  const messages = events.filter((e): e is EventOf<'message'> => e.kind === 'message');
  return [...msel.values()].map(({ fireBy: _pending, ...inj }) => {
    const fired = inj.fired;
    if (!fired) return inj;
    const timing = timingByIdx.get(fired.idx);
    const reply = messages.find((m) => m.entry.idx > fired.idx && m.payload.from === inj.to);
    return {
      ...inj,
      ...(timing ? { timing } : {}),
      ...(reply
        ? {
            firstReply: {
              idx: reply.entry.idx,
              at: reply.at,
              ms: reply.at - fired.at,
              lineMs: clock.lineElapsed(fired.at, reply.at),
              precedence: reply.payload.precedence,
              ...(reply.payload.subject === undefined ? {} : { subject: reply.payload.subject }),
            },
          }
        : {}),
    };
  });
}
