// Links appended entries into each exercise's hash chain and enforces per-key seq continuity, dedupe,
// revocation order and one-time codes. This is the one place that orders a batch, so it is where a
// key-revoked entry is made final: no item of that key may follow it in the log, whatever the verifier
// saw when it checked the item (the revocation may have been queued behind it). Stores supply the lookups
// and the writes; every check happens before any write, so a refused request leaves nothing behind and the
// rest of its batch goes on.
import { createHash } from 'node:crypto';
import { HotlineError } from '../../shared/errors.js';
import { GENESIS_PREV, directHashText, entryHashText, type Entry, type EntryBody } from '../../shared/entry.js';
import { LIMITS } from '../../shared/items.js';
import type { AppendRequest, AppendResult, Head } from './types.js';

export interface LinkerLookups {
  /** The exercise's head; idx -1 for an exercise with no entry; null when it does not exist. */
  head(exercise: string): Head | null;
  lastSeq(kid: string): number;
  itemBySeq(kid: string, seq: number): { payloadHash: string; json: string } | undefined;
  idTaken(exercise: string, id: string): boolean;
  code(codeHash: string): Record<string, unknown> | undefined;
  keyExists(kid: string): boolean;
  /** True once a key-revoked entry for the key is committed. */
  keyRevoked(kid: string): boolean;
  exerciseExists(id: string): boolean;
  /** True once the exercise's `ended` entry is committed: nothing may follow it. */
  exerciseEnded(id: string): boolean;
  /** The idx of the exercise's last control entry (anything but a message or a receipt); -1 before any. */
  lastControl(exercise: string): number;
}

/** Whether an entry of this kind is a control entry: what the exercise runner's state follows. */
export function isControl(kind: AppendRequest['kind']): boolean {
  return kind !== 'message' && kind !== 'receipt';
}

/** Whether a request is ENDEX: the exercise-state entry that seals the log. */
export function isEndex(req: Pick<AppendRequest, 'kind' | 'data'>): boolean {
  return req.kind === 'exercise-state' && (req.data as { state?: unknown } | undefined)?.state === 'ended';
}

export type EntryWriter = (body: EntryBody, entry: Entry, json: string) => void;

const MAX_SKEW_MS = LIMITS.clockSkewSeconds * 1000;

/**
 * A new item's sentAt must be within the skew of the relay's time for its entry. Checked here, after the
 * duplicate and seq checks, so that (1) a resubmission of an item already in the log is answered as the
 * duplicate it is however long its answer was lost, and (2) a CLOCK_SKEW refusal proves that the item's
 * seq is the key's next one: the console may sign it again with a fresh sentAt at the same seq.
 */
function checkSentAt(sentAt: string, at: string): void {
  const skew = Date.parse(sentAt) - Date.parse(at);
  if (Math.abs(skew) <= MAX_SKEW_MS) return;
  const off = `${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'behind' : 'ahead of'}`;
  throw new HotlineError(
    'CLOCK_SKEW',
    `sentAt ${sentAt} is ${off} the relay's clock (${at}); the limit is ${LIMITS.clockSkewSeconds} s.`,
  );
}

/** SHA-256 of a hashed text, base64url: an entry's hash. */
function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

export function hashBody(body: EntryBody): string {
  return sha256(entryHashText(body));
}

/**
 * The entry and the text that is stored and sent. A message's or receipt's entry is serialised once: its
 * stored text is the hashed text with the hash added, and the entry object has the same key order, so
 * `JSON.stringify(entry)` is that text too (the JWS, most of the bytes, is escaped once, not twice).
 */
function entryText(body: EntryBody, reveal: Entry['reveal']): { entry: Entry; json: string } {
  const direct = body.to === undefined && reveal === undefined ? directHashText(body) : undefined;
  if (direct === undefined) {
    const entry: Entry = { ...body, hash: hashBody(body) };
    if (reveal !== undefined) entry.reveal = reveal;
    return { entry, json: JSON.stringify(entry) };
  }
  const hash = sha256(direct);
  const entry = { at: body.at, idx: body.idx, ...(body.jws === undefined ? {} : { jws: body.jws }), kind: body.kind };
  return { entry: { ...entry, prev: body.prev, hash }, json: `${direct.slice(0, -1)},"hash":"${hash}"}` };
}

class Batch {
  readonly #heads = new Map<string, Head>();
  readonly #nextSeq = new Map<string, number>();
  readonly #items = new Map<string, { payloadHash: string; json: string }>();
  readonly #ids = new Set<string>();
  readonly #codes = new Set<string>();
  readonly #kids = new Set<string>();
  readonly #revoked = new Set<string>();
  readonly #ended = new Set<string>();
  readonly #control = new Map<string, number>();

  constructor(private readonly look: LinkerLookups) {}

  link(req: AppendRequest, write: EntryWriter): AppendResult {
    try {
      return this.#link(req, write);
    } catch (err) {
      if (err instanceof HotlineError) return { ok: false, error: err };
      throw err;
    }
  }

