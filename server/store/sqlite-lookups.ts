// What the chain linker reads from the embedded store (LinkerLookups), and what the writing connection
// remembers between its batches so that a commit reads as little as it writes: each exercise's head and each
// key's last seq, both changed only by commits. The relay's two connections of one file both commit (the
// writer thread, and the main thread for a lone item after a quiet spell: threaded-sqlite.ts), so what one
// remembers holds only while the other has committed nothing: PRAGMA data_version says when it has.
import { GENESIS_PREV } from '../../shared/entry.js';
import type { LinkerLookups } from './chain-linker.js';
import type { Row } from './sqlite-rows.js';
import type { Statements } from './sqlite-statements.js';
import type { AppendRequest, Head } from './types.js';

/** Past this many remembered keys or exercises, the memory starts again (it is a cache, never the truth). */
const MAX_REMEMBERED = 4096;

export class CommitMemory {
  #version: unknown = undefined;
  readonly heads = new Map<string, Head>();
  readonly seqs = new Map<string, number>();

  constructor(private readonly s: Statements) {}

  /** At the start of a batch, inside its transaction: forgets everything if another connection committed. */
  validate(): void {
    const version = this.s.dataVersion.get();
    if (version !== this.#version) this.forget();
    this.#version = version;
  }

  /** After a batch committed: its heads and last seqs. */
  remember(heads: Map<string, Head>, seqs: Map<string, number>): void {
    if (this.heads.size + heads.size > MAX_REMEMBERED) this.heads.clear();
    if (this.seqs.size + seqs.size > MAX_REMEMBERED) this.seqs.clear();
    for (const [exercise, head] of heads) this.heads.set(exercise, head);
    for (const [kid, seq] of seqs) this.seqs.set(kid, seq);
  }

  /** After a batch rolled back, or when another connection committed. */
  forget(): void {
    this.#version = undefined;
    this.heads.clear();
    this.seqs.clear();
  }
}

/** The head of an exercise as the file has it: its last entry (GENESIS_PREV before any); null when it does
 * not exist. */
export function readHead(s: Statements, exercise: string): Head | null {
  const last = s.head.get(exercise) as Row | undefined;
  if (last) return { idx: last['idx'] as number, hash: last['hash'] as string };
  return s.exercise.get(exercise) === undefined ? null : { idx: -1, hash: GENESIS_PREV };
}

export function readLastSeq(s: Statements, kid: string): number {
  return ((s.lastSeq.get(kid) as Row | undefined)?.['last_seq'] as number | undefined) ?? -1;
}

/** The lookups of one connection. `current` is the request being linked: see itemBySeq. `ended` answers
 * exerciseEnded (sqlite.ts keeps it). */
export function sqliteLookups(
  s: Statements,
  memory: CommitMemory,
  current: () => AppendRequest | undefined,
  ended: (exercise: string) => boolean,
): LinkerLookups {
  return {
    head: (exercise) => memory.heads.get(exercise) ?? readHead(s, exercise),
    lastSeq: (kid) => memory.seqs.get(kid) ?? readLastSeq(s, kid),
    // The linker asks for the logged item at the seq of the item it links, only when that seq is taken, to
    // tell a resubmission (same payload hash) from a conflict. The payload carries the item's id and seq, so
    // a resubmission is the logged item with the linked item's id, the same key and seq: found through
    // entries_by_item, with no (kid, seq) index to write per commit. A different item at that seq answers
    // undefined, which the linker refuses as SEQ_CONFLICT exactly as it would a different payload hash.
    itemBySeq: (kid, seq) => {
      const req = current();
      const i = req?.item;
      if (!req || !i || i.kid !== kid || i.seq !== seq) return undefined;
      const row = s.itemById.get(req.exercise, i.id) as Row | undefined;
      if (!row || row['kid'] !== kid || row['seq'] !== seq) return undefined;
      return { payloadHash: row['payload_hash'] as string, json: row['body'] as string };
    },
    idTaken: (exercise, id) => s.idTaken.get(exercise, id) !== undefined,
    code: (hash) => s.code.get(hash) as Row | undefined,
    keyExists: (kid) => s.key.get(kid) !== undefined,
    keyRevoked: (kid) => s.keyRevoked.get(kid) !== undefined,
    exerciseExists: (id) => s.exercise.get(id) !== undefined,
    exerciseEnded: ended,
    lastControl: (exercise) => ((s.lastControl.get(exercise) as Row | undefined)?.['idx'] as number | null) ?? -1,
  };
}
