// The PostgreSQL store: several relays may share one database. Each batch is one transaction that first takes
// an advisory lock per exercise it touches, so appends to one exercise are serialised in the database, whichever
// process makes them, and its hash chain stays linear. `accepted` follows COMMIT with synchronous_commit on
// (checked at open), so an accepted item is on the server's disk (and on a synchronous standby if the operator
// configured one: docs/operations.md, "PostgreSQL store").
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { HotlineError } from '../../shared/errors.js';
import { GENESIS_PREV, type Entry } from '../../shared/entry.js';
import { ChainLinker } from './chain-linker.js';
import { prefetchLookups } from './postgres-lookups.js';
import { BatchHeads, PgListener } from './postgres-notify.js';
import { BatchRows } from './postgres-writes.js';
import { toKey, type Row } from './sqlite-rows.js';
import type {
  AppendRequest,
  AppendResult,
  Committed,
  EnrolmentCode,
  EnrolmentCodeState,
  ExerciseRecord,
  Head,
  KeyRecord,
  LogWatcher,
  MessageRecord,
  Store,
  WatchHandle,
} from './types.js';

/** A stable 64-bit advisory lock key for an exercise (the first 8 bytes of a SHA-256), as PostgreSQL's bigint. */
export function exerciseLockKey(exercise: string): string {
  const digest = createHash('sha256').update(`hotline-exercise:${exercise}`, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

/** An error of the database as STORE_UNAVAILABLE (a HotlineError passes as it is). */
export function unavailable(err: unknown, what: string): HotlineError {
  if (err instanceof HotlineError) return err;
  const code = (err as { code?: unknown }).code;
  return new HotlineError('STORE_UNAVAILABLE', `${what} (${typeof code === 'string' ? code : 'error'}).`);
}

/** How the listening connection names itself in pg_stat_activity (operators, and a test that cuts it). */
export const LISTENER_NAME = 'hotline-listen';

export class PgStore implements Store {
  readonly #pool: pg.Pool;
  /** How to open a connection of its own (the one that listens), as the pool's are opened. */
  readonly #connection: pg.ClientConfig;
  readonly #channel: string;
  /** This process's store among those sharing the database: its own notifications are not news to it. */
  readonly instance = randomUUID();
  readonly #listeners = new Set<WatchHandle>();
  #closed = false;

  constructor(pool: pg.Pool, connection: pg.ClientConfig, channel: string) {
    this.#pool = pool;
    this.#connection = connection;
    this.#channel = channel;
  }

  async watch(watcher: LogWatcher): Promise<WatchHandle> {
    const listener = new PgListener(
      {
        client: () => new pg.Client({ ...this.#connection, application_name: LISTENER_NAME }),
        notify: async (channel, text) => void (await this.#rows('SELECT pg_notify($1, $2)', [channel, text])),
        channel: this.#channel,
        instance: this.instance,
      },
      watcher,
    );
    await listener.start().catch((err: unknown) => {
      throw unavailable(err, 'Cannot listen for the commits of other relays');
    });
    this.#listeners.add(listener);
    return listener;
  }

  async append(requests: AppendRequest[]): Promise<AppendResult[]> {
    if (this.#closed) throw new HotlineError('STORE_UNAVAILABLE', 'The store is closed.');
    const client = await this.#pool.connect().catch((err: unknown) => {
      throw unavailable(err, 'No connection to the PostgreSQL store');
    });
    let broken = false;
    try {
      // Sorted, so two batches over the same exercises take their locks in the same order and cannot deadlock.
      // One round trip: the keys are numbers this module made, so the statements carry them as literals.
      const exercises = [...new Set(requests.map((r) => r.exercise))].sort();
      const locks = exercises.map((exercise) => `SELECT pg_advisory_xact_lock(${exerciseLockKey(exercise)});`);
      await client.query(['BEGIN;', ...locks].join(' '));
      let current: AppendRequest | undefined;
      const look = await prefetchLookups(client, requests, () => current);
      const batch = new ChainLinker(look).begin();
      const rows = new BatchRows();
      const heads = new BatchHeads();
      const results = requests.map((req) => {
        current = req;
        return batch.link(req, (_body, entry, json) => {
          rows.add(req, entry, json);
          heads.moved(req.exercise, entry.idx, req.kind !== 'message' && req.kind !== 'receipt');
        });
      });
      await rows.write(client);
      await heads.notify(client, this.#channel, this.instance);
      await client.query('COMMIT');
      return results;
    } catch (err) {
      // A failed statement, a lost connection or a failed COMMIT: nothing of the batch is accepted.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw unavailable(err, 'The PostgreSQL store could not commit');
    } finally {
      client.release(broken);
    }
  }

  async #rows(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.#pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw unavailable(err, 'The log store cannot be read');
    }
  }

  #committed(exercise: string, rows: Row[]): Committed[] {
    return rows.map((r) => {
      const json = r['body'] as string;
      return { exercise, entry: JSON.parse(json) as Entry, json, duplicate: false };
    });
  }

  async read(exercise: string, from: number, limit: number): Promise<Committed[]> {
    const sql = 'SELECT body FROM entries WHERE exercise = $1 AND idx >= $2 ORDER BY idx LIMIT $3';
    return this.#committed(exercise, await this.#rows(sql, [exercise, from, limit]));
  }

  async readControl(exercise: string): Promise<Committed[]> {
    const sql =
      'SELECT e.body FROM control c JOIN entries e ON e.exercise = c.exercise AND e.idx = c.idx WHERE c.exercise = $1 ORDER BY c.idx';
    return this.#committed(exercise, await this.#rows(sql, [exercise]));
  }

  async head(exercise: string): Promise<Head | null> {
    const sql = 'SELECT idx, hash FROM entries WHERE exercise = $1 ORDER BY idx DESC LIMIT 1';
    const [row] = await this.#rows(sql, [exercise]);
    return row ? { idx: row['idx'] as number, hash: row['hash'] as string } : null;
  }

  async getExercise(id: string): Promise<ExerciseRecord | undefined> {
    const [row] = await this.#rows('SELECT def, created_at FROM exercises WHERE id = $1', [id]);
    if (!row) return undefined;
    const head = (await this.head(id)) ?? { idx: -1, hash: GENESIS_PREV };
    return {
      def: JSON.parse(row['def'] as string) as ExerciseRecord['def'],
      createdAt: row['created_at'] as string,
      head,
    };
  }

  async listExercises(): Promise<ExerciseRecord[]> {
    const ids = await this.#rows('SELECT id FROM exercises ORDER BY created_at COLLATE "C", id COLLATE "C"', []);
    const out: ExerciseRecord[] = [];
    for (const r of ids) {
      const record = await this.getExercise(r['id'] as string);
      if (record) out.push(record);
    }
    return out;
  }

  async getKey(kid: string): Promise<KeyRecord | undefined> {
    const [row] = await this.#rows('SELECT * FROM keys WHERE kid = $1', [kid]);
    return row && toKey(row);
  }

  async listKeys(exercise: string): Promise<KeyRecord[]> {
    return (await this.#rows('SELECT * FROM keys WHERE exercise = $1 ORDER BY enrolled_idx', [exercise])).map(toKey);
  }

  async nextSeq(kid: string): Promise<number> {
    const [row] = await this.#rows('SELECT last_seq FROM key_seqs WHERE kid = $1', [kid]);
    return ((row?.['last_seq'] as number | undefined) ?? -1) + 1;
  }

  async findMessage(exercise: string, id: string): Promise<MessageRecord | undefined> {
    const sql =
      "SELECT idx, hash, from_station, to_station FROM entries WHERE exercise = $1 AND item_id = $2 AND item_type = 'message'";
    const [row] = await this.#rows(sql, [exercise, id]);
    return (
      row && {
        idx: row['idx'] as number,
        hash: row['hash'] as string,
        from: row['from_station'] as string,
        to: row['to_station'] as string,
      }
    );
  }

  async addEnrolmentCode(c: EnrolmentCode): Promise<void> {
    await this.#rows(
      'INSERT INTO enrolment_codes (code_hash, exercise, station, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [c.codeHash, c.exercise, c.station, c.issuedAt, c.expiresAt],
    );
  }

  async findEnrolmentCode(codeHash: string): Promise<EnrolmentCodeState | undefined> {
    const [row] = await this.#rows('SELECT * FROM enrolment_codes WHERE code_hash = $1', [codeHash]);
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
    const [row] = await this.#rows('SELECT value FROM meta WHERE key = $1', [key]);
    return row?.['value'] as string | undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#rows(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async swapMeta(key: string, expected: string | null, value: string): Promise<boolean> {
    const sql =
      expected === null
        ? 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key'
        : 'UPDATE meta SET value = $2 WHERE key = $1 AND value = $3 RETURNING key';
    const rows = await this.#rows(sql, expected === null ? [key, value] : [key, value, expected]);
    return rows.length === 1;
  }

  /** A durable write, as the embedded store's probe: a commit that waits for its flush. */
  async probe(): Promise<void> {
    await this.setMeta('probe', new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#listeners].map((l) => l.close()));
    await this.#pool.end();
  }
}
