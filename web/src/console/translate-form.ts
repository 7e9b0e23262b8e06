// The Translate button of an incoming message and its form, closed until asked for: the subject (when the
// message has one) and the body, typed in this station's language, signed as a translation through the
// outbox. The form locks while signing; a refusal the client gives at once is shown in it.
import type { MessageView } from '../../../client/conversation.js';
import { LIMITS, type Lang } from '../../../shared/items.js';
import { LANG_NAMES } from '../../../shared/stations.js';
import { h, setText } from '../common/dom.js';
import { langTag } from './card-parts.js';
import { refusalText, t } from './i18n.js';

export class TranslateForm {
  readonly element: HTMLElement;
  readonly #open: HTMLButtonElement;
  readonly #form: HTMLFormElement;
  readonly #title = h('p', { class: 'msg-text-label' });
  readonly #subjectLabel: HTMLLabelElement | null;
  readonly #subject: HTMLInputElement | null;
  readonly #bodyLabel: HTMLLabelElement;
  readonly #body: HTMLTextAreaElement;
  readonly #error = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'translate-error' });
  readonly #send = h('button', {
    type: 'submit',
    class: 'btn btn-primary',
    'data-focus-key': 'translate-send',
    'data-testid': 'translate-send',
  });
  #busy = false;

  constructor(
    view: MessageView,
    private readonly into: Lang,
    private readonly onSend: (text: { subject?: string; body: string }) => Promise<void>,
  ) {
    const id = `xlat-${view.id}`;
    this.#open = h('button', {
      type: 'button',
      class: 'btn',
      'aria-expanded': 'false',
      'aria-controls': id,
      'data-focus-key': 'translate',
      'data-testid': 'translate',
    });
    this.#subject = view.subject
      ? h('input', {
          id: `${id}-subject`,
          type: 'text',
          lang: langTag(into),
          maxlength: LIMITS.subject,
          autocomplete: 'off',
          'data-focus-key': 'translate-subject',
          'data-testid': 'translate-subject',
        })
      : null;
    this.#subjectLabel = this.#subject ? h('label', { for: this.#subject.id }) : null;
    this.#body = h('textarea', {
      id: `${id}-body`,
      lang: langTag(into),
      maxlength: LIMITS.body,
      rows: 4,
      required: true,
      'data-focus-key': 'translate-body',
      'data-testid': 'translate-body',
    });
    this.#bodyLabel = h('label', { for: this.#body.id });
    this.#form = h(
      'form',
      { id, class: 'translate-form', novalidate: true, hidden: true, 'data-testid': 'translate-form' },
      this.#title,
      this.#subject ? h('div', { class: 'field' }, this.#subjectLabel, this.#subject) : null,
      h('div', { class: 'field' }, this.#bodyLabel, this.#body),
      this.#error,
      h('div', { class: 'form-actions' }, this.#send),
    );
    this.element = h('div', { class: 'msg-translate' }, this.#open, this.#form);
    this.#open.addEventListener('click', () => {
      this.#form.hidden = !this.#form.hidden;
      this.#open.setAttribute('aria-expanded', String(!this.#form.hidden));
      if (!this.#form.hidden) (this.#subject ?? this.#body).focus();
    });
    this.#form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.#submit();
    });
    this.relabel();
  }

  relabel(): void {
    setText(this.#open, t('translate'));
    setText(this.#title, t('translateTitle', { lang: LANG_NAMES[this.into] }));
    if (this.#subjectLabel) setText(this.#subjectLabel, t('translateSubject'));
    setText(this.#bodyLabel, t('translateBody'));
    setText(this.#send, this.#busy ? t('sending') : t('translateSend'));
  }

  fail(text: string): void {
    this.#error.textContent = text;
    this.#error.hidden = false;
  }

  async #submit(): Promise<void> {
    if (this.#busy) return;
    this.#error.hidden = true;
    const body = this.#body.value.trim();
    const subject = this.#subject?.value.trim();
    if (!body) {
      this.fail(t('translateRequired'));
      return this.#body.focus();
    }
    this.#busy = true;
    this.#send.disabled = true;
    this.relabel();
    try {
      await this.onSend({ body, ...(subject ? { subject } : {}) });
    } catch (err) {
      this.fail(refusalText(err));
    } finally {
      this.#busy = false;
      this.#send.disabled = false;
      this.relabel();
    }
  }
}
