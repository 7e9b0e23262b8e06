// The traffic list: both stations' messages and the exercise injects addressed to this station, in log
// order, each with its precedence (colour and label), DTG, verification badge and every state with its
// time. Incoming items not yet acknowledged stand out and carry the acknowledge button (until ENDEX; never
// at a translator's console). A message in the other station's language carries its translation, or the
// Translate form (translation-part.ts). Cards are updated in place so keyboard focus survives updates;
// inject cards are drawn by inject-card.ts.
import type { TrafficItem } from '../../../client/client.js';
import { latestState, type MessageView } from '../../../client/conversation.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { h, replaceChildren } from '../common/dom.js';
import { utcStamp, utcTime } from '../common/format.js';
import {
  ackButton,
  awaitingAckFlag,
  dtgTime,
  focusedKey,
  precedenceChip,
  restoreFocus,
  stateStep,
} from './card-parts.js';
import { errorText, stationShort, t, type Key } from './i18n.js';
import { fillInjectCard } from './inject-card.js';
import { needsTranslation, type TranslationContext, type TranslationParts } from './translation-part.js';

export interface TrafficActions {
  acknowledge(id: string): void;
}

/** What the card needs besides the view: whether an acknowledgement waits in the outbox; whether ENDEX closed the line. */
export interface CardContext {
  ackQueued: boolean;
  closed: boolean;
  translation: TranslationContext;
}

export class Traffic {
  readonly element: HTMLElement;
  readonly #list = h('ol', { class: 'msg-list', 'data-testid': 'traffic' });
  readonly #empty: HTMLElement;
  readonly #cards = new Map<string, HTMLLIElement>();
  readonly #title = h('h2', { id: 'traffic-title', class: 'panel-title' });
  readonly #summary = h('p', { class: 'traffic-summary', 'data-testid': 'traffic-summary' });

