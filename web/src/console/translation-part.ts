// Translation on a message card. A message received in the other station's language gets "Translate": a
// form (subject if the message has one, body) that signs a translation into this station's language; once the
// translation is in the log, the card shows original and translation side by side (stacked on a phone) with
// who translated it, when, and how long after the message arrived. The sender's own card says that the other
// station translated it and when, with the translation one click away. The card's states gain the step.
// The forms (translate-form.ts) are kept per message so that what is typed survives the card's redraws.
import type { MessageView } from '../../../client/conversation.js';
import type { ExerciseDef, Lang } from '../../../shared/items.js';
import type { TranslationView } from '../../../shared/line-book.js';
import { LANG_NAMES } from '../../../shared/stations.js';
import { h } from '../common/dom.js';
import { utcTime } from '../common/format.js';
import { langTag, stateStep } from './card-parts.js';
import { delayParts } from './line-words.js';
import { stationShort, t } from './i18n.js';
import { TranslateForm } from './translate-form.js';

export interface TranslationContext {
  /** This station's translation of an incoming message, or the other station's of an outgoing one. */
  translation: TranslationView | undefined;
  /** A translation of ours is signed and on its way to the log. */
  queued: boolean;
}

export interface Translating {
  exercise: ExerciseDef;
  station: string;
  /** The operator of the key that signed a translation, as the log enrolled it. */
  operatorOf(kid: string): string | undefined;
  translate(messageId: string, text: { subject?: string; body: string }): Promise<void>;
}

function langOf(def: ExerciseDef, station: string): Lang | undefined {
  return def.stations.find((s) => s.id === station)?.lang;
}

/** Whether the message is in another language than its receiving station's: then a translation is due. */
export function needsTranslation(def: ExerciseDef, view: MessageView): boolean {
  const lang = langOf(def, view.to);
  return lang !== undefined && lang !== view.lang;
}

export class TranslationParts {
  readonly #forms = new Map<string, TranslateForm>();

  constructor(private readonly o: Translating) {}

  /** The states list's step: translated here (incoming) or there (outgoing), done with its time or pending. */
  step(view: MessageView, ctx: TranslationContext): HTMLElement | null {
    if (!needsTranslation(this.o.exercise, view) || view.rejected) return null;
    const at = ctx.translation ? new Date(ctx.translation.at).toISOString() : undefined;
    return stateStep(view.direction === 'in' ? 'stateTranslatedHere' : 'stateTranslatedThere', 'translated', at);
  }

  /** Subject and body: alone, or side by side with this station's translation. */
  texts(view: MessageView, ctx: TranslationContext): HTMLElement[] {
    const original: HTMLElement[] = [h('p', { class: 'msg-body', lang: langTag(view.lang) }, view.body)];
    if (view.subject) original.unshift(h('h3', { class: 'msg-subject', lang: langTag(view.lang) }, view.subject));
    const tr = ctx.translation;
    if (!tr) return original;
    if (view.direction === 'out') return [...original, this.#theirs(tr)];
    return [
      h(
        'div',
        { class: 'msg-texts', 'data-testid': 'side-by-side' },
        h(
          'div',
          { class: 'msg-text msg-original', 'data-testid': 'original' },
          h('p', { class: 'msg-text-label' }, t('original', { lang: LANG_NAMES[view.lang] })),
          ...original,
        ),
        h(
          'div',
          { class: 'msg-text msg-translation', 'data-testid': 'translation' },
          h('p', { class: 'msg-text-label' }, t('translation', { lang: LANG_NAMES[tr.lang] })),
          tr.subject ? h('p', { class: 'msg-subject', lang: langTag(tr.lang) }, tr.subject) : null,
          h('p', { class: 'msg-body', lang: langTag(tr.lang) }, tr.body),
        ),
      ),
      this.#caption('translatedBy', tr),
    ];
  }

  /** "Translate" and its form, for an incoming message in the other language not yet translated. */
  action(view: MessageView, ctx: TranslationContext, closed: boolean): HTMLElement | null {
    const due = view.direction === 'in' && view.idx !== undefined && needsTranslation(this.o.exercise, view);
    if (!due || ctx.translation || closed) {
      this.#forms.delete(view.id);
      return null;
    }
    if (ctx.queued) return h('p', { class: 'hint', role: 'status' }, t('translationQueued'));
    let form = this.#forms.get(view.id);
    if (!form) {
      form = new TranslateForm(view, langOf(this.o.exercise, view.to) ?? 'en', (text) =>
        this.o.translate(view.id, text),
      );
      this.#forms.set(view.id, form);
    }
    form.relabel();
    return form.element;
  }

  /** The relay refused our translation of `messageId`: its form (shown again) says why. */
  refused(messageId: string, text: string): void {
    this.#forms.get(messageId)?.fail(text);
  }

  #caption(key: 'translatedBy' | 'translatedTheirs', tr: TranslationView): HTMLElement {
    const station = stationShort(this.o.exercise, tr.from);
    const operator = this.o.operatorOf(tr.kid);
    const delay = delayParts(tr.delayMs);
    return h(
      'p',
      { class: 'msg-translated', 'data-testid': 'translated-by' },
      t(key, {
        who: operator ? t('translatorWho', { station, operator }) : station,
        station,
        time: utcTime(tr.at),
        delay: t(delay.key, { n: delay.n }),
      }),
    );
  }

  #theirs(tr: TranslationView): HTMLElement {
    return h(
      'div',
      { class: 'msg-theirs' },
      this.#caption('translatedTheirs', tr),
      h(
        'details',
        { class: 'msg-their-translation' },
        h('summary', {}, `${t('theirTranslation')} · ${LANG_NAMES[tr.lang]}`),
        tr.subject ? h('p', { class: 'msg-subject', lang: langTag(tr.lang) }, tr.subject) : null,
        h('p', { class: 'msg-body', lang: langTag(tr.lang) }, tr.body),
      ),
    );
  }
}
