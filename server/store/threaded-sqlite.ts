// The embedded store as the relay uses it: writes (and their fsyncs) on a worker thread, reads on the
// main thread from a second connection. WAL lets that connection see every committed batch at once, and
// a reader never blocks the writer. A lone item after a quiet spell is the exception: it commits on the
// main thread's connection, because on an idle relay the two thread hops (each waking a sleeping
// thread) cost more than the fsync they spare the event loop (docs/performance.md has the figures).
// The two connections never write at the same time: see append().
import type { Worker } from 'node:worker_threads';
import { HotlineError, isErrorCode } from '../../shared/errors.js';
import { siblingModule, startWorker } from '../module-launcher.js';
import type { CheckLevel } from './sqlite-check.js';
import { openSqliteStore, type SqliteStore } from './sqlite.js';
import { RecentMessages } from './recent-messages.js';
import { decodeResults, toError, type WireError, type WireResult, type WriteOp } from './sqlite-wire.js';
import type { AppendRequest, AppendResult, EnrolmentCode, Store } from './types.js';

/** The writer thread's module: sqlite-worker.ts from the sources, the sqlite-worker.js beside this file built. */
const WRITER = siblingModule(import.meta.url, 'sqlite-worker');

/** Quiet for this long (no commit), a relay is idle rather than between two items of a stream. */
const QUIET_MS = 2;

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

export class ThreadedSqliteStore implements Store {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #dead: HotlineError | undefined;
  readonly #recent = new RecentMessages();
  /** When the last commit returned; a lone item arriving this long after it commits inline. */
  #lastCommit = 0;

  private constructor(
    private readonly worker: Worker,
    /** The main thread's connection: every read, and a lone commit after a quiet spell. */
    private readonly local: SqliteStore,
    readonly synchronous: number,
  ) {
    worker.on('message', (reply: Reply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(toError(reply.error));
    });
    const die = (why: string) => {
      this.#dead = new HotlineError('STORE_UNAVAILABLE', `The store's writer thread stopped: ${why}`);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    };
    worker.on('error', (err) => die(err.message));
    worker.on('exit', (code) => die(`exit ${code}`));
  }

  /** `check`: the integrity check the writer thread runs before anything else (sqlite-check.ts). */
  static async open(file: string, check: CheckLevel = 'auto'): Promise<ThreadedSqliteStore> {
    const worker = startWorker(WRITER, { workerData: { file, check } });
    type Ready = { ready: boolean; synchronous?: number; code?: string; error?: string };
    const ready = await new Promise<Ready>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!ready.ready) {
      await worker.terminate();
      const code = isErrorCode(ready.code) ? ready.code : 'STORE_UNAVAILABLE';
      throw new HotlineError(code, ready.error ?? 'The store could not be opened.');
    }
    // The writer thread made (or migrated) the schema and checked the file before this connection opens.
    return new ThreadedSqliteStore(worker, openSqliteStore(file, 'none'), ready.synchronous ?? -1);
  }

  #call<T>(op: WriteOp, ...args: unknown[]): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  async append(requests: AppendRequest[]): Promise<AppendResult[]> {
    if (this.#dead) throw this.#dead;
    // Inline only while the writer thread has nothing in hand (not even an enrolment code or a probe):
    // the inline transaction runs to its end synchronously, so no write can start beside it.
    const inline =
      requests.length === 1 && this.#pending.size === 0 && performance.now() - this.#lastCommit >= QUIET_MS;
    try {
      const results = inline
        ? await this.local.append(requests)
        : decodeResults(await this.#call<WireResult[]>('append', requests));
      this.#recent.remember(requests, results);
      return results;
    } finally {
      this.#lastCommit = performance.now();
    }
  }

  addEnrolmentCode(code: EnrolmentCode): Promise<void> {
    return this.#call('addEnrolmentCode', code);
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.#call('setMeta', key, value);
  }

  swapMeta(key: string, expected: string | null, value: string): Promise<boolean> {
    return this.#call('swapMeta', key, expected, value);
  }

  probe(): Promise<void> {
    return this.#call('probe');
  }

  read: Store['read'] = (...a) => this.local.read(...a);
  head: Store['head'] = (...a) => this.local.head(...a);
  readControl: Store['readControl'] = (...a) => this.local.readControl(...a);
  getExercise: Store['getExercise'] = (...a) => this.local.getExercise(...a);
  listExercises: Store['listExercises'] = () => this.local.listExercises();
  getKey: Store['getKey'] = (...a) => this.local.getKey(...a);
  listKeys: Store['listKeys'] = (...a) => this.local.listKeys(...a);
  nextSeq: Store['nextSeq'] = (...a) => this.local.nextSeq(...a);
  findMessage: Store['findMessage'] = async (exercise, id) =>
    this.#recent.get(exercise, id) ?? this.local.findMessage(exercise, id);
  recentMessage: NonNullable<Store['recentMessage']> = (exercise, id) => this.#recent.get(exercise, id);
  findEnrolmentCode: Store['findEnrolmentCode'] = (...a) => this.local.findEnrolmentCode(...a);
  getMeta: Store['getMeta'] = (...a) => this.local.getMeta(...a);

  async close(): Promise<void> {
    if (!this.#dead) await this.#call('close').catch(() => undefined);
    await this.worker.terminate();
    await this.local.close();
  }
}
