// Who may say what: a hello proves possession of an enrolled, unrevoked key for the challenge of this
// connection; a submit is checked against the connection that sends it. Every check that needs no log
// position is here, and the line's procedures against their committed state (line-admission.ts); the
// store checks seq, ids, sentAt and revocation order at commit (chain-linker.ts).
// Keys and exercise definitions are cached: they are read on every item, and only a revocation changes them
// (see revoked()); the KEY_REVOKED check here is an early answer, the linker's is the one that orders.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { HotlineError } from '../shared/errors.js';
import { KeyCache } from '../shared/jws.js';
import { LIMITS, otherStation, type ExerciseDef, type ItemPayload, type ReceiptPayload } from '../shared/items.js';
import { verifyHello, verifyItem, type InspectedItem, type ItemCrypto } from '../shared/signed.js';
import { LineAdmission, type LineLookup, type Release } from './line-admission.js';
import { PendingAnswers } from './line-pending.js';
import { checkCompact, NODE_CRYPTO, payloadHash } from './node-crypto.js';
import type { AppendRequest, KeyRecord, Store } from './store/types.js';

/** Who a connection authenticated as. */
export interface Identity {
  readonly exercise: string;
  readonly station: string;
  readonly kid: string;
}

/** Where the injects fired in an exercise are known (exercise-runner.ts): an operator's receipt may refer to one. */
export interface InjectLookup {
  findInject(exercise: string, id: string): { idx: number; hash: string; to: string } | undefined;
}

export interface VerifierDeps {
  store: Store;
  now: () => number;
  injects?: InjectLookup;
  /** Each exercise's line: call requests, link tests, translations (line-admission.ts). */
  lines?: LineLookup;
  /** Answers in flight, shared with the relay's own expiries and misses (line-scheduler.ts). */
  pending?: PendingAnswers;
  /** Signature checks of submitted items: node:crypto on the main thread unless a pool is given (verify-pool.ts). */
  crypto?: ItemCrypto;
}

export class Verifier {
  readonly #keys = new Map<string, KeyRecord>();
  readonly #keyCache = new KeyCache();
  /** The same keys for node:crypto, made from the JWK without a wait (submissionNow). */
  readonly #keyObjects = new Map<string, KeyObject>();
  readonly #exercises = new Map<string, ExerciseDef>();
  readonly #line: LineAdmission;
  /** The pending marks of admitted line items, released when their admission settles. */
  readonly #releases = new WeakMap<AppendRequest, Release>();

  constructor(private readonly deps: VerifierDeps) {
    const pending = deps.pending ?? new PendingAnswers(deps.now);
    this.#line = new LineAdmission({ store: deps.store, pending, ...(deps.lines ? { lines: deps.lines } : {}) });
  }

  /** A submission's admission settled (committed or refused): its pending mark, if any, goes. */
  settled(req: AppendRequest): void {
    this.#releases.get(req)?.();
    this.#releases.delete(req);
  }

  async exercise(id: string): Promise<ExerciseDef> {
    let def = this.#exercises.get(id);
    if (!def) {
      def = (await this.deps.store.getExercise(id))?.def;
      if (!def) throw new HotlineError('NOT_FOUND', `No exercise ${id}.`);
      this.#exercises.set(id, def);
    }
    return def;
  }

  /** A key enrolled earlier was revoked at `idx`: items checked from now on see it. */
  revoked(kid: string, idx: number): void {
    const rec = this.#keys.get(kid);
    if (rec) rec.revokedIdx = idx;
  }