  #link(req: AppendRequest, write: EntryWriter): AppendResult {
    let head: Head | null;
    if (req.kind === 'exercise-created') {
      if (this.#heads.has(req.exercise) || this.look.exerciseExists(req.exercise))
        throw new HotlineError('EXERCISE_EXISTS');
      head = { idx: -1, hash: GENESIS_PREV };
    } else {
      head = this.#heads.get(req.exercise) ?? this.look.head(req.exercise);
      if (!head) throw new HotlineError('NOT_FOUND', `No exercise ${req.exercise}.`);
    }
    // Checked here, where the batch is ordered, not only when the item was verified: an item queued behind
    // ENDEX must not follow it into the log. A resubmission of an item already logged is still answered.
    const ended = this.#ended.has(req.exercise) || this.look.exerciseEnded(req.exercise);
    const i = req.item;
    if (i) {
      const next = this.#nextSeq.get(i.kid) ?? this.look.lastSeq(i.kid) + 1;
      if (i.seq < next) {
        const seen = this.#items.get(`${i.kid}:${i.seq}`) ?? this.look.itemBySeq(i.kid, i.seq);
        if (seen && seen.payloadHash === i.payloadHash) {
          return {
            ok: true,
            value: { exercise: req.exercise, entry: JSON.parse(seen.json) as Entry, json: seen.json, duplicate: true },
          };
        }
      }
      if (ended) throw new HotlineError('EXERCISE_ENDED');
      // Only a resubmission of an item already in the log (answered above) gets past a revocation.
      if (this.#revoked.has(i.kid) || this.look.keyRevoked(i.kid)) throw new HotlineError('KEY_REVOKED');
      if (i.seq < next) {
        throw new HotlineError('SEQ_CONFLICT', `Key ${i.kid} already used seq ${i.seq} for a different item.`, {
          expectedSeq: next,
        });
      }
      if (i.seq > next) throw new HotlineError('SEQ_GAP', `Expected seq ${next}, got ${i.seq}.`, { expectedSeq: next });
      if (this.#ids.has(`${req.exercise}:${i.id}`) || this.look.idTaken(req.exercise, i.id)) {
        throw new HotlineError('ID_CONFLICT', `Id ${i.id} is already in the log.`);
      }
      checkSentAt(i.sentAt, req.at);
    }
    if (ended) throw new HotlineError('EXERCISE_ENDED');
    if (req.afterControl !== undefined) {
      const last = this.#control.get(req.exercise) ?? this.look.lastControl(req.exercise);
      if (last !== req.afterControl)
        throw new HotlineError(
          'STATE_CHANGED',
          `Exercise ${req.exercise} changed since this command was checked (control entry ${last}, not ${req.afterControl}).`,
        );
    }
    if (req.codeHash !== undefined) this.#checkCode(req);
    if (req.kind === 'key-enrolled') {
      const kid = (req.data as { kid: string }).kid;
      if (this.#kids.has(kid) || this.look.keyExists(kid)) throw new HotlineError('KEY_ALREADY_ENROLLED');
    }
    if (req.codeHash !== undefined) this.#codes.add(req.codeHash);
    if (req.kind === 'key-enrolled') this.#kids.add((req.data as { kid: string }).kid);
    if (req.kind === 'key-revoked') this.#revoked.add((req.data as { kid: string }).kid);
    if (isEndex(req)) this.#ended.add(req.exercise);
    const body: EntryBody = { idx: head.idx + 1, prev: head.hash, at: req.at, kind: req.kind };
    if (req.jws !== undefined) body.jws = req.jws;
    if (req.data !== undefined) body.data = req.data;
    if (req.to !== undefined) body.to = req.to;
    if (req.commit !== undefined) body.commit = req.commit;
    const { entry, json } = entryText(body, req.reveal);
    write(body, entry, json);
    this.#heads.set(req.exercise, { idx: entry.idx, hash: entry.hash });
    if (isControl(req.kind)) this.#control.set(req.exercise, entry.idx);
    if (i) {
      this.#nextSeq.set(i.kid, i.seq + 1);
      this.#items.set(`${i.kid}:${i.seq}`, { payloadHash: i.payloadHash, json });
      this.#ids.add(`${req.exercise}:${i.id}`);
    }
    return { ok: true, value: { exercise: req.exercise, entry, json, duplicate: false } };
  }

  #checkCode(req: AppendRequest): void {
    const hash = req.codeHash!;
    const row = this.look.code(hash);
    if (!row || row['exercise'] !== req.exercise) throw new HotlineError('ENROLMENT_CODE_INVALID');
    if ((row['used_at'] ?? null) !== null || this.#codes.has(hash)) throw new HotlineError('ENROLMENT_CODE_USED');
    if ((row['expires_at'] as string) <= req.at) throw new HotlineError('ENROLMENT_CODE_EXPIRED');
    if (row['station'] !== (req.data as { station?: unknown } | undefined)?.station)
      throw new HotlineError('ENROLMENT_CODE_INVALID');
  }
}

export class ChainLinker {
  constructor(private readonly look: LinkerLookups) {}

  begin(): Batch {
    return new Batch(this.look);
  }
}
