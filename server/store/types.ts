// The store contract. SQLite is the embedded default; a PostgreSQL store must pass the same contract tests.
// The store is the authority on the chain (idx, prev, hash) and on per-key seq continuity, so several
// relays sharing one database still produce one linear chain.
import type { HotlineError } from '../../shared/errors.js';
import type { Entry, EntryKind, Reveal } from '../../shared/entry.js';
import type { KeyRole } from '../../shared/entry-data.js';
import type { KeyInfo } from '../../shared/http-api.js';
import type { ExerciseDef, ItemType } from '../../shared/items.js';

export interface ItemIndex {
  kid: string;
  seq: number;
  id: string;
  type: ItemType;
  payloadHash: string;
  from: string;
  to: string;
  /** The sender's claimed send time, checked against the entry's `at` (LIMITS.clockSkewSeconds). */
  sentAt: string;
}

export interface AppendRequest {
  exercise: string;
  kind: EntryKind;
  at: string;
  jws?: string;
  data?: Record<string, unknown>;
  /** For private entries (shared/private.ts): the audience station, the commitment and the content. */
  to?: string;
  commit?: string;
  reveal?: Reveal;
  /** For message and receipt entries: what dedupe and seq continuity are checked on. */
  item?: ItemIndex;
  /** For key-enrolled entries: the hash of the one-time code that authorises it, consumed atomically. */
  codeHash?: string;
  /** Append only if the exercise's last control entry is still this idx (-1: none), else STATE_CHANGED: an
   * exercise runner's command checked against a state another relay has since changed is checked again. */
  afterControl?: number;
}

export interface Committed {
  exercise: string;
  entry: Entry;
  /** The entry exactly as stored, serialized once and sent as is. */
  json: string;
  /** True when the item was already in the log (an idempotent resubmission). */
  duplicate: boolean;
}

export type AppendResult = { ok: true; value: Committed } | { ok: false; error: HotlineError };

export interface Head {
  idx: number;
  hash: string;
}

/** A console key as stored; the trainer API answers with this record (its role too). */
export type KeyRecord = KeyInfo & { role: KeyRole };

export interface ExerciseRecord {
  def: ExerciseDef;
  createdAt: string;
  head: Head;
}

export interface MessageRecord {
  idx: number;
  hash: string;
  from: string;
  to: string;
}

export interface EnrolmentCode {
  codeHash: string;
  exercise: string;
  station: string;
  issuedAt: string;
  expiresAt: string;
}

export interface EnrolmentCodeState {
  exercise: string;
  station: string;
  expiresAt: string;
  used: boolean;
}

/** What a relay is told of the commits other processes make to the store it shares with them. */
export interface LogWatcher {
  /** Another process committed to `exercise`, up to entry `head`; `control`: the commit holds control entries. */
  committed(exercise: string, head: number, control: boolean): void;
  /** Notifications may have been missed (the listening connection was lost and is back): read every head again. */
  resync(): void;
  /** What another relay told the others (presence-peers.ts), or this relay itself. */
  heard(text: string): void;
}

export interface WatchHandle {
  /** This relay among those sharing the store. */
  readonly instance: string;
  /** Listening now: false while the connection that listens is being re-established. */
  readonly live: boolean;
  /** Tells every relay that watches the store (this one too). */
  tell(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface Store {
  /** Appends in order, in one durable transaction; each request succeeds or fails on its own. */
  append(requests: AppendRequest[]): Promise<AppendResult[]>;
  /** Entries from idx `from` on, at most `limit`, as stored JSON. */
  read(exercise: string, from: number, limit: number): Promise<Committed[]>;
  head(exercise: string): Promise<Head | null>;
  /** Every entry of an exercise that is not a message or a receipt (lifecycle, scenario, injects, keys, and
   * the line's procedures: calls, translations, link tests and replies...), in idx order: what the exercise
   * runner rebuilds its state from without reading the whole log. */
  readControl(exercise: string): Promise<Committed[]>;
  getExercise(id: string): Promise<ExerciseRecord | undefined>;
  listExercises(): Promise<ExerciseRecord[]>;
  getKey(kid: string): Promise<KeyRecord | undefined>;
  listKeys(exercise: string): Promise<KeyRecord[]>;
  nextSeq(kid: string): Promise<number>;
  findMessage(exercise: string, id: string): Promise<MessageRecord | undefined>;
  /** findMessage without waiting, for a message this store holds in memory; undefined says "ask findMessage". */
  recentMessage?(exercise: string, id: string): MessageRecord | undefined;
  addEnrolmentCode(code: EnrolmentCode): Promise<void>;
  /** Where a code leads, used or not, and until when; the append checks use and expiry atomically, so these
   * are for a look-up that changes nothing (POST /v1/enrol/preview). */
  findEnrolmentCode(codeHash: string): Promise<EnrolmentCodeState | undefined>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Sets `key` only if it still holds `expected` (null: only if it is absent); true when it did. What several
   * relays starting at once on one database agree through (the relay key, a new trainer secret). */
  swapMeta(key: string, expected: string | null, value: string): Promise<boolean>;
  /** For a store several relays share: tells of the commits the others make (absent: only this process writes). */
  watch?(watcher: LogWatcher): Promise<WatchHandle>;
  /** Proves the store can still commit durably (used by /readyz). */
  probe(): Promise<void>;
  close(): Promise<void>;
}