  async #key(kid: string): Promise<KeyRecord | undefined> {
    let rec = this.#keys.get(kid);
    if (!rec) {
      rec = await this.deps.store.getKey(kid);
      if (rec) this.#keys.set(kid, rec);
    }
    return rec;
  }

  /** Checks a hello JWS against the challenge `nonce` of the connection that received it. */
  async authenticate(jws: string, nonce: string): Promise<Identity> {
    let rec: KeyRecord | undefined;
    const { kid, payload } = await verifyHello(jws, async (k) => {
      rec = await this.#key(k);
      return rec && this.#keyCache.get(k, rec.publicJwk);
    });
    const key = rec!;
    if (key.revokedIdx !== null) throw new HotlineError('KEY_REVOKED');
    if (payload.nonce !== nonce)
      throw new HotlineError('HELLO_INVALID', "The hello does not answer this connection's challenge.");
    if (Math.abs(payload.iat - this.deps.now() / 1000) > LIMITS.clockSkewSeconds)
      throw new HotlineError('HELLO_INVALID', 'The hello iat is too far from the relay clock.');
    if (payload.exercise !== key.exercise) throw new HotlineError('WRONG_EXERCISE');
    if (payload.station !== key.station) throw new HotlineError('WRONG_STATION');
    return { exercise: key.exercise, station: key.station, kid };
  }

  /** Every check of a submitted item that needs no log position; `inspected` spares a second parse. */
  async submission(who: Identity, jws: string, inspected?: InspectedItem): Promise<AppendRequest> {
    let rec: KeyRecord | undefined;
    const resolve = async (kid: string) => {
      rec = await this.#key(kid);
      return rec && this.#keyCache.get(kid, rec.publicJwk);
    };
    const item = await verifyItem(jws, resolve, this.deps.crypto ?? NODE_CRYPTO, inspected);
    const key = rec!;
    const p = item.payload;
    this.#allowed(who, key, item.kid, p);
    const def = await this.exercise(who.exercise);
    this.#addressed(def, who, key, p);
    if (p.type === 'receipt') {
      const ref =
        (await this.deps.store.findMessage(who.exercise, p.ref)) ?? this.deps.injects?.findInject(who.exercise, p.ref);
      Verifier.#refers(p, ref);
    }
    // The entry's time is taken once, and the line's rules are checked at that very instant. Messages and
    // receipts skip the line's check (and its awaits): they are the relay's hot path.
    let at = this.deps.now();
    const line = p.type === 'call' || p.type === 'translation' || p.type === 'link-reply';
    const admitted = line ? await this.#line.check(def, item, () => (at = this.deps.now())) : undefined;
    const req = this.#request(who, jws, item.kid, p, item.payloadHash, at);
    if (admitted) {
      this.#releases.set(req, admitted.release);
      req.afterControl = admitted.afterControl;
    }
    return req;
  }

  /**
   * submission() without a single await, for the relay's hot path: a message, or a receipt of a message the
   * store holds in memory, whose key and exercise are cached, with signatures checked inline. The same checks
   * in the same order, the same errors; undefined when it cannot decide without waiting (then submission()).
   */
  submissionNow(who: Identity, jws: string, inspected: InspectedItem): AppendRequest | undefined {
    const p = inspected.payload;
    if (this.deps.crypto || (p.type !== 'message' && p.type !== 'receipt')) return undefined;
    const key = this.#keys.get(inspected.kid);
    const def = this.#exercises.get(who.exercise);
    if (!key || !def) return undefined;
    const ref =
      p.type === 'receipt'
        ? (this.deps.store.recentMessage?.(who.exercise, p.ref) ?? this.deps.injects?.findInject(who.exercise, p.ref))
        : undefined;
    if (p.type === 'receipt' && !ref) return undefined;
    checkCompact(jws, this.#keyObject(inspected.kid, key));
    const hash = payloadHash(inspected.bytes);
    this.#allowed(who, key, inspected.kid, p);
    this.#addressed(def, who, key, p);
    if (p.type === 'receipt') Verifier.#refers(p, ref);
    return this.#request(who, jws, inspected.kid, p, hash, this.deps.now());
  }

  #keyObject(kid: string, key: KeyRecord): KeyObject {
    let k = this.#keyObjects.get(kid);
    if (!k) this.#keyObjects.set(kid, (k = createPublicKey({ key: key.publicJwk as JsonWebKey, format: 'jwk' })));
    return k;
  }

  /** The signer may submit this: its key is current, and it is the key and station of this connection. */
  #allowed(who: Identity, key: KeyRecord, kid: string, p: ItemPayload): void {
    if (key.revokedIdx !== null) throw new HotlineError('KEY_REVOKED');
    if (key.exercise !== who.exercise || p.exercise !== who.exercise) throw new HotlineError('WRONG_EXERCISE');
    if (key.station !== who.station)
      throw new HotlineError('WRONG_STATION', 'The item is signed by a key of the other station.');
    if (kid !== who.kid) throw new HotlineError('KEY_MISMATCH');
    if (p.from !== who.station) throw new HotlineError('WRONG_STATION', `from must be ${who.station}.`);
  }

  /** The item goes to the other station, and the signer's role may send its kind. */
  #addressed(def: ExerciseDef, who: Identity, key: KeyRecord, p: ItemPayload): void {
    if (p.to !== otherStation(def, who.station)) throw new HotlineError('WRONG_RECIPIENT');
    LineAdmission.role(key, p.type);
  }

  /** A receipt refers to a message (or inject) addressed to its sender, by that entry's hash. */
  static #refers(p: ReceiptPayload, ref: { hash: string; to: string } | undefined): void {
    if (!ref || ref.to !== p.from) throw new HotlineError('UNKNOWN_REF');
    if (ref.hash !== p.refHash) throw new HotlineError('REF_HASH_MISMATCH');
  }

  #request(who: Identity, jws: string, kid: string, p: ItemPayload, hash: string, at: number): AppendRequest {
    return {
      exercise: who.exercise,
      kind: p.type,
      at: new Date(at).toISOString(),
      jws,
      item: { kid, seq: p.seq, id: p.id, type: p.type, payloadHash: hash, from: p.from, to: p.to, sentAt: p.sentAt },
    };
  }
}
