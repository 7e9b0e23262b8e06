// Pieces both kinds of traffic card share (a message of either station, an exercise inject): the
// acknowledge button, one step of the states list, the language tag of a text.
import type { Lang } from '../../../shared/items.js';
import { h } from '../common/dom.js';
import { utcStamp, utcTime } from '../common/format.js';
import { t, type Key } from './i18n.js';

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
