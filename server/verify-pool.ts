// Signature checks of submitted items on a pool of worker threads, for a relay with cores to spare: the main
// thread keeps the cheap checks (canonical base64url, 64-byte signature) and hands the Ed25519 check itself,
// about 100 µs of its CPU per item, to a worker. Checks that arrive in one turn of the event loop go to the
// workers as one message each way, so the hop (a postMessage, a thread wake-up) is paid per batch, not per item.
// docs/performance.md ("Signature checks on worker threads") has the figures and why it is off on 2 cores.
// A worker that dies never leaves a check unanswered: its checks in flight are verified on the main thread
// (a verdict does not depend on where it is computed), and the pool starts another worker while its restart
// budget lasts. With no worker, checks run inline, exactly as NODE_CRYPTO.
import { KeyObject } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import { fromBase64url, isBase64url } from '../shared/encoding.js';
import { HotlineError } from '../shared/errors.js';
import type { Typ } from '../shared/items.js';
import type { ItemCrypto } from '../shared/signed.js';
import { siblingModule, startWorker } from './module-launcher.js';
import { NODE_CRYPTO, verifyCompact } from './node-crypto.js';
import type { VerifyBatch, VerifyVerdicts } from './verify-worker.js';

const WORKER = siblingModule(import.meta.url, 'verify-worker');
const SIGNATURE_BYTES = 64;

export interface VerifyPoolOptions {
  /** Worker threads; 0 verifies everything inline. */
  threads: number;
  /** Checks queued or in flight beyond which a check runs inline instead (the pool never grows unbounded). */
  maxQueued?: number;
  /** Most checks in one message to a worker. */
  maxBatch?: number;
  /** Fewest checks in one message when a batch is split over workers: each message costs the main thread
   * about as much as several checks' share of a batch (docs/performance.md), so small batches stay whole. */
  minBatch?: number;
  /** Workers started again after one died, over the pool's life; then the pool carries on with fewer. */
  maxRestarts?: number;
  log?: Logger;
}

/** Workers beyond which `auto` adds none: the main thread, freed of its checks, feeds about 1.2 cores of
 * them at its ceiling (docs/performance.md), and each idle worker still holds about 9 MB. */
const AUTO_MAX_THREADS = 4;

/** The worker threads for `setting` (HOTLINE_VERIFY_THREADS) on a machine with `cores`: `auto` leaves two
 * cores to the main thread and the SQLite writer, so none on 2 cores, where a hop would only add work. */
export function poolSize(setting: 'auto' | number, cores: number): number {
  if (setting !== 'auto') return setting;
  return cores <= 2 ? 0 : Math.min(cores - 2, AUTO_MAX_THREADS);
}

interface Check {
  jws: string;
  key: CryptoKey;
  typ: Typ;
  input: string;
  signature: Uint8Array;
  x: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** Batches posted and not answered, by batch id. */
  readonly inFlight: Map<number, Check[]>;
  load: number;
}

const jwkX = new WeakMap<CryptoKey, string | null>();

/** The raw key a worker needs, as JWK x; null for a key that is not an Ed25519 public key (checked inline). */
function keyX(key: CryptoKey): string | null {
  let x = jwkX.get(key);
  if (x === undefined) {
    try {
      const jwk = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]).export({ format: 'jwk' });
      x = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string' && !('d' in jwk) ? jwk.x : null;
    } catch {
      x = null;
    }
    jwkX.set(key, x);
  }
  return x;
}

export class VerifyPool implements ItemCrypto {
  readonly #slots: Slot[] = [];
  readonly #maxQueued: number;
  readonly #maxBatch: number;
  readonly #minBatch: number;
  readonly #log: Logger | undefined;
  #restarts: number;
  #queue: Check[] = [];
  #scheduled = false;
  /** Checks queued or in flight. */
  #pending = 0;
  #nextId = 0;
  #closed = false;
  #live = 0;

  constructor(options: VerifyPoolOptions) {
    this.#maxQueued = options.maxQueued ?? 4096;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#minBatch = options.minBatch ?? 8;
    this.#restarts = options.maxRestarts ?? 3 * options.threads;
    this.#log = options.log;
    for (let i = 0; i < options.threads; i++) {
      const slot: Slot = { worker: undefined, inFlight: new Map(), load: 0 };
      this.#slots.push(slot);
      this.#start(slot);
    }
  }

  /** Live workers. */
  get threads(): number {
    return this.#live;
  }

  /** The workers themselves, for tests that stop one mid-batch. */
  workers(): Worker[] {
    return this.#slots.flatMap((s) => (s.worker ? [s.worker] : []));
  }

