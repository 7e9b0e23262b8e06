// What a console keeps between runs: identity, its seq counter, the outbox of unaccepted items and the
// newest relay checkpoint it saw. Pluggable: a file in Node, IndexedDB in the browser, memory in tests.
import type { ItemPayload } from '../shared/items.js';
import type { Identity } from './identity.js';

export interface OutboxItem {
  id: string;
  seq: number;
  /** Any signed item: a message, a receipt, a call request or answer, a translation, a link reply. */
  payload: ItemPayload;
  jws: string;
  queuedAt: string;
}

export interface SavedState {
  identity: Identity;
  nextSeq: number;
  outbox: OutboxItem[];
  checkpoint: string | null;
}

export interface ClientStorage {
  load(): Promise<SavedState | undefined>;
  /** Must be durable when it resolves: a queued item survives a crash from then on. */
  save(state: SavedState): Promise<void>;
}

export class MemoryStorage implements ClientStorage {
  #state: SavedState | undefined;

  constructor(state?: SavedState) {
    this.#state = state && structuredClone(state);
  }

  async load(): Promise<SavedState | undefined> {
    return this.#state && { ...this.#state, outbox: this.#state.outbox.map((i) => ({ ...i })) };
  }

  async save(state: SavedState): Promise<void> {
    this.#state = { ...state, outbox: state.outbox.map((i) => ({ ...i })) };
  }
}
