// The date and time fields of a call request or an answer: a date picker and HH:MM typed as text, both UTC.
// The time is a text field, not <input type=time>, because the browser would show that in the local 12- or
// 24-hour style and hide that it is UTC; the labels say UTC, and so does the value read back.
import { h, setText } from '../common/dom.js';
import { dateAndTime, instantOf } from './line-words.js';
import { t } from './i18n.js';

export class WhenFields {
  readonly element: HTMLElement;
  readonly #dateLabel: HTMLLabelElement;
  readonly #timeLabel: HTMLLabelElement;
  readonly #date: HTMLInputElement;
  readonly #time: HTMLInputElement;

  /** `id` prefixes the fields' ids and focus keys (a card redrawn around them gives focus back by those). */
  constructor(id: string, at: string) {
    const [date, time] = dateAndTime(at);
    this.#date = h('input', {
      id: `${id}-date`,
      type: 'date',
      value: date,
      required: true,
      'data-focus-key': `${id}-date`,
      'data-testid': 'call-date',
    });
    this.#time = h('input', {
      id: `${id}-time`,
      type: 'text',
      class: 'mono call-time-input',
      inputmode: 'numeric',
      pattern: '[0-2][0-9]:[0-5][0-9]',
      maxlength: 5,
      placeholder: 'HH:MM',
      autocomplete: 'off',
      value: time,
      required: true,
      'data-focus-key': `${id}-time`,
      'data-testid': 'call-time',
    });
    this.#dateLabel = h('label', { for: this.#date.id });
    this.#timeLabel = h('label', { for: this.#time.id });
    this.element = h(
      'div',
      { class: 'call-when' },
      h('div', { class: 'field' }, this.#dateLabel, this.#date),
      h('div', { class: 'field' }, this.#timeLabel, this.#time),
    );
    this.relabel();
  }

  relabel(): void {
    setText(this.#dateLabel, t('callDate'));
    setText(this.#timeLabel, t('callTimeField'));
  }

  /** The instant the fields name (UTC), or undefined when they do not name one. */
  get value(): string | undefined {
    return instantOf(this.#date.value, this.#time.value.trim());
  }

  set value(at: string) {
    [this.#date.value, this.#time.value] = dateAndTime(at);
  }

  focus(): void {
    (this.#date.value ? this.#time : this.#date).focus();
  }
}
