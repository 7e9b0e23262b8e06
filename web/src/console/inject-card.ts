// The traffic card of an exercise inject: marked EXERCISE INJECT · 演习导调情况 in both languages, from its
// simulated originator (never the other station's name or colour: the inject style is exercise control's
// own), with precedence, DTG and exercise time, subject and body in the console's language and, when given,
// in the other one too, and the states received, delivered, acknowledged, with the acknowledge button.
import { injectState, textAndLang, type InjectTexts, type InjectView } from '../../../client/injects.js';
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import { h, replaceChildren } from '../common/dom.js';
import {
  ackButton,
  awaitingAckFlag,
  dtgTime,
  focusedKey,
  langTag,
  precedenceChip,
  restoreFocus,
  stateStep,
} from './card-parts.js';
import { lang, t, tWith } from './i18n.js';
import { INJECT_MARK } from './strings.js';

export interface InjectCardContext {
  ackQueued: boolean;
  /** ENDEX: nothing can be acknowledged any more. */
  closed: boolean;
}

/** The inject's originator in the console's language (or the other, if only that one was given). */
export function originatorOf(view: InjectView): string {
  return textAndLang(view.from, lang()).text;
}

/** The inject's subject in the console's language (or the other), if it has one. */
export function injectSubject(view: InjectView): string | undefined {
  return view.subject ? textAndLang(view.subject, lang()).text : undefined;
}

/** A text in the console's language first, then the other language's version when the inject gives both. */
function bilingual(texts: InjectTexts, tag: 'h3' | 'p', cls: string): HTMLElement[] {
  const first = textAndLang(texts, lang());
  const shown: HTMLElement[] = [h(tag, { class: cls, lang: langTag(first.lang) }, first.text)];
  const otherLang = first.lang === 'zh' ? 'en' : 'zh';
  const other = texts[otherLang];
  if (other !== undefined && first.lang === lang())
    shown.push(h(tag, { class: `${cls} inject-other-lang`, lang: langTag(otherLang) }, other));
  return shown;
}

export function fillInjectCard(
  li: HTMLLIElement,
  view: InjectView,
  ctx: InjectCardContext,
  onAcknowledge: () => void,
): void {
  const unacked = !view.states.acknowledged;
  const canAck = unacked && !ctx.closed;
  const key = JSON.stringify([view, ctx, document.documentElement.lang]);
  if (li.dataset['key'] === key) return;
  const hadFocus = focusedKey(li);
  li.dataset['key'] = key;
  li.dataset['id'] = view.id;
  li.dataset['kind'] = 'inject';
  li.dataset['direction'] = 'in';
  li.dataset['precedence'] = view.precedence;
  li.dataset['state'] = injectState(view);
  li.dataset['verified'] = 'true';
  li.className = `msg msg-inject prec-${view.precedence}${canAck ? ' msg-unacked' : ''}`;
  const titleId = `inject-${view.id}-title`;
  li.setAttribute('aria-labelledby', titleId);
  const originator = textAndLang(view.from, lang());
  const subject = injectSubject(view);

  replaceChildren(
    li,
    h(
      'p',
      { class: 'inject-mark', 'data-testid': 'inject-mark' },
      h('span', { lang: 'en' }, INJECT_MARK.en),
      ' · ',
      h('span', { lang: 'zh-Hans' }, INJECT_MARK.zh),
    ),
    h(
      'div',
      { class: 'msg-head' },
      precedenceChip(view.precedence),
      h(
        'span',
        { class: 'msg-dir inject-from', id: titleId, 'data-testid': 'originator' },
        h('span', { class: 'visually-hidden' }, `${INJECT_MARK[lang()]}, ${view.precedence}, `),
        ...tWith('injectFrom', 'originator', h('span', { lang: langTag(originator.lang) }, originator.text)),
        subject ? h('span', { class: 'visually-hidden' }, `: ${subject}`) : null,
      ),
      dtgTime(view.states.accepted),
      view.exerciseMs === null
        ? null
        : h(
            'span',
            { class: 'inject-extime mono', 'data-testid': 'inject-exercise-time' },
            t('injectFiredAt', { t: formatExerciseTime(view.exerciseMs) }),
          ),
      h(
        'span',
        { class: 'badge badge-verified', title: t('injectVerifiedTitle'), 'data-testid': 'verified' },
        h('span', { 'aria-hidden': 'true' }, '✔ '),
        t('verified'),
      ),
      h('span', { class: 'msg-idx mono' }, `#${view.idx}`),
    ),
    h('p', { class: 'inject-simulated' }, t('injectSimulated')),
    canAck ? awaitingAckFlag() : null,
    ...(view.subject ? bilingual(view.subject, 'h3', 'msg-subject') : []),
    ...bilingual(view.body, 'p', 'msg-body'),
    h(
      'ol',
      { class: 'states', 'aria-label': t('injectStates'), 'data-testid': 'states' },
      stateStep('stateInLogged', 'accepted', view.states.accepted, t('entryNo', { idx: view.idx })),
      stateStep('stateInDelivered', 'delivered', view.states.delivered),
      stateStep('stateInAcknowledged', 'acknowledged', view.states.acknowledged),
    ),
    view.ackNote ? h('p', { class: 'msg-note' }, t('ackNote', { note: view.ackNote })) : null,
    canAck ? h('div', { class: 'msg-actions' }, ackButton(ctx.ackQueued, onAcknowledge)) : null,
  );
  restoreFocus(li, hadFocus);
}