  /** `translator`: a translator's console, which acknowledges nothing and counts what awaits translation. */
  constructor(
    private readonly exercise: ExerciseDef,
    private readonly actions: TrafficActions,
    private readonly translations: TranslationParts,
    private readonly translator = false,
  ) {
    this.#empty = h('p', { class: 'empty' });
    this.element = h(
      'section',
      { id: 'traffic', class: 'panel traffic', 'aria-labelledby': 'traffic-title', tabindex: '-1' },
      h('div', { class: 'panel-head' }, this.#title, this.#summary),
      this.#empty,
      this.#list,
    );
    this.relabel();
  }

  relabel(): void {
    this.#title.textContent = t('traffic');
    this.#empty.textContent = t('noTraffic');
  }

  card(id: string): HTMLLIElement | undefined {
    return this.#cards.get(id);
  }

  /** Renders `items` (already in log order): updates changed cards, adds new ones, keeps DOM order. */
  render(items: TrafficItem[], context: (id: string) => CardContext): void {
    const stick = this.#nearBottom();
    const focused = document.activeElement;
    items.forEach((item, i) => {
      const id = item.view.id;
      let li = this.#cards.get(id);
      if (!li) {
        li = h('li', { class: 'msg', tabindex: '-1' });
        this.#cards.set(id, li);
      }
      if (item.kind === 'inject') fillInjectCard(li, item.view, context(id), () => this.actions.acknowledge(id));
      else this.#fill(li, item.view, context(id));
      if (this.#list.children[i] !== li) this.#list.insertBefore(li, this.#list.children[i] ?? null);
    });
    this.#empty.hidden = items.length > 0;
    const injects = items.filter((i) => i.kind === 'inject').length;
    const waiting = this.translator
      ? items.filter((i) => i.kind === 'message' && this.#untranslated(i.view, context(i.view.id))).length
      : items.filter((i) => !i.view.states.acknowledged && (i.kind === 'inject' || i.view.direction === 'in')).length;
    const n = items.length - injects;
    const summary = this.translator
      ? t('trafficSummaryTranslator', { n, waiting })
      : injects > 0
        ? t('trafficSummaryInjects', { n, injects, waiting })
        : t('trafficSummary', { n, waiting });
    if (this.#summary.textContent !== summary) this.#summary.textContent = summary;
    this.#summary.classList.toggle('traffic-waiting', waiting > 0);
    if (focused instanceof HTMLElement && focused !== document.activeElement && document.contains(focused))
      focused.focus();
    // Only the list scrolls (desktop layout); on narrow screens the page scrolls and this is a no-op.
    if (stick) this.#list.scrollTop = this.#list.scrollHeight;
  }

  /** An incoming message in the other language with no translation yet. */
  #untranslated(view: MessageView, ctx: CardContext): boolean {
    return view.direction === 'in' && needsTranslation(this.exercise, view) && !ctx.translation.translation;
  }

  #nearBottom(): boolean {
    const scroller = this.#list;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  #fill(li: HTMLLIElement, view: MessageView, ctx: CardContext): void {
    const state = latestState(view);
    const unacked = !this.translator && view.direction === 'in' && !view.states.acknowledged && !ctx.closed;
    const toTranslate = this.translator && this.#untranslated(view, ctx) && !ctx.closed;
    const key = JSON.stringify([view, ctx, document.documentElement.lang]);
    if (li.dataset['key'] === key) return;
    const hadFocus = focusedKey(li);
    li.dataset['key'] = key;
    li.dataset['id'] = view.id;
    li.dataset['kind'] = 'message';
    li.dataset['direction'] = view.direction;
    li.dataset['precedence'] = view.precedence;
    li.dataset['state'] = state;
    li.dataset['verified'] = String(this.#inLog(view));
    li.dataset['translated'] = String(ctx.translation.translation !== undefined);
    li.className = `msg msg-${view.direction} prec-${view.precedence}${unacked ? ' msg-unacked' : ''}${view.rejected ? ' msg-rejected' : ''}`;
    const titleId = `msg-${view.id}-title`;
    li.setAttribute('aria-labelledby', titleId);
    const other = view.direction === 'in' ? view.from : view.to;
    const who = t(view.direction === 'in' ? 'from' : 'to', { station: stationShort(this.exercise, other) });

    const ack = unacked ? ackButton(ctx.ackQueued, () => this.actions.acknowledge(view.id)) : null;
    const translate = this.translations.action(view, ctx.translation, ctx.closed);

    replaceChildren(
      li,
      h(
        'div',
        { class: 'msg-head' },
        precedenceChip(view.precedence),
        h(
          'span',
          { class: 'msg-dir', id: titleId },
          h('span', { class: 'visually-hidden' }, `${view.precedence}, `),
          who,
          view.subject ? h('span', { class: 'visually-hidden' }, `: ${view.subject}`) : null,
        ),
        dtgTime(view.sentAt),
        this.#badge(view),
        view.idx === undefined ? null : h('span', { class: 'msg-idx mono' }, `#${view.idx}`),
      ),
      unacked ? awaitingAckFlag() : null,
      toTranslate ? awaitingAckFlag(t('awaitingTranslation')) : null,
      ...this.translations.texts(view, ctx.translation),
      h(
        'ol',
        { class: 'states', 'aria-label': t('states'), 'data-testid': 'states' },
        ...this.#states(view),
        this.translations.step(view, ctx.translation),
      ),
      view.ackNote ? h('p', { class: 'msg-note' }, t('ackNote', { note: view.ackNote })) : null,
      ack || translate ? h('div', { class: 'msg-actions' }, ack, translate) : null,
    );
    restoreFocus(li, hadFocus);
  }

  /** True once this console verified the message's log entry itself (signature, chain, seq). */
  #inLog(view: MessageView): boolean {
    return view.verified && view.kid !== undefined;
  }

  #badge(view: MessageView): HTMLElement {
    if (this.#inLog(view)) {
      return h(
        'span',
        { class: 'badge badge-verified', title: t('verifiedTitle'), 'data-testid': 'verified' },
        h('span', { 'aria-hidden': 'true' }, '✔ '),
        t('verified'),
      );
    }
    if (view.rejected)
      return h(
        'span',
        { class: 'badge badge-rejected', 'data-testid': 'refused' },
        h('span', { 'aria-hidden': 'true' }, '✖ '),
        t('refusedNotInLog'),
      );
    return h(
      'span',
      { class: 'badge badge-local', 'data-testid': 'unverified' },
      h('span', { 'aria-hidden': 'true' }, '◌ '),
      t('signedLocally'),
    );
  }

  #states(view: MessageView): HTMLElement[] {
    const steps: [Key, 'queued' | 'accepted' | 'delivered' | 'acknowledged'][] =
      view.direction === 'out'
        ? [
            ['stateQueued', 'queued'],
            ['stateAccepted', 'accepted'],
            ['stateDelivered', 'delivered'],
            ['stateAcknowledged', 'acknowledged'],
          ]
        : [
            ['stateInLogged', 'accepted'],
            ['stateInDelivered', 'delivered'],
            ['stateInAcknowledged', 'acknowledged'],
          ];
    const items = steps.flatMap(([label, state]) => {
      const at = view.states[state];
      if (view.rejected && at === undefined) return [];
      const extra = state === 'accepted' && view.idx !== undefined ? t('entryNo', { idx: view.idx }) : undefined;
      return stateStep(label, state, at, extra);
    });
    if (view.rejected) {
      const r = view.rejected;
      items.push(
        h(
          'li',
          { class: 'state state-rejected', 'data-state': 'rejected', 'data-done': 'true' },
          h('span', { class: 'state-mark', 'aria-hidden': 'true' }, '✖'),
          h('span', { class: 'state-name' }, t('stateRejected')),
          h('time', { class: 'mono', datetime: r.at, title: utcStamp(r.at) }, utcTime(r.at)),
          h(
            'span',
            { class: 'state-reason' },
            `${errorText(r.code)}${r.message && r.message !== errorText(r.code) ? ` — ${r.message}` : ''} (${r.code})`,
          ),
        ),
      );
    }
    return items;
  }
}
