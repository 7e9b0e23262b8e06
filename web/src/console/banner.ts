// The station banner (classification line, station, operator and, for a translator's device, its role,
// exercise state and time next to UTC, language and sound switches) and the status strip under it: link
// state with RTT or the reconnect countdown, peer presence, log and outbox, and the groups the screen adds
// (the link tests' health).
import type { LinkState } from '../../../client/connection.js';
import type { Identity } from '../../../client/identity.js';
import { markingText } from '../../../shared/classification.js';
import { LANG_NAMES } from '../../../shared/stations.js';
import { byId, h, replaceChildren, setText } from '../common/dom.js';
import { classificationClass } from '../common/format.js';
import { ExerciseClockView, type ClockReading } from './exercise-clock.js';
import { lang, stationName, stationShort, t, type Key } from './i18n.js';

export interface BannerActions {
  switchLanguage(): void;
  toggleSound(): void;
  retryNow(): void;
}

export interface Status {
  link: LinkState;
  peerOnline: boolean;
  verifiedEntries: number;
  caughtUp: boolean;
  /** Verification stopped: nothing after `verifiedEntries` is applied. */
  halted: boolean;
  outbox: number;
  sound: boolean;
  clock: ClockReading;
}

/** Fills #classification with an exercise's marking, coloured by its level and spelled out. */
export function showClassification(marking: string): void {
  const bar = byId('classification');
  bar.className = `classification ${classificationClass(marking)}`;
  setText(bar, markingText(marking));
  bar.hidden = false;
}

/** The product mark, linking to the landing page. */
export function brand(): HTMLElement {
  return h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Hotline');
}

/** The language switch: names the other language in that language. */
export function languageButton(onClick: () => void): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'lang-switch' },
    h('span', { class: 'visually-hidden' }, `${t('switchLanguage')}: `),
    h('span', { lang: lang() === 'zh' ? 'en' : 'zh-Hans' }, t('otherLanguage')),
  );
  button.addEventListener('click', onClick);
  return button;
}

export class Banner {
  readonly #identity: Identity;
  readonly #actions: BannerActions;
  readonly #station = h('div', { class: 'station' });
  readonly #tools = h('div', { class: 'tools' });
  readonly #clock = new ExerciseClockView();
  readonly #status = h('div', { class: 'statusbar', 'data-testid': 'status' });