  /** Accepts and refuses exactly what verifyCompact does, with the same codes and messages. */
  verify(jws: string, key: CryptoKey, typ: Typ): Promise<void> {
    if (this.#closed || this.#pending >= this.#maxQueued || this.#live === 0) return verifyCompact(jws, key, typ);
    // The cheap checks of verifyCompact, here so that a worker only ever sees bytes to check.
    const first = jws.indexOf('.');
    const last = jws.lastIndexOf('.');
    const signature = fromBase64url(jws.slice(last + 1));
    if (!isBase64url(jws.slice(first + 1, last)) || !signature)
      return Promise.reject(new HotlineError('BAD_JWS', 'A JWS part is not canonical base64url.'));
    if (signature.length !== SIGNATURE_BYTES) return Promise.reject(new HotlineError('BAD_SIGNATURE'));
    const x = keyX(key);
    if (x === null) return verifyCompact(jws, key, typ);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ jws, key, typ, input: jws.slice(0, last), signature, x, resolve, reject });
      this.#pending++;
      if (!this.#scheduled) {
        this.#scheduled = true;
        // After this turn's I/O callbacks: every check that arrived with them goes in the same batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  hash(bytes: Uint8Array): Promise<string> | string {
    return NODE_CRYPTO.hash(bytes);
  }

  /** Ends the workers; checks in flight are answered inline, and later checks run inline too. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#flush();
    await Promise.all(this.#slots.flatMap((s) => (s.worker ? [s.worker.terminate()] : [])));
  }

  #flush(): void {
    this.#scheduled = false;
    const checks = this.#queue;
    this.#queue = [];
    const live = this.#slots.filter((s) => s.worker);
    if (this.#closed || live.length === 0) {
      for (const c of checks) this.#inline(c);
      return;
    }
    // Split evenly over the workers, the least loaded first, in messages of minBatch to maxBatch checks.
    const size = Math.min(this.#maxBatch, Math.max(this.#minBatch, Math.ceil(checks.length / live.length)));
    for (let i = 0; i < checks.length; i += size) {
      const slot = live.reduce((a, b) => (b.load < a.load ? b : a));
      this.#post(slot, checks.slice(i, i + size));
    }
  }

  #post(slot: Slot, checks: Check[]): void {
    const id = this.#nextId++;
    const sigs = new Uint8Array(checks.length * SIGNATURE_BYTES);
    const inputs: string[] = [];
    const keys: string[] = [];
    checks.forEach((c, i) => {
      sigs.set(c.signature, i * SIGNATURE_BYTES);
      inputs.push(c.input);
      keys.push(c.x);
    });
    if (slot.load === 0) slot.worker!.ref();
    slot.inFlight.set(id, checks);
    slot.load += checks.length;
    const batch: VerifyBatch = { id, inputs, sigs, keys };
    slot.worker!.postMessage(batch, [sigs.buffer]);
  }

  #settle(slot: Slot, id: number, verdict: (c: Check, i: number) => boolean): void {
    const checks = slot.inFlight.get(id);
    if (!checks) return;
    slot.inFlight.delete(id);
    slot.load -= checks.length;
    if (slot.load === 0) slot.worker?.unref();
    checks.forEach((c, i) => {
      this.#pending--;
      if (verdict(c, i)) c.resolve();
      else c.reject(new HotlineError('BAD_SIGNATURE'));
    });
  }

  #inline(c: Check): void {
    verifyCompact(c.jws, c.key, c.typ).then(
      () => {
        this.#pending--;
        c.resolve();
      },
      (err: unknown) => {
        this.#pending--;
        c.reject(err);
      },
    );
  }

  #start(slot: Slot): void {
    const worker = startWorker(WORKER);
    slot.worker = worker;
    this.#live++;
    worker.unref();
    worker.on('message', (v: VerifyVerdicts) => this.#settle(slot, v.id, (_c, i) => v.ok[i] === 1));
    worker.on('error', (err) => this.#log?.error({ err }, 'a signature worker failed'));
    worker.on('exit', (code) => this.#died(slot, worker, code));
  }

  /** Whatever the worker had in flight is checked here instead; another worker takes its place. */
  #died(slot: Slot, worker: Worker, code: number): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    this.#live--;
    for (const [id, checks] of [...slot.inFlight]) {
      slot.inFlight.delete(id);
      slot.load -= checks.length;
      for (const c of checks) this.#inline(c);
    }
    if (this.#closed) return;
    if (this.#restarts > 0) {
      this.#restarts--;
      this.#log?.warn({ code }, 'a signature worker stopped; starting another');
      this.#start(slot);
    } else {
      this.#log?.error({ code, threads: this.threads }, 'a signature worker stopped and is not replaced');
    }
  }
}
