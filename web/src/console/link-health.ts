// This station's link health in the status strip: when the relay last tested the link (HH:MM:SSZ), the round
// trip of the last answered test, and how many tests no console of this station answered. The answers are
// automatic (the client signs them); this only reports. A station never tested yet says so.
import type { LineBook } from '../../../shared/line-book.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { utcTime } from '../common/format.js';
import { spanText } from './line-words.js';
import { lang, t } from './i18n.js';

export class LinkHealth {
  readonly element = h('div', { class: 'status-group link-health', 'data-testid': 'link-health' });
  readonly #label = h('span', { class: 'status-label' });
  readonly #last = h('span', { class: 'status-detail', 'data-testid': 'link-test-last' });
  readonly #rtt = h('span', { class: 'status-detail', 'data-testid': 'link-test-rtt' });
  readonly #missed = h('span', { class: 'status-detail', 'data-testid': 'link-test-missed' });

  constructor(private readonly station: string) {
    replaceChildren(this.element, this.#label, this.#last, this.#rtt, this.#missed);
  }

  update(book: LineBook): void {
    const health = book.health(this.station);
    setText(this.#label, t('linkTest'));
    this.element.title = t('linkTestTitle', { every: spanText(book.settings.linkTestIntervalMs, lang()) });
    this.element.dataset['tests'] = String(health.tests);
    this.element.dataset['missed'] = String(health.missed);
    const last = health.last;
    const waiting = last !== undefined && !last.reply && !last.missed;
    setText(
      this.#last,
      last === undefined
        ? t('linkTestNone')
        : `${t('linkTestLast', { time: utcTime(last.place.at) })}${waiting ? ` · ${t('linkTestWaiting')}` : ''}`,
    );
    this.#rtt.hidden = health.lastRttMs === undefined;
    setText(this.#rtt, health.lastRttMs === undefined ? '' : t('linkTestRtt', { ms: health.lastRttMs }));
    this.#missed.hidden = last === undefined;
    setText(this.#missed, t('linkTestMissed', { n: health.missed }));
    this.#missed.classList.toggle('status-bad', health.missed > 0);
  }
}
