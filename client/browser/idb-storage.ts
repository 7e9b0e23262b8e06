// A browser console's state in IndexedDB. The private key is stored as a non-extractable CryptoKey
// (structured clone keeps it usable but never readable), so it cannot leave this browser profile.
import type { ClientStorage, SavedState } from '../storage.js';

const STORE = 'consoles';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
  };
  return request(req);
}

export class IdbStorage implements ClientStorage {
  #db: Promise<IDBDatabase>;

  /** `slot` names one enrolled console; a browser may hold several (one per exercise and station). */
  constructor(
    readonly slot: string,
    dbName = 'hotline',
  ) {
    this.#db = openDb(dbName);
  }

  async load(): Promise<SavedState | undefined> {
    const db = await this.#db;
    return (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(this.slot))) as
      SavedState | undefined;
  }

  async save(state: SavedState): Promise<void> {
    const db = await this.#db;
    // 'strict' durability: the write is flushed before the transaction completes, as the outbox needs.
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put(state, this.slot);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
  }

  async remove(): Promise<void> {
    const db = await this.#db;
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(this.slot));
  }

  /** Slots of every console enrolled in this browser profile. */
  static async slots(dbName = 'hotline'): Promise<string[]> {
    const db = await openDb(dbName);
    return (await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAllKeys())) as string[];
  }
}
