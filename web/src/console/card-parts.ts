// Pieces both kinds of traffic card share (a message of either station, an exercise inject): the
// precedence chip, the DTG, the awaiting-acknowledgement flag, the acknowledge button, one step of the
// states list, the language tag of a text, and keeping focus on a card while it is redrawn.
import { dtg } from '../../../shared/dtg.js';
import type { Lang, Precedence } from '../../../shared/items.js';
import { h } from '../common/dom.js';
import { utcStamp, utcTime } from '../common/format.js';
import { precedenceLabel, t, type Key } from './i18n.js';

export function precedenceChip(precedence: Precedence): HTMLElement {
  return h('span', { class: `prec-chip prec-${precedence}`, 'data-testid': 'precedence' }, precedenceLabel(precedence));
}

/** The card's date-time group, read out as such, with the full UTC stamp on hover. */
export function dtgTime(at: string): HTMLElement {
  return h(
    'time',
    { class: 'msg-dtg mono', datetime: at, title: utcStamp(at) },
    h('span', { class: 'visually-hidden' }, `${t('dtg')} `),
    dtg(at),
  );
}

/** The flag of an item that awaits this console: its acknowledgement, or (a translator's) its translation. */
export function awaitingAckFlag(text = t('awaitingAck')): HTMLElement {
  return h('p', { class: 'msg-flag', 'data-testid': 'awaiting-ack' }, h('span', { 'aria-hidden': 'true' }, '▲ '), text);
}

/** Which control of the card has focus ('card' for the card itself), so a redraw can give it back. */
export function focusedKey(card: HTMLElement): string | undefined {
  return card.contains(document.activeElement)
    ? ((document.activeElement as HTMLElement).dataset['focusKey'] ?? 'card')
    : undefined;
}

/** Gives focus back after a redraw: to the same control if it is still there and enabled, else to the card. */
export function restoreFocus(card: HTMLElement, key: string | undefined): void {
  if (!key) return;
  const target = card.querySelector<HTMLElement>(`[data-focus-key="${key}"]:not([disabled])`) ?? card;
  target.focus();
}

/** The acknowledge button of a card; disabled while an acknowledgement is on its way. */
export function ackButton(disabled: boolean, onClick: () => void): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-danger ack-button',
      'data-focus-key': 'ack',
      'data-testid': 'ack',
      disabled,
    },
    t('acknowledge'),
    h('span', { class: 'kbd-hint' }, ' ', h('kbd', {}, 'Alt'), '+', h('kbd', {}, 'A')),
  );
  button.addEventListener('click', onClick);
  return button;
}

/** One step of a card's states: done with its UTC time, or pending. */
export function stateStep(label: Key, state: string, at: string | undefined, extra?: string): HTMLElement {
  const done = at !== undefined;
  return h(
    'li',
    { class: `state ${done ? 'state-done' : 'state-pending'}`, 'data-state': state, 'data-done': String(done) },
    h('span', { class: 'state-mark', 'aria-hidden': 'true' }, done ? '✔' : '○'),
    h('span', { class: 'state-name' }, t(label)),
    extra === undefined ? null : h('span', { class: 'state-extra mono' }, extra),
    done
      ? h('time', { class: 'mono', datetime: at, title: utcStamp(at) }, utcTime(at))
      : h('span', { class: 'state-when' }, t('statePending')),
  );
}

export function langTag(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}
