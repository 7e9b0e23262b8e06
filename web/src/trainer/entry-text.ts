// One line per log entry, as a trainer reads it in the live view's list and in the note composer's choice
// of entries: messages and receipts, lifecycle changes, the scenario, controllers' inject actions, injects
// (as EXERCISE INJECT from their simulated originator, never as traffic from a station), notes, and the
// line's procedures (call requests, translations, link tests) in the words of shared/line-text.ts. Private
// entries are described from their content, which exercise control's stream carries. Pure.
import type { Applied, KnownInject } from '../../../shared/chain.js';
import type { Transition } from '../../../shared/exercise-clock.js';
import type { ExerciseDef } from '../../../shared/items.js';
import {
  exerciseStateData,
  injectControlData,
  injectData,
  noteData,
  proceduresData,
  scenarioData,
  type InjectAction,
} from '../../../shared/run-entries.js';
import type { LineBook } from '../../../shared/line-book.js';
import { lineSettingsText } from '../../../shared/line-text.js';
import { lineEventText } from '../../../shared/line-text.js';
import type { LineEvent } from '../../../shared/replay-line.js';
import { deadlinesSummary } from '../../../shared/precedence.js';
import { textIn } from '../../../shared/scenario.js';
import { dataText, shortName } from './format.js';
import { compressionText, transitionLabel } from './run-clock.js';

export interface EntryContext {
  def: ExerciseDef;
  /** A message by id (for a receipt): its precedence and entry. */
  message(id: string): { precedence: string; idx?: number } | undefined;
  /** An inject by its entry hash (for a receipt of it). */
  inject(hash: string): KnownInject | undefined;
  transitions: readonly Transition[];
  /** The line's procedures so far, to name the call request or link test an answer refers to. */
  line?: LineBook;
}

const ACTION_TEXT: Readonly<Record<InjectAction, string>> = {
  add: 'added to the MSEL (ad hoc)',
  edit: 'edited',
  hold: 'held',
  release: 'released',
  skip: 'skipped',
  fire: 'fired by hand',
};

