// Replays a log entry by entry and proves it: hash links, signatures against keys enrolled earlier in the
// same log, per-key seq continuity, receipts that refer to real messages. Consoles run it on every entry
// they receive; `hotline verify` and the replay player run it over whole exports.
import { HotlineError, type ErrorCode } from './errors.js';
import { GENESIS_PREV, hashEntry, isItemKind, type Entry } from './entry.js';
import { KeyCache, thumbprint } from './jws.js';
import { otherStation, type ExerciseDef, type Lang, type PublicJwk } from './items.js';
import { validate } from './protocol.js';
import { verifyItem, type SignedItem } from './signed.js';
import type { ReceiptPayload } from './items.js';
import { ExerciseClock } from './exercise-clock.js';
import { PRIVATE_KINDS, type Audience } from './private.js';
import { openPrivate } from './private-check.js';
import { exerciseStateData, proceduresData, type InjectData } from './run-entries.js';
import { exerciseCreatedData, keyEnrolledData, keyRevokedData, type KeyRole } from './entry-data.js';
import { LineBook } from './line-book.js';
import { withLineDefaults } from './line-entries.js';
import { followLineEntry, followLineItem, placeOf } from './line-check.js';

export interface KnownKey {
  kid: string;
  station: string;
  operator: string;
  jwk: PublicJwk;
  enrolledIdx: number;
  revokedIdx?: number;
  role: KeyRole;
}

export interface KnownMessage {
  idx: number;
  hash: string;
  /** The entry's `at`, ms since the epoch. */
  at: number;
  from: string;
  to: string;
  lang: Lang;
}

/** An inject in the log: its id is known only to readers of its content. */
export interface KnownInject {
  idx: number;
  hash: string;
  to: string;
  data?: InjectData;
}

export interface Applied {
  entry: Entry;
  item?: SignedItem;
}

export interface ChainOptions {
  /** Whose stream this is: a station's reveals only what is addressed to it; control's reveals everything. */
  audience?: Audience;
}

function fault(entry: Entry, code: ErrorCode, message: string): HotlineError {
  return new HotlineError(code, `entry ${entry.idx}: ${message}`, { idx: entry.idx });
}

export class ChainVerifier {
  readonly hashes: string[] = [];
  readonly keys = new Map<string, KnownKey>();
  readonly messages = new Map<string, KnownMessage>();
  readonly nextSeq = new Map<string, number>();
  readonly #ids = new Set<string>();
  exercise: ExerciseDef | undefined;
  relayKid: string | undefined;
  readonly #keyCache = new KeyCache();
  /** Injects by their entry hash, the one reference every reader can check. */
  readonly injects = new Map<string, KnownInject>();
  readonly clock = new ExerciseClock();
  /** Call requests, link tests and translations, by the one set of rules the relay also checks. */
  readonly line = new LineBook(this.clock);
  readonly audience: Audience;

  constructor(options: ChainOptions = {}) {
    this.audience = options.audience ?? 'control';
  }

  get length(): number {
    return this.hashes.length;
  }

  /** Verifies one entry in order; throws a HotlineError naming the fault and changes nothing on failure. */
  async apply(entry: Entry): Promise<Applied> {
    const expected = this.hashes.length;
    if (entry.idx > expected) {
      const missing =
        entry.idx - 1 === expected
          ? `entry ${expected} is missing`
          : `entries ${expected} to ${entry.idx - 1} are missing`;
      throw fault(entry, 'CHAIN_BROKEN', `${missing} (found entry ${entry.idx} where ${expected} was expected)`);
    }
    if (entry.idx !== expected)
      throw fault(entry, 'CHAIN_BROKEN', `idx ${entry.idx} where ${expected} was expected (repeated or out of order)`);
    const prev = expected === 0 ? GENESIS_PREV : this.hashes[expected - 1]!;
    if (entry.prev !== prev) throw fault(entry, 'CHAIN_BROKEN', 'prev is not the hash of the entry before it');
    const computed = await hashEntry(entry);
    if (computed !== entry.hash)
      throw fault(entry, 'CHAIN_BROKEN', `hash ${entry.hash} does not match its content (${computed})`);
    const item = await this.#checkKind(entry);
    this.hashes.push(entry.hash);
    return item ? { entry, item } : { entry };
  }

