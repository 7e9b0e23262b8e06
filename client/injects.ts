// Exercise injects as one station's console holds them: the injects addressed to it (never the other
// station's, whose content it never receives), each with its simulated originator and its delivered and
// acknowledged states. They are a kind of their own, apart from the conversation with the other station:
// an inject is the exercise speaking, not the peer. The trainer's observer keeps one book per station.
import type { Applied } from '../shared/chain.js';
import type { Entry } from '../shared/entry.js';
import type { ExerciseClock } from '../shared/exercise-clock.js';
import type { Lang, Precedence } from '../shared/items.js';
import { injectData, type InjectData } from '../shared/run-entries.js';
import { receiptLogged } from './receipts.js';

/** A text in one language or both (at least one). */
export type InjectTexts = InjectData['body'];

export interface InjectView {
  /** The fired inject's id (InjectData.id): what the station's receipts refer to. */
  id: string;
  /** The MSEL inject it fires ("INJ-03"). */
  inject: string;
  to: string;
  /** The simulated originator: a theatre command, an embassy, a news wire. */
  from: InjectTexts;
  precedence: Precedence;
  subject?: InjectTexts;
  body: InjectTexts;
  idx: number;
  /** The inject entry's hash: the receipts' refHash. */
  hash: string;
  /** Exercise time when it was fired; null if it came before STARTEX. */
  exerciseMs: number | null;
  /** The time each state was reached (ISO 8601, UTC, relay time): `accepted` is the inject entry's `at`. */
  states: { accepted: string; delivered?: string; acknowledged?: string };
  ackNote?: string;
}

export type InjectState = 'accepted' | 'delivered' | 'acknowledged';

export function injectState(view: InjectView): InjectState {
  if (view.states.acknowledged) return 'acknowledged';
  if (view.states.delivered) return 'delivered';
  return 'accepted';
}

/** A text in `lang` if given in it, else in the other language, with the language it is in (for `lang=`). */
export function textAndLang(texts: InjectTexts, lang: Lang): { text: string; lang: Lang } {
  const own = texts[lang];
  if (own !== undefined) return { text: own, lang };
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return { text: texts[other] ?? '', lang: other };
}

export class InjectBook {
  readonly injects = new Map<string, InjectView>();

  constructor(
    private readonly station: string,
    /** The clock of the same verifier, read for the exercise time at which each inject was fired. */
    private readonly clock?: ExerciseClock,
  ) {}

  /** Log order (the order they were fired in). */
  list(): InjectView[] {
    return [...this.injects.values()].sort((a, b) => a.idx - b.idx);
  }

  get(id: string): InjectView | undefined {
    return this.injects.get(id);
  }

  /** Applies a verified entry; returns the inject view it created or changed, if any. */
  apply(applied: Applied): InjectView | undefined {
    const { entry, item } = applied;
    if (entry.kind === 'inject') return this.#fired(entry);
    if (item?.payload.type !== 'receipt') return undefined;
    const r = item.payload;
    const view = this.injects.get(r.ref);
    // The verifier checked that ref and refHash name the same inject; a receipt of another station's inject
    // (whose id this console never learns) finds nothing here.
    if (!view || view.hash !== r.refHash || r.from !== this.station) return undefined;
    receiptLogged(view, r, entry.at);
    return view;
  }

  #fired(entry: Entry): InjectView | undefined {
    if (entry.to !== this.station || entry.reveal === undefined) return undefined;
    // Verified already (commitment and schema) by the ChainVerifier before it reached here.
    const data = injectData.parse(entry.reveal.data);
    const at = Date.parse(entry.at);
    const view: InjectView = {
      id: data.id,
      inject: data.inject,
      to: entry.to,
      from: data.from,
      precedence: data.precedence,
      body: data.body,
      idx: entry.idx,
      hash: entry.hash,
      exerciseMs: this.clock ? this.clock.exerciseMs(at) : null,
      states: { accepted: entry.at },
    };
    if (data.subject !== undefined) view.subject = data.subject;
    this.injects.set(view.id, view);
    return view;
  }

  /** Injects that no device of this station has receipted with `kind` yet. */
  awaiting(kind: 'delivered' | 'acknowledged'): InjectView[] {
    return this.list().filter((v) => !v.states[kind]);
  }
}