const quote = (text: string, max = 80) => `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;

/** A private entry from its content; undefined when this reader has none (or it does not parse). */
function describePrivate({ entry }: Applied, ctx: EntryContext): string | undefined {
  const data = entry.reveal?.data;
  if (data === undefined) return undefined;
  const name = (s: string) => shortName(ctx.def, s);
  if (entry.kind === 'inject') {
    const d = injectData.safeParse(data);
    if (!d.success) return undefined;
    const p = d.data;
    const subject = textIn(p.subject, 'en');
    return `EXERCISE INJECT ${p.inject} → ${name(entry.to ?? '?')} from ${textIn(p.from, 'en') ?? '?'} (${p.precedence})${subject ? ` ${quote(subject)}` : ''}`;
  }
  if (entry.kind === 'inject-control') {
    const d = injectControlData.safeParse(data);
    return d.success ? `inject ${d.data.inject} ${ACTION_TEXT[d.data.action]} by ${d.data.by}` : undefined;
  }
  if (entry.kind === 'scenario') {
    const d = scenarioData.safeParse(data);
    if (!d.success) return undefined;
    const n = d.data.scenario.injects.length;
    return `scenario ${quote(d.data.scenario.title)} loaded by ${d.data.by} (${n} inject${n === 1 ? '' : 's'})`;
  }
  if (entry.kind === 'note') {
    const d = noteData.safeParse(data);
    if (!d.success) return undefined;
    return `controller note by ${d.data.by}: ${quote(d.data.text)}${d.data.ref === undefined ? '' : ` (about entry ${d.data.ref})`}`;
  }
  return undefined;
}

/** A call, translation or link entry as the shared line text reads it, with the entry it refers to. */
function lineEvent({ entry, item }: Applied, ctx: EntryContext): LineEvent | undefined {
  const refIdx = (i: number | undefined) => (i === undefined ? {} : { refIdx: i });
  const d = entry.data ?? {};
  const p = item?.payload;
  if (p?.type === 'call') {
    const { v: _v, type: _t, exercise: _e, seq: _s, sentAt: _a, ...fields } = p;
    const ref = p.action === 'request' ? undefined : ctx.line?.calls.get(p.ref)?.place.idx;
    return { kind: 'call', ...fields, ...refIdx(ref) };
  }
  if (p?.type === 'translation') {
    const { id, from, to, ref, lang, body } = p;
    return { kind: 'translation', id, from, to, ref, lang, body, ...refIdx(ctx.message(ref)?.idx) };
  }
  if (p?.type === 'link-reply') {
    const test = ctx.line?.tests.get(p.ref);
    const rtt = test?.reply?.idx === entry.idx ? { rttMs: test.reply.rttMs } : {};
    return { kind: 'link-reply', id: p.id, from: p.from, ref: p.ref, ...refIdx(test?.place.idx), ...rtt };
  }
  const ref = typeof d['ref'] === 'string' ? d['ref'] : '';
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  if (entry.kind === 'link-test')
    return { kind: 'link-test', id: str('id'), to: str('to'), timeoutMs: Number(d['timeoutMs']) };
  if (entry.kind === 'link-missed')
    return { kind: 'link-missed', ref, to: str('to'), ...refIdx(ctx.line?.tests.get(ref)?.place.idx) };
  if (entry.kind === 'call-expired')
    return {
      kind: 'call-expired',
      ref,
      awaiting: str('awaiting'),
      windowMs: Number(d['windowMs']),
      ...refIdx(ctx.line?.calls.get(ref)?.place.idx),
    };
  return undefined;
}

export function describeEntry(applied: Applied, ctx: EntryContext): string {
  const { entry, item } = applied;
  const name = (s: string) => shortName(ctx.def, s);
  const at = ` (entry ${entry.idx})`;
  if (item?.payload.type === 'message') {
    const p = item.payload;
    return `${p.precedence} message ${name(p.from)} → ${name(p.to)}${p.subject ? ` “${p.subject}”` : ''}${at}`;
  }
  if (item?.payload.type === 'receipt') {
    const p = item.payload;
    const verb = p.kind === 'acknowledged' ? 'acknowledged' : 'confirmed delivery of';
    const inject = ctx.message(p.ref) ? undefined : ctx.inject(p.refHash);
    if (inject) {
      const which = inject.data ? ` ${inject.data.inject}` : '';
      return `${name(p.from)} ${verb} EXERCISE INJECT${which} of entry ${inject.idx}`;
    }
    const ref = ctx.message(p.ref);
    return `${name(p.from)} ${verb} ${ref ? `${ref.precedence} ` : ''}message of entry ${ref?.idx ?? '?'}`;
  }
  const line = lineEvent(applied, ctx);
  if (line) return `${lineEventText(line, name)}${at}`;
  const d = entry.data ?? {};
  switch (entry.kind) {
    case 'link-test':
    case 'link-missed':
    case 'call-expired':
      return `${entry.kind}${at}`;
    case 'key-enrolled':
      return `console enrolled for ${name(String(d['station']))}: ${String(d['operator'])}${at}`;
    case 'key-revoked':
      return `key ${String(d['kid'])} revoked${at}`;
    case 'exercise-created':
      return `exercise created${at}`;
    case 'alarm':
      return `relay alarm ${dataText(d, 'code')}${at}`;
    case 'exercise-state': {
      const s = exerciseStateData.safeParse(d);
      if (!s.success) return `exercise state${at}`;
      const label = transitionLabel({ idx: entry.idx, state: s.data.state }, ctx.transitions);
      const rate = s.data.compression === undefined ? '' : ` at ${compressionText(s.data.compression)}`;
      const sealed = s.data.state === 'ended' ? ': the line is closed and the log sealed' : '';
      return `${label} by ${s.data.by}${rate}${sealed}${at}`;
    }
    case 'procedures': {
      const p = proceduresData.safeParse(d);
      if (!p.success) return `procedures${at}`;
      const line = p.data.line ? `; line: ${lineSettingsText(p.data.line)}` : '';
      return `acknowledgement deadlines set by ${p.data.by}: ${deadlinesSummary(p.data.ackDeadlinesMs)}${line}${at}`;
    }
    case 'message':
    case 'receipt':
    case 'call':
    case 'translation':
    case 'link-reply':
      // Only when its item did not decode, which a verified entry always does.
      return `${entry.kind}${at}`;
    case 'inject':
    case 'inject-control':
    case 'scenario':
    case 'note': {
      const text = describePrivate(applied, ctx);
      return `${text ?? `${entry.kind} (private)`}${at}`;
    }
  }
}