  async #checkKind(entry: Entry): Promise<SignedItem | undefined> {
    if ((entry.idx === 0) !== (entry.kind === 'exercise-created')) {
      throw fault(entry, 'SCHEMA_INVALID', 'exercise-created is entry 0 and only entry 0');
    }
    if (this.clock.phase === 'ended')
      throw fault(
        entry,
        'EXERCISE_ENDED',
        `follows ENDEX at entry ${this.clock.transitions.at(-1)!.idx}: the log was sealed`,
      );
    const hasJws = isItemKind(entry.kind);
    const reader = PRIVATE_KINDS[entry.kind];
    if (reader !== undefined) return this.#checkPrivate(entry, reader);
    if (entry.to !== undefined || entry.commit !== undefined || entry.reveal !== undefined)
      throw fault(entry, 'SCHEMA_INVALID', `a ${entry.kind} entry is public: no to, commit or reveal`);
    if (hasJws !== (entry.jws !== undefined) || hasJws === (entry.data !== undefined)) {
      throw fault(
        entry,
        'SCHEMA_INVALID',
        `a ${entry.kind} entry carries ${hasJws ? 'jws and no data' : 'data and no jws'}`,
      );
    }
    switch (entry.kind) {
      case 'exercise-created': {
        const data = validate(exerciseCreatedData, entry.data);
        this.exercise = data.exercise;
        this.relayKid = data.relayKid;
        return undefined;
      }
      case 'key-enrolled': {
        const data = validate(keyEnrolledData, entry.data);
        if ((await thumbprint(data.publicJwk)) !== data.kid)
          throw fault(entry, 'SCHEMA_INVALID', 'kid is not the thumbprint of the key');
        if (!this.exercise || otherStation(this.exercise, data.station) === undefined)
          throw fault(entry, 'WRONG_STATION', `no station ${data.station}`);
        if (this.keys.has(data.kid)) throw fault(entry, 'SCHEMA_INVALID', `key ${data.kid} enrolled twice`);
        this.keys.set(data.kid, {
          kid: data.kid,
          station: data.station,
          operator: data.operator,
          jwk: data.publicJwk,
          enrolledIdx: entry.idx,
          role: data.role ?? 'operator',
        });
        return undefined;
      }
      case 'key-revoked': {
        const data = validate(keyRevokedData, entry.data);
        const key = this.keys.get(data.kid);
        if (!key) throw fault(entry, 'UNKNOWN_KEY', `revokes unknown key ${data.kid}`);
        key.revokedIdx ??= entry.idx;
        return undefined;
      }
      case 'message':
      case 'receipt':
      case 'call':
      case 'translation':
      case 'link-reply':
        return this.#checkItem(entry, entry.jws!);
      case 'link-test':
      case 'link-missed':
      case 'call-expired':
        followLineEntry(this.line, this.exercise, entry);
        return undefined;
      case 'exercise-state': {
        const data = validate(exerciseStateData, entry.data);
        if (data.compression !== undefined && data.state !== 'running')
          throw fault(entry, 'SCHEMA_INVALID', 'only a running state sets a compression');
        const ok = this.clock.apply({
          at: Date.parse(entry.at),
          idx: entry.idx,
          state: data.state,
          compression: data.compression ?? this.clock.compression,
          by: data.by,
        });
        if (!ok)
          throw fault(entry, 'SCHEMA_INVALID', `the exercise cannot go from ${this.clock.phase} to ${data.state}`);
        return undefined;
      }
      case 'procedures': {
        const data = validate(proceduresData, entry.data);
        // The deadlines are the exercise's rules of play: fixed before STARTEX, so that every deadline judged
        // during the run is judged against one table.
        if (this.clock.transitions.length > 0)
          throw fault(
            entry,
            'SCHEMA_INVALID',
            `procedures follow the exercise's start at entry ${this.clock.transitions[0]!.idx}`,
          );
        this.clock.deadlines = data.ackDeadlinesMs;
        this.line.settings = withLineDefaults(data.line);
        return undefined;
      }
      // Relay alarms change no verification state: their hash in the chain is all there is to check. The
      // private kinds were checked by #checkPrivate before this switch.
      case 'alarm':
      case 'inject-control':
      case 'inject':
      case 'note':
      case 'scenario':
        return undefined;
    }
  }

  /** A private entry: the commitment always; the content when this reader may see it (private-check.ts). */
  async #checkPrivate(entry: Entry, reader: 'station' | 'control'): Promise<undefined> {
    const opened = await openPrivate(entry, reader, this.audience, this.exercise);
    if (opened === undefined) {
      if (entry.kind === 'inject') this.injects.set(entry.hash, { idx: entry.idx, hash: entry.hash, to: entry.to! });
      return undefined;
    }
    if (opened.kind === 'inject') {
      const data = opened.data;
      if (this.#ids.has(data.id)) throw fault(entry, 'ID_CONFLICT', `id ${data.id} used twice`);
      this.#ids.add(data.id);
      this.injects.set(entry.hash, { idx: entry.idx, hash: entry.hash, to: entry.to!, data });
    }
    return undefined;
  }

  async #checkItem(entry: Entry, jws: string): Promise<SignedItem> {
    let keyInfo: KnownKey | undefined;
    const item = await verifyItem(jws, (kid) => {
      keyInfo = this.keys.get(kid);
      return keyInfo && this.#keyCache.get(kid, keyInfo.jwk);
    }).catch((err: unknown) => {
      if (err instanceof HotlineError)
        throw new HotlineError(err.code, `entry ${entry.idx}: ${err.message}`, { idx: entry.idx });
      throw err;
    });
    const key = keyInfo!;
    const p = item.payload;
    if (entry.kind !== p.type) throw fault(entry, 'SCHEMA_INVALID', `a ${entry.kind} entry holds a ${p.type}`);
    if (key.revokedIdx !== undefined)
      throw fault(entry, 'KEY_REVOKED', `key ${key.kid} was revoked at entry ${key.revokedIdx}`);
    if (p.exercise !== this.exercise?.id) throw fault(entry, 'WRONG_EXERCISE', `names exercise ${p.exercise}`);
    if (p.from !== key.station) throw fault(entry, 'WRONG_STATION', `from ${p.from} signed by a key of ${key.station}`);
    if (p.to !== otherStation(this.exercise, p.from)) throw fault(entry, 'WRONG_RECIPIENT', `to ${p.to}`);
    if (this.#ids.has(p.id)) throw fault(entry, 'ID_CONFLICT', `id ${p.id} used twice`);
    const want = this.nextSeq.get(key.kid) ?? 0;
    if (p.seq !== want) throw fault(entry, 'SEQ_GAP', `seq ${p.seq} of key ${key.kid} where ${want} was expected`);
    if (key.role === 'translator' && p.type !== 'translation' && p.type !== 'link-reply')
      throw fault(entry, 'WRONG_ROLE', `a ${p.type} signed by translator key ${key.kid}`);
    switch (p.type) {
      case 'receipt':
        this.#checkReceipt(entry, p);
        break;
      case 'message':
        this.messages.set(p.id, { ...placeOf(entry), from: p.from, to: p.to, lang: p.lang });
        break;
      case 'call':
      case 'translation':
      case 'link-reply':
        followLineItem(this.line, this.exercise, entry, p, key.kid, (id) => this.messages.get(id));
        break;
    }
    this.#ids.add(p.id);
    this.nextSeq.set(key.kid, want + 1);
    return item;
  }

  #checkReceipt(entry: Entry, p: ReceiptPayload): void {
    const ref = this.messages.get(p.ref);
    const inject = ref ? undefined : this.injects.get(p.refHash);
    if (inject) {
      // A receipt of an inject: every reader can match refHash to the inject's entry; only its readers
      // know the inject's id, and they check it.
      if (inject.to !== p.from || (inject.data !== undefined && inject.data.id !== p.ref))
        throw fault(entry, 'UNKNOWN_REF', `receipt refers to no inject ${p.ref} addressed to ${p.from}`);
    } else {
      if (!ref || ref.to !== p.from) throw fault(entry, 'UNKNOWN_REF', `receipt refers to unknown message ${p.ref}`);
      if (ref.hash !== p.refHash) throw fault(entry, 'REF_HASH_MISMATCH', `refHash does not match entry ${ref.idx}`);
    }
  }
}
