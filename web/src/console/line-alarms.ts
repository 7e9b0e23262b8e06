// The line's procedures in the alarm area above the traffic: (1) a missed link test, of either station, as
// an alert naming the station and the times, until the operator clears it (kept per console, so a reload
// does not raise it again; a later miss does); (2) each call request awaiting this station's answer, with its
// window's countdown and a way to the call. A call is not an emergency: no pulse and no tone, unlike FLASH.
import type { ExerciseDef } from '../../../shared/items.js';
import type { CallView, LineBook, LinkTestView } from '../../../shared/line-book.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { formatDuration, utcTime } from '../common/format.js';
import { spanText } from './line-words.js';
import { lang, stationShort, t } from './i18n.js';

export interface LineAlarmActions {
  showCall(id: string): void;
  /** The operator cleared the alarm for `station`'s misses up to the test missed at log index `idx`. */
  clearLink(station: string, idx: number): void;
}

interface Missed {
  station: string;
  last: LinkTestView & { missed: { idx: number; at: number } };
  count: number;
}

/** Each station's missed link tests not yet cleared, with the latest of them. */
export function uncleared(book: LineBook, cleared: Record<string, number>): Missed[] {
  const byStation = new Map<string, Missed>();
  for (const test of book.tests.values()) {
    if (!test.missed || test.missed.idx <= (cleared[test.to] ?? -1)) continue;
    const m = byStation.get(test.to);
    const last = test as Missed['last'];
    if (!m) byStation.set(test.to, { station: test.to, last, count: 1 });
    else
      byStation.set(test.to, {
        station: test.to,
        last: last.missed.idx > m.last.missed.idx ? last : m.last,
        count: m.count + 1,
      });
  }
  return [...byStation.values()];
}

export class LineAlarms {
  /** The missed link tests: an alert region, present from the start so that what appears in it is read out. */
  readonly links = h('div', { class: 'alarm-stack', role: 'alert', 'data-testid': 'link-alarms' });
  readonly calls = h('div', { class: 'alarm-stack', 'data-testid': 'call-alarms' });
  readonly #countdowns = new Map<string, HTMLElement>();
  #linkKey = '';
  #callKey = '';

  constructor(
    private readonly exercise: ExerciseDef,
    private readonly actions: LineAlarmActions,
  ) {}

  /** Redraws when what is shown changed; `myCalls` are the calls awaiting this station (none for a translator). */
  update(book: LineBook, cleared: Record<string, number>, myCalls: CallView[]): void {
    const missed = uncleared(book, cleared);
    const linkKey = JSON.stringify([missed.map((m) => [m.station, m.last.id, m.count]), lang()]);
    if (linkKey !== this.#linkKey) {
      this.#linkKey = linkKey;
      replaceChildren(this.links, ...missed.map((m) => this.#linkRow(m, book)));
    }
    const callKey = JSON.stringify([myCalls.map((c) => c.id), lang()]);
    if (callKey !== this.#callKey) {
      this.#callKey = callKey;
      this.#countdowns.clear();
      replaceChildren(this.calls, ...myCalls.map((c) => this.#callRow(c)));
    }
    this.tick(book);
  }

  tick(book: LineBook, now = Date.now()): void {
    for (const [id, el] of this.#countdowns) {
      const call = book.calls.get(id);
      if (!call) continue;
      const left = formatDuration(book.callLeftMs(call, now));
      setText(el, book.callDueAt(call) === undefined ? `${left} · ${t('deadlineFrozen')}` : left);
    }
  }

  #linkRow(m: Missed, book: LineBook): HTMLElement {
    const station = stationShort(this.exercise, m.station);
    const clear = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'link-alarm-clear' },
      t('linkMissedClear'),
    );
    clear.addEventListener('click', () => this.actions.clearLink(m.station, m.last.missed.idx));
    return h(
      'div',
      { class: 'alarm alarm-link', 'data-testid': 'link-alarm', 'data-station': m.station, 'data-count': m.count },
      h('span', { class: 'alarm-icon', 'aria-hidden': 'true' }, '⚠'),
      h(
        'div',
        { class: 'alarm-text' },
        h('p', { class: 'alarm-title' }, t('linkMissedAlarm', { station })),
        h(
          'p',
          { class: 'alarm-sub' },
          t('linkMissedDetail', {
            station,
            test: utcTime(m.last.place.at),
            timeout: spanText(m.last.timeoutMs, lang()),
            at: utcTime(m.last.missed.at),
          }),
          ' · ',
          t('linkMissedCount', { n: book.health(m.station).missed }),
        ),
      ),
      h('div', { class: 'alarm-actions' }, clear),
    );
  }

  #callRow(call: CallView): HTMLElement {
    const countdown = h('span', { class: 'countdown mono', 'data-testid': 'countdown' });
    this.#countdowns.set(call.id, countdown);
    const show = h('button', { type: 'button', class: 'btn', 'data-testid': 'call-alarm-show' }, t('showCall'));
    show.addEventListener('click', () => this.actions.showCall(call.id));
    return h(
      'div',
      { class: 'alarm alarm-call', 'data-testid': 'call-alarm', 'data-call-id': call.id },
      h('span', { class: 'alarm-icon', 'aria-hidden': 'true' }, '☎'),
      h(
        'div',
        { class: 'alarm-text' },
        h(
          'p',
          { class: 'alarm-title' },
          t('callAlarm', { station: stationShort(this.exercise, call.from === call.awaiting ? call.to : call.from) }),
          ' ',
          countdown,
        ),
        h('p', { class: 'alarm-sub' }, call.subject),
      ),
      h('div', { class: 'alarm-actions' }, show),
    );
  }
}
