// Holds the newest relay checkpoint this console has seen and uses it to catch a relay that rolled its
// log back or rewrote it: a log that lacks, or differs at, an entry a held checkpoint covers is an alarm.
import { importJWK, type CryptoKey } from 'jose';
import type { ErrorCode } from '../shared/errors.js';
import type { Entry } from '../shared/entry.js';
import { ALG } from '../shared/jws.js';
import type { PublicJwk } from '../shared/items.js';
import { verifyCheckpoint } from '../shared/signed.js';

export type AlarmSink = (code: ErrorCode, message: string, idx?: number) => void;

export class CheckpointGuard {
  #held: { idx: number; hash: string } | undefined;
  readonly #relayKey: Promise<CryptoKey>;

  constructor(
    relayJwk: PublicJwk,
    private readonly exercise: string,
    /** Hashes of the entries verified so far, by idx. */
    private readonly hashes: readonly string[],
    private readonly hold: (jws: string) => Promise<void>,
    private readonly alarm: AlarmSink,
  ) {
    this.#relayKey = importJWK(relayJwk, ALG) as Promise<CryptoKey>;
  }

  /** The checkpoint kept from an earlier run; it was verified when it was first held. */
  async restore(jws: string | null): Promise<void> {
    if (!jws) return;
    const cp = await verifyCheckpoint(jws, await this.#relayKey);
    this.#held = { idx: cp.idx, hash: cp.hash };
  }

  /** The relay's head on (re)connecting must not be behind what it already signed for. */
  welcome(headIdx: number): void {
    if (this.#held && headIdx < this.#held.idx) {
      this.alarm(
        'TRUNCATED',
        `The relay's log ends at entry ${headIdx}, but this console holds a checkpoint for entry ${this.#held.idx}.`,
      );
    }
  }

  entry(entry: Entry): void {
    if (this.#held && this.#held.idx === entry.idx && this.#held.hash !== entry.hash) {
      this.alarm(
        'TRUNCATED',
        `Entry ${entry.idx} differs from the one a held checkpoint covers: the log was rewritten.`,
        entry.idx,
      );
    }
  }

  /** Verifies a checkpoint from the relay and keeps it when it is the newest. */
  async offer(jws: string): Promise<void> {
    let cp;
    try {
      cp = await verifyCheckpoint(jws, await this.#relayKey);
    } catch (err) {
      this.alarm('BAD_CHECKPOINT', (err as Error).message);
      return;
    }
    if (cp.exercise !== this.exercise)
      return this.alarm('BAD_CHECKPOINT', `A checkpoint names exercise ${cp.exercise}.`);
    const have = this.hashes[cp.idx];
    if (have !== undefined && have !== cp.hash) {
      return this.alarm(
        'TRUNCATED',
        `The relay's checkpoint for entry ${cp.idx} disagrees with the verified log.`,
        cp.idx,
      );
    }
    if (this.#held && cp.idx <= this.#held.idx) return;
    this.#held = { idx: cp.idx, hash: cp.hash };
    try {
      await this.hold(jws);
    } catch (err) {
      // Kept in memory and offered again by the next checkpoint; the operator must know it is not on disk.
      this.alarm('INTERNAL', `The console could not save the relay's checkpoint: ${(err as Error).message}`);
    }
  }
}
