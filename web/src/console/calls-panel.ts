// The calls panel: every call request of the exercise, those awaiting this station's answer first, then those
// awaiting the other's, then the closed ones, newest first; "Request a call" for an operator. Each card is
// call-card.ts's; the answer forms live here, one per call, so they survive redraws; an answer that is signed
// hides its form until the log moves the call on. A refusal by the relay is shown at the top of the panel.
import type { ExerciseDef } from '../../../shared/items.js';
import type { CallView, LineBook } from '../../../shared/line-book.js';
import { deadlineText } from '../../../shared/precedence.js';
import { h, setText } from '../common/dom.js';
import { CallAnswerForm, type CallReply } from './call-answer.js';
import { CallCard } from './call-card.js';
import { CallRequestForm, type CallRequestDraft } from './call-request.js';
import { lang, t } from './i18n.js';

export interface CallActions {
  /** Signs a call request; resolves with its id once it is in the outbox. */
  request(draft: CallRequestDraft): Promise<string>;
  answer(callId: string, reply: CallReply): Promise<void>;
  /** An answer of ours to this call is signed and not yet in the log. */
  answerInFlight(callId: string): boolean;
}

/** Open calls awaiting `me` first, then those awaiting the other side, then the closed ones; newest first. */
export function callOrder(calls: Iterable<CallView>, me: string): CallView[] {
  const rank = (c: CallView) => (c.state !== 'awaiting' ? 2 : c.awaiting === me ? 0 : 1);
  return [...calls].sort((a, b) => rank(a) - rank(b) || b.place.idx - a.place.idx);
}

export class CallsPanel {
  readonly element: HTMLElement;
  readonly #title = h('h2', { id: 'calls-title', class: 'panel-title' });
  readonly #note = h('p', { class: 'hint calls-note' });
  readonly #empty = h('p', { class: 'empty', 'data-testid': 'calls-empty' });
  readonly #refusal = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'call-refused' });
  readonly #list = h('ol', { class: 'call-list', 'data-testid': 'calls' });
  readonly #request: CallRequestForm | undefined;
  readonly #cards = new Map<string, CallCard>();
  readonly #answers = new Map<string, CallAnswerForm>();
  #windowMs = 0;

  /** `canAct`: an operator console may request and answer; a translator's only reads. */
  constructor(
    private readonly exercise: ExerciseDef,
    private readonly me: string,
    private readonly canAct: boolean,
    private readonly actions: CallActions,
  ) {
    this.#request = canAct ? new CallRequestForm((draft) => actions.request(draft)) : undefined;
    this.element = h(
      'section',
      { id: 'calls', class: 'panel calls', 'aria-labelledby': 'calls-title', 'data-testid': 'calls-panel' },
      h('div', { class: 'panel-head' }, this.#title),
      this.#request?.element ?? null,
      this.#refusal,
      this.#empty,
      this.#list,
      this.#note,
    );
    this.relabel();
  }

  relabel(): void {
    setText(this.#title, t('calls'));
    setText(this.#note, t('callsWindowNote'));
    setText(this.#empty, t('callsEmpty', { window: deadlineText(this.#windowMs, lang()) }));
    this.#request?.relabel();
    for (const form of this.#answers.values()) form.relabel();
  }

  card(id: string): HTMLElement | undefined {
    return this.#cards.get(id)?.element;
  }

  /** Shows the book's calls; `closed` (ENDEX) takes the answer forms and the request button away. */
  update(book: LineBook, closed: boolean): void {
    if (book.settings.callWindowMs !== this.#windowMs) {
      this.#windowMs = book.settings.callWindowMs;
      this.relabel();
    }
    if (this.#request) {
      this.#request.element.hidden = closed;
      this.#request.logged((id) => book.calls.has(id));
    }
    const calls = callOrder(book.calls.values(), this.me);
    calls.forEach((call, i) => {
      let card = this.#cards.get(call.id);
      if (!card) {
        card = new CallCard(this.exercise);
        this.#cards.set(call.id, card);
      }
      card.fill(call, {
        me: this.me,
        answer: this.#answerFor(call, closed),
        answerQueued: call.state === 'awaiting' && this.actions.answerInFlight(call.id),
      });
      if (this.#list.children[i] !== card.element)
        this.#list.insertBefore(card.element, this.#list.children[i] ?? null);
    });
    this.#empty.hidden = calls.length > 0;
    this.tick(book);
  }

  /** The relay refused a call request or answer of ours: said at the top of the panel until the next one. */
  refused(text: string): void {
    this.#refusal.textContent = text;
    this.#refusal.hidden = false;
  }

  /** Ticks the open calls' countdowns on line time (every second). */
  tick(book: LineBook, now = Date.now()): void {
    for (const call of book.calls.values()) {
      if (call.state !== 'awaiting') continue;
      this.#cards.get(call.id)?.tick({ leftMs: book.callLeftMs(call, now), dueAt: book.callDueAt(call) }, now);
    }
  }

  #answerFor(call: CallView, closed: boolean): HTMLElement | undefined {
    if (!this.canAct || closed || call.state !== 'awaiting' || call.awaiting !== this.me) {
      this.#answers.delete(call.id);
      return undefined;
    }
    let form = this.#answers.get(call.id);
    if (!form) {
      form = new CallAnswerForm(call, (reply) => this.actions.answer(call.id, reply));
      this.#answers.set(call.id, form);
    }
    form.sync(call);
    return form.element;
  }
}
