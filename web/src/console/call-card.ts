// One call request in the calls panel: who asked for what level of call and why, its state in words that
// cannot be misread (awaiting YOUR answer, awaiting theirs, accepted for a time, declined by whom, expired
// because whom did not answer), whose turn it is, the window's countdown on line time (standing still while
// the exercise clock is stopped, and saying so), every step with its time, and, when it is this station's
// turn, the answer form. The card is rebuilt only when the call changes; the countdown is ticked in place.
import type { CallStep, CallView } from '../../../shared/line-book.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { formatDuration, utcStamp, utcTime } from '../common/format.js';
import { focusedKey, restoreFocus } from './card-parts.js';
import { LEVEL_KEY, callPhrase, callTime, dueText } from './line-words.js';
import { lang, stationShort, t, type Key } from './i18n.js';

export interface CallCardContext {
  me: string;
  /** This station's answer form, when the call awaits it and this console may answer. */
  answer: HTMLElement | undefined;
  /** An answer of ours is signed and on its way. */
  answerQueued: boolean;
}

/** What the window's line reads at `now`: time left and when it closes, or that it stands still. */
export interface WindowReading {
  leftMs: number;
  dueAt: number | undefined;
}

export class CallCard {
  readonly element = h('li', { class: 'call', tabindex: '-1', 'data-testid': 'call' });
  readonly #window = h('p', { class: 'call-window mono', 'data-testid': 'call-window' });
  #key = '';

  constructor(private readonly exercise: ExerciseDef) {}

  /** Redraws the card when the call, its context or the language changed. */
  fill(call: CallView, ctx: CallCardContext): void {
    const key = JSON.stringify([call, ctx.me, Boolean(ctx.answer), ctx.answerQueued, lang()]);
    if (key === this.#key) return;
    this.#key = key;
    const li = this.element;
    const hadFocus = focusedKey(li);
    const phrase = callPhrase(call, ctx.me);
    const yours = phrase.key === 'callAwaitingYou';
    li.dataset['id'] = call.id;
    li.dataset['state'] = call.state;
    li.dataset['turn'] = call.state !== 'awaiting' ? 'none' : yours ? 'yours' : 'theirs';
    li.className = `call call-${call.state}${yours ? ' call-yours' : ''}`;
    const titleId = `call-${call.id}-title`;
    li.setAttribute('aria-labelledby', titleId);
    const station = (id: string) => stationShort(this.exercise, id);
    const stateText = t(phrase.key, {
      station: 'station' in phrase ? station(phrase.station) : '',
      time: 'at' in phrase ? callTime(phrase.at, lang()) : '',
    });
    replaceChildren(
      li,
      h(
        'p',
        { class: 'call-head' },
        h(
          'span',
          { class: 'call-by', id: titleId },
          t('callRequestedBy', { level: t(LEVEL_KEY[call.level]), station: station(call.from) }),
        ),
        h('time', { class: 'mono', datetime: new Date(call.place.at).toISOString() }, utcTime(call.place.at)),
      ),
      h('h3', { class: 'call-subject' }, call.subject),
      h(
        'p',
        { class: `call-state call-state-${call.state}`, 'data-testid': 'call-state' },
        h('span', { 'aria-hidden': 'true' }, yours ? '▲' : STATE_MARK[call.state], ' '),
        stateText,
      ),
      call.state === 'awaiting'
        ? h(
            'p',
            { class: 'call-turn', 'data-testid': 'call-turn' },
            yours ? t('callTurnYou') : t('callTurnThem', { station: station(call.awaiting ?? '') }),
          )
        : null,
      call.state === 'awaiting'
        ? h('p', { class: 'call-proposed' }, t('callProposedAt', { time: callTime(call.proposedAt, lang()) }))
        : null,
      call.state === 'awaiting' ? this.#window : null,
      h(
        'details',
        { class: 'call-steps' },
        h('summary', {}, t('callSteps')),
        h('ol', { 'data-testid': 'call-steps' }, ...call.steps.map((s) => this.#step(s))),
      ),
      ctx.answerQueued ? h('p', { class: 'hint', role: 'status' }, t('callAnswerQueued')) : (ctx.answer ?? null),
    );
    restoreFocus(li, hadFocus);
  }

  /** Ticks the countdown (every second). */
  tick(reading: WindowReading, now: number): void {
    const left = formatDuration(reading.leftMs);
    setText(
      this.#window,
      reading.leftMs <= 0
        ? t('callWindowPassed')
        : reading.dueAt === undefined
          ? t('callWindowFrozen', { left })
          : t('callWindow', { left, due: dueText(reading.dueAt, now, lang()) }),
    );
    this.#window.classList.toggle('call-window-frozen', reading.dueAt === undefined);
  }

  #step(s: CallStep): HTMLElement {
    const station = stationShort(this.exercise, s.by);
    const time = s.callAt ?? s.proposedAt;
    const words: Record<CallStep['action'], Key> = {
      request: 'stepRequest',
      propose: 'stepPropose',
      accept: 'stepAccept',
      decline: 'stepDecline',
      expired: 'stepExpired',
    };
    const at = new Date(s.at).toISOString();
    return h(
      'li',
      { 'data-action': s.action },
      h('time', { class: 'mono', datetime: at, title: utcStamp(at) }, utcTime(s.at)),
      ' ',
      t(words[s.action], { station, time: time ? callTime(time, lang()) : '' }),
      s.note ? h('span', { class: 'call-note' }, ` · ${t('callNote', { note: s.note })}`) : null,
    );
  }
}

const STATE_MARK: Record<CallView['state'], string> = {
  awaiting: '◌',
  accepted: '✔',
  declined: '✖',
  expired: '■',
};
