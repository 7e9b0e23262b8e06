// "Request a call": a button that opens the form (level, subject, proposed date and HH:MM in UTC), which signs
// a call request through the outbox like a message. The form locks while signing so nothing is sent twice;
// a refusal the client gives at once (ENDEX, the translator role) is shown in the form.
import { CALL_LEVELS, LIMITS, type CallLevel } from '../../../shared/items.js';
import { h, setText } from '../common/dom.js';
import { WhenFields } from './call-when.js';
import { LEVEL_KEY, defaultProposal } from './line-words.js';
import { refusalText, t } from './i18n.js';

export interface CallRequestDraft {
  level: CallLevel;
  subject: string;
  proposedAt: string;
}

export class CallRequestForm {
  readonly element: HTMLElement;
  readonly #toggle = h('button', {
    type: 'button',
    class: 'btn btn-primary',
    'aria-expanded': 'false',
    'aria-controls': 'call-request-form',
    'data-testid': 'call-request-open',
  });
  readonly #form = h('form', {
    id: 'call-request-form',
    class: 'call-request',
    novalidate: true,
    hidden: true,
    'data-testid': 'call-request',
  });
  readonly #title = h('h3', { class: 'call-form-title' });
  readonly #legend = h('legend', {});
  readonly #levels = h('div', { class: 'call-levels' });
  readonly #subjectLabel = h('label', { for: 'call-subject' });
  readonly #subject = h('input', {
    id: 'call-subject',
    type: 'text',
    maxlength: LIMITS.subject,
    autocomplete: 'off',
    required: true,
    'data-testid': 'call-subject',
  });
  readonly #when = new WhenFields('call-request', defaultProposal(Date.now()));
  readonly #error = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'call-request-error' });
  readonly #send = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'call-send' });
  readonly #cancel = h('button', { type: 'button', class: 'btn' });
  readonly #status = h('p', { class: 'hint', role: 'status', 'data-testid': 'call-request-status' });
  #busy = false;

  /** The id of the request signed last, until the log has it. */
  #pending: string | undefined;

  constructor(private readonly onSend: (draft: CallRequestDraft) => Promise<string>) {
    for (const level of CALL_LEVELS)
      this.#levels.append(
        h(
          'label',
          { class: 'call-level', for: `call-level-${level}` },
          h('input', {
            type: 'radio',
            name: 'call-level',
            value: level,
            id: `call-level-${level}`,
            checked: level === 'principal',
            'data-testid': `call-level-${level}`,
          }),
          h('span', { class: 'call-level-name' }),
        ),
      );
    this.#form.append(
      this.#title,
      h('fieldset', { class: 'field call-level-field' }, this.#legend, this.#levels),
      h('div', { class: 'field' }, this.#subjectLabel, this.#subject),
      this.#when.element,
      this.#error,
      h('div', { class: 'form-actions' }, this.#send, this.#cancel),
    );
    this.element = h('div', { class: 'call-request-box' }, this.#toggle, this.#form, this.#status);
    this.#toggle.addEventListener('click', () => this.#open(this.#form.hidden));
    this.#cancel.addEventListener('click', () => this.#open(false));
    this.#form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.#submit();
    });
    this.relabel();
  }

  relabel(): void {
    setText(this.#toggle, t('requestCall'));
    setText(this.#title, t('requestCallTitle'));
    setText(this.#legend, t('callLevel'));
    for (const level of CALL_LEVELS) {
      const name = this.#levels.querySelector(`label[for="call-level-${level}"] .call-level-name`);
      if (name) setText(name, t(LEVEL_KEY[level]));
    }
    setText(this.#subjectLabel, t('callSubject'));
    this.#when.relabel();
    setText(this.#send, this.#busy ? t('sending') : t('callSend'));
    setText(this.#cancel, t('callCancel'));
  }

  /** The log has the request signed last: "signed, goes out through the outbox" is no longer news. */
  logged(has: (id: string) => boolean): void {
    if (this.#pending === undefined || !has(this.#pending)) return;
    this.#pending = undefined;
    setText(this.#status, '');
  }

  #open(open: boolean): void {
    this.#form.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      setText(this.#status, '');
      this.#subject.focus();
    } else this.#toggle.focus();
  }

  #fail(text: string, field?: HTMLElement): void {
    this.#error.textContent = text;
    this.#error.hidden = false;
    field?.focus();
  }

  async #submit(): Promise<void> {
    if (this.#busy) return;
    this.#error.hidden = true;
    const subject = this.#subject.value.trim();
    const proposedAt = this.#when.value;
    if (!subject) return this.#fail(t('callSubjectRequired'), this.#subject);
    if (!proposedAt) return this.#fail(t('callTimeInvalid'));
    const checked = this.#levels.querySelector<HTMLInputElement>('input:checked');
    const level = (checked?.value ?? 'principal') as CallLevel;
    this.#busy = true;
    this.#send.disabled = true;
    this.relabel();
    try {
      this.#pending = await this.onSend({ level, subject, proposedAt });
      this.#subject.value = '';
      this.#when.value = defaultProposal(Date.now());
      this.#open(false);
      setText(this.#status, t('callQueued'));
    } catch (err) {
      this.#fail(refusalText(err));
    } finally {
      this.#busy = false;
      this.#send.disabled = false;
      this.relabel();
    }
  }
}
