// What a console received of an inject addressed to the other station: the entry without its content (the
// commitment only), and the other station's receipts for it, which are ordinary public entries. So the
// replay shows on Washington's console that a private entry for Beijing passed and when Beijing answered
// it, exactly as Washington's stream carried it, and never a word of what it said.
import type { LogRecord } from '../../../shared/replay-events.js';

export interface PrivatePassage {
  idx: number;
  hash: string;
  /** When the relay logged it. */
  at: string;
  /** The station it was addressed to. */
  to: string;
  commit: string;
  /** The addressee's receipts, as the other console saw them pass. */
  states: { delivered?: string; acknowledged?: string };
}

export class PrivatePassages {
  readonly #byHash = new Map<string, PrivatePassage>();

  /** Applies one entry in log order. */
  apply(record: LogRecord): void {
    const { entry, item } = record;
    if (entry.kind === 'inject') {
      this.#byHash.set(entry.hash, {
        idx: entry.idx,
        hash: entry.hash,
        at: entry.at,
        to: entry.to ?? '',
        commit: entry.commit ?? '',
        states: {},
      });
      return;
    }
    const p = item?.payload;
    if (p?.type !== 'receipt') return;
    // refHash is what every reader can match: the inject's id is known only to its addressee.
    const passage = this.#byHash.get(p.refHash);
    if (!passage || passage.to !== p.from) return;
    passage.states.delivered ??= entry.at;
    if (p.kind === 'acknowledged') passage.states.acknowledged ??= entry.at;
  }

  /** The injects addressed to stations other than `station`, as copies, in log order. */
  seenBy(station: string): PrivatePassage[] {
    return [...this.#byHash.values()].filter((p) => p.to !== station).map((p) => ({ ...p, states: { ...p.states } }));
  }
}
