// The enrolment form drawn from the screen's state: the code field (typed, or a notice that the link carried
// it, with a way to type another instead), the operator's name, the last error and the submit button. It keeps
// no state: the screen (enrolment.ts) remembers what was typed and redraws the form on every change.
import { LIMITS } from '../../../shared/items.js';
import { h } from '../common/dom.js';
import { t } from './i18n.js';

export interface EnrolFormState {
  /** Whether the code is typed (true) or was taken from the link. */
  typeCode: boolean;
  values: { code: string; operator: string };
  busy: boolean;
  error: string | undefined;
}

export interface EnrolFormActions {
  /** The operator chose to type a code rather than use the link's. */
  typeInstead(): void;
  /** The typed code changed (trimmed). */
  codeChanged(code: string): void;
  submit(): void;
}

export function enrolForm(s: EnrolFormState, actions: EnrolFormActions): HTMLFormElement {
  const codeField = s.typeCode
    ? h(
        'div',
        { class: 'field' },
        h('label', { for: 'enrol-code' }, t('codeLabel')),
        h('input', {
          id: 'enrol-code',
          type: 'text',
          autocomplete: 'off',
          autocapitalize: 'characters',
          spellcheck: 'false',
          'aria-describedby': 'enrol-code-hint',
          value: s.values.code,
          class: 'mono',
          'data-testid': 'enrol-code',
        }),
        h('p', { id: 'enrol-code-hint', class: 'hint' }, t('codeHint')),
      )
    : h(
        'p',
        { class: 'notice', 'data-testid': 'code-from-link' },
        h('span', {}, h('span', { 'aria-hidden': 'true' }, '✔ '), t('codeFromLink')),
        typeInsteadButton(actions),
      );
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', disabled: s.busy, 'data-testid': 'enrol-submit' },
    s.busy ? t('enrolWorking') : t('enrolSubmit'),
  );
  const form = h(
    'form',
    { class: 'panel enrol-form', novalidate: true },
    codeField,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'enrol-operator' }, t('operatorLabel')),
      h('input', {
        id: 'enrol-operator',
        type: 'text',
        maxlength: LIMITS.operator,
        autocomplete: 'name',
        required: true,
        'aria-describedby': 'enrol-operator-hint',
        value: s.values.operator,
      }),
      h('p', { id: 'enrol-operator-hint', class: 'hint' }, t('operatorHint')),
    ),
    s.error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'enrol-error' }, s.error) : null,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      h('span', { class: 'hint', role: 'status' }, s.busy ? t('enrolWorking') : ''),
    ),
  );
  form.querySelector('#enrol-code')?.addEventListener('change', (ev) => {
    actions.codeChanged((ev.target as HTMLInputElement).value.trim());
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    actions.submit();
  });
  return form;
}

function typeInsteadButton(actions: EnrolFormActions): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'btn btn-small btn-ghost' }, t('enterCodeInstead'));
  b.addEventListener('click', () => actions.typeInstead());
  return b;
}
