// The compose form: precedence (radio group, colour and label), subject, body. Ctrl+Enter (or Cmd+Enter)
// sends. Sending signs the message and stores it in the IndexedDB outbox before anything else, so a
// reload or a relay restart loses nothing; the form locks while signing so nothing is sent twice. After
// ENDEX the form gives way to a notice, in both languages, that the line is closed; at a translator's
// console there is no form at all, only what the device may do.
import { HotlineError } from '../../../shared/errors.js';
import { LIMITS, PRECEDENCES, type Precedence } from '../../../shared/items.js';
import { ACK_DEADLINE_MS, type AckDeadlines } from '../../../shared/precedence.js';
import { h, replaceChildren } from '../common/dom.js';
import { errorText, lang, precedenceHint, precedenceLabel, t } from './i18n.js';
import { LINE_CLOSED } from './strings.js';

export interface Draft {
  precedence: Precedence;
  subject?: string;
  body: string;
}

export class Compose {
  readonly element: HTMLElement;
  readonly #form = h('form', { class: 'compose-form', novalidate: true, 'data-testid': 'compose' });
  readonly #title = h('h2', { id: 'compose-title', class: 'panel-title' });
  readonly #legend = h('legend', {});
  readonly #options = h('div', { class: 'prec-options' });
  readonly #precHint = h('p', { id: 'prec-hint', class: 'hint' });
  readonly #subjectLabel = h('label', { for: 'compose-subject' });
  readonly #subject = h('input', {
    id: 'compose-subject',
    type: 'text',
    maxlength: LIMITS.subject,
    autocomplete: 'off',
  });
  readonly #bodyLabel = h('label', { for: 'compose-body' });
  readonly #body = h('textarea', {
    id: 'compose-body',
    maxlength: LIMITS.body,
    rows: 4,
    'aria-describedby': 'compose-hint',
    required: true,
  });
  readonly #hint = h('p', { id: 'compose-hint', class: 'hint' });
  readonly #error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  readonly #send = h('button', { type: 'submit', class: 'btn btn-primary send-button', 'data-testid': 'send' });
  readonly #closed = h('div', {
    class: 'line-closed',
    role: 'status',
    tabindex: '-1',
    hidden: true,
    'data-testid': 'line-closed',
  });
  readonly #translatorNote = h('p', { class: 'translator-notice', hidden: true, 'data-testid': 'translator-notice' });
  #sending = false;
  #translator = false;

  /** The exercise's deadlines, which the precedence hint states (the defaults until the log says otherwise). */
  #deadlines: AckDeadlines = ACK_DEADLINE_MS;

  /** The log set (or kept) the exercise's deadlines: the hint says them. */
  showDeadlines(deadlines: AckDeadlines): void {
    if (deadlines === this.#deadlines) return;
    this.#deadlines = deadlines;
    this.#precHint.textContent = precedenceHint(deadlines);
  }

  constructor(private readonly onSend: (draft: Draft) => Promise<void>) {
    for (const p of PRECEDENCES) {
      const input = h('input', {
        type: 'radio',
        name: 'precedence',
        value: p,
        id: `prec-${p}`,
        checked: p === 'ROUTINE',
        'data-testid': `prec-${p}`,
      });
      this.#options.append(
        h('label', { class: `prec-option prec-${p}`, for: `prec-${p}` }, input, h('span', { class: 'prec-name' })),
      );
    }
    this.#form.append(
      h(
        'fieldset',
        { class: 'field prec-field', 'aria-describedby': 'prec-hint' },
        this.#legend,
        this.#options,
        this.#precHint,
      ),
      h('div', { class: 'field' }, this.#subjectLabel, this.#subject),
      h('div', { class: 'field' }, this.#bodyLabel, this.#body, this.#hint),
      this.#error,
      h('div', { class: 'compose-actions' }, this.#send),
    );
    this.element = h(
      'section',
      { id: 'compose', class: 'panel compose', 'aria-labelledby': 'compose-title' },
      this.#title,
      this.#translatorNote,
      this.#closed,
      this.#form,
    );
    this.#form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.submit();
    });
    this.#form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        void this.submit();
      }
    });
    this.#form.addEventListener('change', () => this.#hideError());
    this.relabel();
  }

  relabel(): void {
    this.#title.textContent = this.#translator ? t('roleTranslator') : t('compose');
    this.#translatorNote.textContent = t('translatorNotice');
    this.#legend.textContent = t('precedence');
    for (const p of PRECEDENCES) {
      const name = this.#options.querySelector(`label[for="prec-${p}"] .prec-name`);
      if (name) name.textContent = precedenceLabel(p);
    }
    this.#precHint.textContent = precedenceHint(this.#deadlines);
    this.#subjectLabel.textContent = t('subject');
    this.#bodyLabel.textContent = t('body');
    replaceChildren(this.#hint, h('span', { class: 'kbd-hint' }, t('sendKeyHint'), ' '), t('sendHint'));
    this.#sendLabel();
    if (!this.#closed.hidden) this.#fillClosed();
  }

  /** A translator's console: the form goes for good, a notice says what this device does instead. */
  translatorOnly(): void {
    this.#translator = true;
    this.#form.hidden = true;
    this.#translatorNote.hidden = false;
    this.relabel();
  }

  get closed(): boolean {
    return !this.#closed.hidden;
  }

  /** ENDEX: nothing more can be sent. The form goes (with what was typed: it could never be sent). */
  closeLine(): void {
    if (this.closed || this.#translator) return;
    this.#form.hidden = true;
    this.#closed.hidden = false;
    this.#fillClosed();
  }

  #fillClosed(): void {
    // Both languages, the console's own first: whoever sits at the console must read it.
    const order = lang() === 'zh' ? (['zh', 'en'] as const) : (['en', 'zh'] as const);
    replaceChildren(
      this.#closed,
      h(
        'p',
        { class: 'line-closed-title' },
        h('span', { 'aria-hidden': 'true' }, '■ '),
        `ENDEX · ${t('lineClosedTitle')}`,
      ),
      ...order.map((l) => h('p', { lang: l === 'zh' ? 'zh-Hans' : 'en' }, LINE_CLOSED[l])),
    );
  }

  /** Puts the keyboard in the form, on the chosen precedence. */
  focus(): void {
    if (this.closed) return this.#closed.focus();
    (this.#form.querySelector<HTMLInputElement>('input[name="precedence"]:checked') ?? this.#body).focus();
  }

  get precedence(): Precedence {
    const checked = this.#form.querySelector<HTMLInputElement>('input[name="precedence"]:checked');
    return (checked?.value as Precedence | undefined) ?? 'ROUTINE';
  }

  #sendLabel(): void {
    replaceChildren(
      this.#send,
      this.#sending ? t('sending') : t('send'),
      h('span', { class: 'kbd-hint' }, ' ', h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter')),
    );
  }

  #hideError(): void {
    this.#error.hidden = true;
  }

  showError(text: string): void {
    this.#error.textContent = text;
    this.#error.hidden = false;
  }

  async submit(): Promise<void> {
    if (this.#sending) return;
    const body = this.#body.value.trim();
    if (!body) {
      this.showError(t('bodyRequired'));
      this.#body.focus();
      return;
    }
    const subject = this.#subject.value.trim();
    const draft: Draft = { precedence: this.precedence, body, ...(subject ? { subject } : {}) };
    this.#sending = true;
    this.#send.disabled = true;
    this.#sendLabel();
    try {
      await this.onSend(draft);
      this.#subject.value = '';
      this.#body.value = '';
      const routine = this.#form.querySelector<HTMLInputElement>('#prec-ROUTINE');
      if (routine) routine.checked = true;
      this.#hideError();
    } catch (err) {
      const ended = err instanceof HotlineError && err.code === 'EXERCISE_ENDED';
      this.showError(ended ? errorText(err.code) : (err as Error).message);
    } finally {
      this.#sending = false;
      this.#send.disabled = false;
      this.#sendLabel();
    }
  }
}