  /** `extra`: status groups kept at the end of the strip (they update themselves). */
  constructor(
    identity: Identity,
    actions: BannerActions,
    private readonly extra: HTMLElement[] = [],
  ) {
    this.#identity = identity;
    this.#actions = actions;
    const top = byId('topbar');
    top.classList.add(
      `station-${identity.station}`,
      `station-index-${identity.exercise.stations.findIndex((s) => s.id === identity.station)}`,
    );
    replaceChildren(top, brand(), this.#station, this.#clock.element, this.#tools);
    top.after(this.#status);
    showClassification(identity.exercise.classification);
  }

  /** Redraws everything (after a language switch). */
  render(status: Status): void {
    const id = this.#identity;
    const me = id.exercise.stations.find((s) => s.id === id.station);
    replaceChildren(
      this.#station,
      h('span', { class: 'flag', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'station-text' },
        h(
          'h1',
          { id: 'station-title', tabindex: '-1', 'data-testid': 'station-name' },
          stationName(id.exercise, id.station),
          id.role === 'translator'
            ? h('span', { class: 'role-pill', 'data-testid': 'role' }, ' · ', t('roleTranslator'))
            : null,
        ),
        h(
          'p',
          { class: 'station-meta' },
          h('span', {}, `${t('operator')}: `, h('strong', {}, id.operator)),
          h('span', {}, `${t('exercise')}: `, h('strong', {}, `${id.exercise.title} (${id.exercise.id})`)),
          h('span', {}, `${t('language')}: `, h('strong', {}, LANG_NAMES[me?.lang ?? 'en'])),
        ),
      ),
    );
    const focused = (document.activeElement as HTMLElement | null)?.dataset['testid'];
    const lang = languageButton(() => this.#actions.switchLanguage());
    const sound = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'sound-toggle' });
    sound.addEventListener('click', () => this.#actions.toggleSound());
    replaceChildren(this.#tools, lang, sound);
    if (focused === 'lang-switch') lang.focus();
    if (focused === 'sound-toggle') sound.focus();
    this.#els = undefined;
    this.#clock.relabel();
    this.update(status);
  }

  /** Updates the status strip in place (stable nodes, so focus stays put); cheap enough for every tick. */
  update(s: Status): void {
    const sound = this.#tools.querySelector<HTMLButtonElement>('[data-testid="sound-toggle"]');
    if (sound && sound.getAttribute('aria-pressed') !== String(s.sound)) {
      // A toggle: the name stays "Alarm sound", aria-pressed carries the state; the eye reads ON/OFF.
      sound.setAttribute('aria-pressed', String(s.sound));
      replaceChildren(
        sound,
        h('span', {}, t('sound'), h('span', { 'aria-hidden': 'true' }, s.sound ? t('soundOn') : t('soundOff'))),
      );
    }
    this.#clock.update(s.clock);
    const el = this.#els ?? this.#buildStatus();
    const peerState = s.link.state !== 'open' ? 'unknown' : s.peerOnline ? 'online' : 'offline';
    this.#status.dataset['link'] = s.link.state;
    this.#status.dataset['peer'] = peerState;
    setPill(el.link, LINK_PILL[s.link.state].kind, LINK_PILL[s.link.state].symbol, t(LINK_PILL[s.link.state].label));
    setText(el.linkDetail, linkDetail(s.link));
    el.retry.hidden = s.link.state !== 'reconnecting';
    const peer = PEER_PILL[peerState];
    setPill(el.peer, peer.kind, peer.symbol, t(peer.label));
    setText(
      el.log,
      s.halted
        ? t('logHalted', { n: s.verifiedEntries })
        : s.caughtUp
          ? t('logVerified', { n: s.verifiedEntries })
          : t('logSyncing'),
    );
    el.log.classList.toggle('status-bad', s.halted);
    setText(el.outbox, t('outboxCount', { n: s.outbox }));
  }

  #els:
    | {
        link: HTMLElement;
        linkDetail: HTMLElement;
        retry: HTMLButtonElement;
        peer: HTMLElement;
        log: HTMLElement;
        outbox: HTMLElement;
      }
    | undefined;

  #buildStatus() {
    const retry = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'retry-now' }, t('retryNow'));
    retry.addEventListener('click', () => this.#actions.retryNow());
    const els = {
      link: h('span', { class: 'pill', 'data-testid': 'link-state' }),
      linkDetail: h('span', { class: 'status-detail', 'data-testid': 'link-detail' }),
      retry,
      peer: h('span', { class: 'pill', 'data-testid': 'peer-state' }),
      log: h('span', { class: 'status-detail', 'data-testid': 'log-count' }),
      outbox: h('span', { class: 'status-detail', 'data-testid': 'outbox-count' }),
    };
    const peer = stationShort(this.#identity.exercise, peerOf(this.#identity));
    replaceChildren(
      this.#status,
      group(t('link'), els.link, els.linkDetail, els.retry),
      group(`${t('peer')} · ${peer}`, els.peer),
      group(t('log'), els.log),
      group(t('outbox'), els.outbox),
      ...this.extra,
    );
    this.#els = els;
    return els;
  }
}

type PillKind = 'ok' | 'warn' | 'bad' | 'muted';
const LINK_PILL: Record<LinkState['state'], { kind: PillKind; symbol: string; label: Key }> = {
  open: { kind: 'ok', symbol: '●', label: 'linkOpen' },
  connecting: { kind: 'warn', symbol: '◌', label: 'linkConnecting' },
  reconnecting: { kind: 'warn', symbol: '◐', label: 'linkReconnecting' },
  offline: { kind: 'bad', symbol: '○', label: 'linkOffline' },
};
const PEER_PILL: Record<'online' | 'offline' | 'unknown', { kind: PillKind; symbol: string; label: Key }> = {
  online: { kind: 'ok', symbol: '●', label: 'peerOnline' },
  offline: { kind: 'bad', symbol: '○', label: 'peerOffline' },
  unknown: { kind: 'muted', symbol: '?', label: 'peerUnknown' },
};

function setPill(el: HTMLElement, kind: PillKind, symbol: string, text: string): void {
  el.className = `pill pill-${kind}`;
  const key = `${symbol}|${text}`;
  if (el.dataset['key'] === key) return;
  el.dataset['key'] = key;
  replaceChildren(el, h('span', { 'aria-hidden': 'true' }, symbol), text);
}

function peerOf(id: Identity): string {
  return id.exercise.stations.find((s) => s.id !== id.station)?.id ?? '';
}

function countdown(link: LinkState): number {
  return link.state === 'reconnecting' ? Math.max(0, link.nextAttemptAt - Date.now()) : 0;
}

function group(label: string, ...content: (Node | null)[]): HTMLElement {
  return h('div', { class: 'status-group' }, h('span', { class: 'status-label' }, label), ...content);
}

function linkDetail(link: LinkState): string {
  switch (link.state) {
    case 'open':
      return `${t('rtt')} ${link.rtt === undefined ? '—' : `${link.rtt} ms`}`;
    case 'reconnecting':
      return `${t('nextAttempt', { s: `${Math.ceil(countdown(link) / 1000)} s` })} · ${t('attempt', { n: link.attempt })}`;
    case 'connecting':
      return t('attempt', { n: link.attempt + 1 });
    case 'offline':
      return '';
  }
}
