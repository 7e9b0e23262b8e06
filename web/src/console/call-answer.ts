// The answer to a call request (or a counter-proposal) that awaits this station: the time on the table,
// editable, and a note; then Accept at this time, Propose this time instead, or Decline. One form per call,
// kept across redraws of its card, so what is typed survives a tick or an update.
import { LIMITS } from '../../../shared/items.js';
import type { CallView } from '../../../shared/line-book.js';
import { h, setText } from '../common/dom.js';
import { WhenFields } from './call-when.js';
import { refusalText, t } from './i18n.js';

export type CallReply =
  | { action: 'accept'; callAt: string }
  | { action: 'propose'; proposedAt: string; note?: string }
  | { action: 'decline'; note?: string };

export class CallAnswerForm {
  readonly element: HTMLFormElement;
  readonly #title = h('h4', { class: 'call-form-title' });
  readonly #when: WhenFields;
  readonly #noteLabel: HTMLLabelElement;
  readonly #note: HTMLInputElement;
  readonly #accept = h('button', {
    type: 'button',
    class: 'btn btn-primary',
    'data-focus-key': 'accept',
    'data-testid': 'call-accept',
  });
  readonly #propose = h('button', {
    type: 'button',
    class: 'btn',
    'data-focus-key': 'propose',
    'data-testid': 'call-propose',
  });
  readonly #decline = h('button', {
    type: 'button',
    class: 'btn btn-danger',
    'data-focus-key': 'decline',
    'data-testid': 'call-decline',
  });
  readonly #error = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'call-answer-error' });
  #onTable: string;
  #busy = false;

  constructor(
    call: CallView,
    private readonly onAnswer: (reply: CallReply) => Promise<void>,
  ) {
    const id = `call-${call.id}`;
    this.#onTable = call.proposedAt;
    this.#when = new WhenFields(`${id}-answer`, call.proposedAt);
    this.#note = h('input', {
      id: `${id}-note`,
      type: 'text',
      maxlength: LIMITS.note,
      autocomplete: 'off',
      'data-focus-key': 'note',
      'data-testid': 'call-note',
    });
    this.#noteLabel = h('label', { for: this.#note.id });
    this.element = h(
      'form',
      { class: 'call-answer', novalidate: true, 'data-testid': 'call-answer' },
      this.#title,
      this.#when.element,
      h('div', { class: 'field' }, this.#noteLabel, this.#note),
      this.#error,
      h('div', { class: 'form-actions call-answer-actions' }, this.#accept, this.#propose, this.#decline),
    );
    // Three answers and no default: Enter in the note must not accept the call.
    this.element.addEventListener('submit', (ev) => ev.preventDefault());
    this.#accept.addEventListener('click', () => void this.#send('accept'));
    this.#propose.addEventListener('click', () => void this.#send('propose'));
    this.#decline.addEventListener('click', () => void this.#send('decline'));
    this.relabel();
  }

  /** A new time came onto the table (the other side proposed again): the fields show it. */
  sync(call: CallView): void {
    if (call.proposedAt === this.#onTable) return;
    this.#onTable = call.proposedAt;
    this.#when.value = call.proposedAt;
  }

  relabel(): void {
    setText(this.#title, t('callAnswer'));
    this.#when.relabel();
    setText(this.#noteLabel, t('callAnswerNote'));
    setText(this.#accept, this.#busy ? t('sending') : t('callAccept'));
    setText(this.#propose, t('callPropose'));
    setText(this.#decline, t('callDecline'));
  }

  #fail(text: string): undefined {
    this.#error.textContent = text;
    this.#error.hidden = false;
    return undefined;
  }

  #reply(action: CallReply['action']): CallReply | undefined {
    const note = this.#note.value.trim();
    const withNote = note ? { note } : {};
    if (action === 'decline') return { action, ...withNote };
    const at = this.#when.value;
    if (!at) return this.#fail(t('callTimeInvalid'));
    if (action === 'accept') return { action, callAt: at };
    if (at === this.#onTable) return this.#fail(t('callProposeSame'));
    return { action, proposedAt: at, ...withNote };
  }

  async #send(action: CallReply['action']): Promise<void> {
    if (this.#busy) return;
    this.#error.hidden = true;
    const reply = this.#reply(action);
    if (!reply) return;
    this.#busy = true;
    for (const b of [this.#accept, this.#propose, this.#decline]) b.disabled = true;
    this.relabel();
    try {
      await this.onAnswer(reply);
    } catch (err) {
      this.#fail(refusalText(err));
    } finally {
      this.#busy = false;
      for (const b of [this.#accept, this.#propose, this.#decline]) b.disabled = false;
      this.relabel();
    }
  }
}
