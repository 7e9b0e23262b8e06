// Where enrolled consoles live in this browser: one IndexedDB slot per console, named
// `${exercise}:${station}:${kid}`, and the active slot remembered in localStorage.
import { IdbStorage } from '../../../client/browser/idb-storage.js';
import type { ClientStorage, SavedState } from '../../../client/storage.js';
import type { Identity } from '../../../client/identity.js';
import type { Lang } from '../../../shared/items.js';

const ACTIVE = 'hotline.console.active';

export function slotFor(identity: Pick<Identity, 'exercise' | 'station' | 'kid'>): string {
  return `${identity.exercise.id}:${identity.station}:${identity.kid}`;
}

export function activeSlot(): string | undefined {
  return read(ACTIVE);
}

export function setActiveSlot(slot: string | undefined): void {
  try {
    if (slot === undefined) localStorage.removeItem(ACTIVE);
    else localStorage.setItem(ACTIVE, slot);
  } catch {
    // Storage disabled: the console still works for this page load.
  }
}

export async function enrolledSlots(): Promise<string[]> {
  try {
    return await IdbStorage.slots();
  } catch {
    return [];
  }
}

/**
 * ClientStorage whose IndexedDB slot is named after the identity it stores. Enrolment needs storage before
 * the key (and so the kid) exists; the slot is fixed by the first save, which carries the new identity.
 */
export class SlotStorage implements ClientStorage {
  #idb: IdbStorage | undefined;

  constructor(slot?: string) {
    if (slot !== undefined) this.#idb = new IdbStorage(slot);
  }

  get slot(): string | undefined {
    return this.#idb?.slot;
  }

  async load(): Promise<SavedState | undefined> {
    return this.#idb?.load();
  }

  async save(state: SavedState): Promise<void> {
    this.#idb ??= new IdbStorage(slotFor(state.identity));
    await this.#idb.save(state);
  }
}

function read(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: not kept, the default applies next time.
  }
}

/** Operator preferences kept in localStorage: language per console (or for enrolment), alarm sound, and the
 * link-test alarms the operator cleared. */
export const prefs = {
  lang(slot?: string): Lang | undefined {
    const v = read(slot === undefined ? 'hotline.console.lang' : `hotline.console.lang:${slot}`);
    return v === 'zh' || v === 'en' ? v : undefined;
  },
  setLang(slot: string | undefined, lang: Lang): void {
    write(slot === undefined ? 'hotline.console.lang' : `hotline.console.lang:${slot}`, lang);
  },
  sound(): boolean {
    return read('hotline.console.sound') !== 'off';
  },
  setSound(on: boolean): void {
    write('hotline.console.sound', on ? 'on' : 'off');
  },
  /** Per console: for each station, the log index of the last missed link test whose alarm was cleared. */
  linkCleared(slot: string): Record<string, number> {
    try {
      const parsed: unknown = JSON.parse(read(`hotline.console.link-cleared:${slot}`) ?? '{}');
      return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  },
  setLinkCleared(slot: string, cleared: Record<string, number>): void {
    write(`hotline.console.link-cleared:${slot}`, JSON.stringify(cleared));
  },
};
