// A Node console's state in one JSON file (mode 0600): written to a temporary file, fsynced, then renamed
// over the old one, so a crash leaves either the old state or the new one, never half of each. One process
// at a time: `lock()` before opening a console on it.
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import { ALG } from '../../shared/jws.js';
import type { Identity } from '../identity.js';
import type { ClientStorage, SavedState } from '../storage.js';
import { lockStateFile, type StateLock } from './state-lock.js';

type OnDisk = Omit<SavedState, 'identity'> & { identity: Omit<Identity, 'privateKey'> & { privateJwk: JWK } };

export class FileStorage implements ClientStorage {
  #privateJwk: JWK | undefined;

  constructor(readonly file: string) {}

  /** Takes the file for this process alone (CONSOLE_IN_USE when another live process holds it). */
  lock(): StateLock {
    return lockStateFile(this.file);
  }

  async load(): Promise<SavedState | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const disk = JSON.parse(text) as OnDisk;
    const { privateJwk, ...rest } = disk.identity;
    this.#privateJwk = privateJwk;
    const privateKey = (await importJWK(privateJwk, ALG)) as CryptoKey;
    return { ...disk, identity: { ...rest, privateKey } };
  }

  async save(state: SavedState): Promise<void> {
    this.#privateJwk ??= await exportJWK(state.identity.privateKey);
    const { privateKey: _key, ...identity } = state.identity;
    const disk: OnDisk = { ...state, identity: { ...identity, privateJwk: this.#privateJwk } };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(disk));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
  }
}
