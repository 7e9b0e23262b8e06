// The embedded store: one SQLite file, WAL, synchronous=FULL checked on every open. Each call is
// synchronous, so one append() is one transaction and one fsync for the whole batch. The relay runs
// the writing side on a worker thread (threaded-sqlite.ts) and reads through a second connection.
import Database from 'better-sqlite3';
import { HotlineError } from '../../shared/errors.js';
import type { Entry } from '../../shared/entry.js';
import { ChainLinker, isEndex } from './chain-linker.js';
import { CommitMemory, readHead, readLastSeq, sqliteLookups } from './sqlite-lookups.js';
import { checkDatabase, isCorruption, type CheckLevel } from './sqlite-check.js';
import { prepareSchema } from './sqlite-schema.js';
import { prepareStatements, writeEntry, type Statements } from './sqlite-statements.js';
import { reading, toKey, type Row } from './sqlite-rows.js';
import type {
  AppendRequest,
  AppendResult,
  Committed,
  EnrolmentCode,
  EnrolmentCodeState,
  ExerciseRecord,
  Head,
  KeyRecord,
  MessageRecord,
  Store,
} from './types.js';

/** Opens (and creates or migrates) the data file; `check` is the integrity check to run first
 * (sqlite-check.ts): a damaged file is refused with STORE_CORRUPT. */
