// The line's procedures in a console column, simplified from what the operator consoles show: each call
// request this station made or received, in log order, with its state and whose turn it is; under a
// message, its translation (the receiver sees original and translation side by side, the sender that it
// was translated, and after how long). Used by the live view and the replay's consoles alike.
import type { MessageView } from '../../../client/conversation.js';
import type { ExerciseDef, StationDef } from '../../../shared/items.js';
import type { CallView, LineBook } from '../../../shared/line-book.js';
import { h } from './dom.js';
import { duration, shortName, zuluTime } from './format.js';
import { CALL_ACTION, CALL_LEVEL, CALL_STATE } from './line-words.js';

/** The call requests this station made or was asked for, with the entry of each request. */
export function stationCalls(book: LineBook | undefined, station: string): CallView[] {
  if (!book) return [];
  return [...book.calls.values()].filter((c) => c.from === station || c.to === station);
}

export function callCard(def: ExerciseDef, station: StationDef, call: CallView): HTMLElement {
  const name = (s: string) => shortName(def, s);
  const out = call.from === station.id;
  const last = call.steps.at(-1);
  const turn =
    call.state !== 'awaiting'
      ? ''
      : call.awaiting === station.id
        ? ' · this station’s turn to answer'
        : ` · awaiting ${name(call.awaiting ?? '')}`;
  return h(
    'li',
    { class: `line-card call-card call-${call.state}`, 'data-idx': call.place.idx, 'data-call': call.id },
    h(
      'p',
      { class: 'msg-head' },
      h('span', { class: 'line-tag' }, out ? `CALL REQUEST → ${name(call.to)}` : `CALL REQUEST ← ${name(call.from)}`),
      h('span', { class: `call-state state-${call.state}` }, CALL_STATE[call.state]),
      h('span', { class: 'idx' }, `entry ${call.place.idx}`),
    ),
    h('p', { class: 'subject' }, `${CALL_LEVEL[call.level]}: ${call.subject}`),
    h(
      'p',
      { class: 'call-time' },
      call.callAt === undefined
        ? `Proposed for ${zuluTime(call.proposedAt)}${turn}`
        : `Agreed for ${zuluTime(call.callAt)}`,
    ),
    last &&
      last.action !== 'request' &&
      h(
        'p',
        { class: 'translated-note' },
        `${last.by === 'relay' ? 'Relay' : name(last.by)} ${CALL_ACTION[last.action] ?? last.action} at ${zuluTime(new Date(last.at))}${last.note ? `: “${last.note}”` : ''}`,
      ),
  );
}

function pairPart(label: string, lang: string, subject: string | undefined, body: string): HTMLElement {
  return h(
    'div',
    {},
    h('p', { class: 'pair-label' }, label),
    subject && h('p', { class: 'subject', lang }, subject),
    h('p', { class: 'body', lang }, body),
  );
}

/** Under a message: its translation, if the receiving station made one. */
export function translationBlock(
  def: ExerciseDef,
  v: MessageView,
  book: LineBook | undefined,
): HTMLElement | undefined {
  const t = book?.translations.get(v.id);
  if (!t) return undefined;
  const into = t.lang === 'zh' ? 'Chinese' : 'English';
  const after = `${shortName(def, t.from)} translated it into ${into} after ${duration(t.delayMs)} (entry ${t.idx})`;
  if (v.direction === 'out') return h('p', { class: 'translated-note', 'data-translated': t.idx }, `✓ ${after}.`);
  return h(
    'div',
    { class: 'line-card translation', 'data-translated': t.idx },
    h('p', { class: 'translated-note' }, h('span', { class: 'line-tag' }, 'TRANSLATION'), after),
    h(
      'div',
      { class: 'translation-pair' },
      pairPart(`Original (${v.lang})`, v.lang, v.subject, v.body),
      pairPart(`Translation (${t.lang})`, t.lang, t.subject, t.body),
    ),
  );
}