export function openSqliteStore(file: string, check: CheckLevel = 'auto'): SqliteStore {
  const db = new Database(file);
  try {
    // better-sqlite3 reopens WAL databases at synchronous=NORMAL: set FULL every time and prove it took.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    checkDatabase(db, file, check);
  } catch (err) {
    db.close();
    if (isCorruption(err))
      throw new HotlineError(
        'STORE_CORRUPT',
        `The data file ${file} is not a readable database: ${(err as Error).message}`,
      );
    throw err;
  }
  const sync = db.pragma('synchronous', { simple: true });
  if (sync !== 2) {
    db.close();
    throw new HotlineError(
      'STORE_UNAVAILABLE',
      `SQLite synchronous is ${String(sync)}, not FULL (2): refusing to start.`,
    );
  }
  try {
    prepareSchema(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db);
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #stmt: Statements;
  readonly #linker: ChainLinker;
  readonly #transaction: Database.Transaction<(reqs: AppendRequest[]) => AppendResult[]>;
  readonly #ended = new Set<string>();
  readonly #append: (reqs: AppendRequest[]) => AppendResult[];
  readonly #memory: CommitMemory;
  /** The request the linker is linking (sqlite-lookups.ts, itemBySeq). */
  #current: AppendRequest | undefined;
  /** What the batch in its transaction will have written once it commits. */
  #written = { heads: new Map<string, Head>(), seqs: new Map<string, number>() };

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmt = prepareStatements(db);
    const s = this.#stmt;
    this.#memory = new CommitMemory(s);
    this.#linker = new ChainLinker(
      sqliteLookups(
        s,
        this.#memory,
        () => this.#current,
        (id) => {
          // Asked for every item. Only `true` is remembered: an ended exercise stays ended, but the other
          // connection of the same file (threaded-sqlite.ts) may commit an ENDEX this one has not seen.
          if (this.#ended.has(id)) return true;
          const ended = s.ended.get(id) !== undefined;
          if (ended) this.#ended.add(id);
          return ended;
        },
      ),
    );
    this.#transaction = db.transaction((reqs: AppendRequest[]) => {
      this.#memory.validate();
      const batch = this.#linker.begin();
      // The linker keeps each exercise's head and each key's seq for the rest of the batch, so a key's
      // last seq is written once, at the end.
      const written = { heads: new Map<string, Head>(), seqs: new Map<string, number>() };
      this.#written = written;
      const results = reqs.map((req) => {
        this.#current = req;
        return batch.link(req, (_body, entry, json) => {
          writeEntry(this.#stmt, req, entry, json);
          if (isEndex(req)) this.#ended.add(req.exercise);
          written.heads.set(req.exercise, { idx: entry.idx, hash: entry.hash });
          if (req.item) written.seqs.set(req.item.kid, req.item.seq);
        });
      });
      this.#current = undefined;
      for (const [kid, seq] of written.seqs) this.#stmt.setLastSeq.run(kid, seq);
      return results;
    });
    const run = this.#transaction.immediate.bind(this.#transaction);
    // A rolled-back batch must not leave an ENDEX, a head or a seq remembered: forget what this batch taught.
    this.#append = (reqs) => {
      try {
        const results = run(reqs);
        this.#memory.remember(this.#written.heads, this.#written.seqs);
        return results;
      } catch (err) {
        this.#current = undefined;
        this.#ended.clear();
        this.#memory.forget();
        throw err;
      }
    };
  }

  async append(requests: AppendRequest[]): Promise<AppendResult[]> {
    // BEGIN IMMEDIATE: the write lock is taken before the chain is read, so a second connection that
    // writes to the same file makes this one wait (busy_timeout) instead of failing at the upgrade.
    return this.#append(requests);
  }

  async read(exercise: string, from: number, limit: number): Promise<Committed[]> {
    const rows = reading(() => this.#stmt.read.all(exercise, from, limit) as Row[]);
    return rows.map((r) => {
      const json = r['body'] as string;
      return { exercise, entry: JSON.parse(json) as Entry, json, duplicate: false };
    });
  }

  async readControl(exercise: string): Promise<Committed[]> {
    const rows = reading(() => this.#stmt.readControl.all(exercise) as Row[]);
    return rows.map((r) => {
      const json = r['body'] as string;
      return { exercise, entry: JSON.parse(json) as Entry, json, duplicate: false };
    });
  }

  async head(exercise: string): Promise<Head | null> {
    const head = reading(() => readHead(this.#stmt, exercise));
    return head && head.idx >= 0 ? head : null;
  }

  async getExercise(id: string): Promise<ExerciseRecord | undefined> {
    const row = reading(() => this.#stmt.exercise.get(id) as Row | undefined);
    const head = row && reading(() => readHead(this.#stmt, id));
    if (!row || !head) return undefined;
    return {
      def: JSON.parse(row['def'] as string) as ExerciseRecord['def'],
      createdAt: row['created_at'] as string,
      head,
    };
  }

  async listExercises(): Promise<ExerciseRecord[]> {
    const ids = reading(() => this.#stmt.exercises.all() as Row[]).map((r) => r['id'] as string);
    const out: ExerciseRecord[] = [];
    for (const id of ids) out.push((await this.getExercise(id))!);
    return out;
  }

  async getKey(kid: string): Promise<KeyRecord | undefined> {
    const row = reading(() => this.#stmt.key.get(kid) as Row | undefined);
    return row && toKey(row);
  }

  async listKeys(exercise: string): Promise<KeyRecord[]> {
    return reading(() => this.#stmt.keys.all(exercise) as Row[]).map(toKey);
  }

  async nextSeq(kid: string): Promise<number> {
    return reading(() => readLastSeq(this.#stmt, kid)) + 1;
  }

  async findMessage(exercise: string, id: string): Promise<MessageRecord | undefined> {
    const row = reading(() => this.#stmt.message.get(exercise, id) as Row | undefined);
    if (!row) return undefined;
    return {
      idx: row['idx'] as number,
      hash: row['hash'] as string,
      from: row['from_station'] as string,
      to: row['to_station'] as string,
    };
  }

  async addEnrolmentCode(c: EnrolmentCode): Promise<void> {
    this.#stmt.insertCode.run(c.codeHash, c.exercise, c.station, c.issuedAt, c.expiresAt);
  }

  async findEnrolmentCode(codeHash: string): Promise<EnrolmentCodeState | undefined> {
    const row = reading(() => this.#stmt.code.get(codeHash) as Row | undefined);
    return (
      row && {
        exercise: row['exercise'] as string,
        station: row['station'] as string,
        expiresAt: row['expires_at'] as string,
        used: (row['used_at'] ?? null) !== null,
      }
    );
  }

  async getMeta(key: string): Promise<string | undefined> {
    return reading(() => this.#stmt.getMeta.get(key) as Row | undefined)?.['value'] as string | undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#stmt.setMeta.run(key, value);
  }

  async swapMeta(key: string, expected: string | null, value: string): Promise<boolean> {
    // One statement: the compare and the write are one step for every connection to the file.
    const info =
      expected === null ? this.#stmt.insertMeta.run(key, value) : this.#stmt.swapMeta.run(value, key, expected);
    return info.changes === 1;
  }

  /** This connection's PRAGMA synchronous (2 = FULL); read-only, for tests and diagnostics. */
  synchronousLevel(): number {
    return this.#db.pragma('synchronous', { simple: true }) as number;
  }

  async probe(): Promise<void> {
    this.#stmt.setMeta.run('probe', new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
