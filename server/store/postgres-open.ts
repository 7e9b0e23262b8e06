// Opening the PostgreSQL store: the URL as it may be logged, the check that a commit waits for its flush
// (synchronous_commit), and the schema created or migrated before the first append.
import pg from 'pg';
import { HotlineError } from '../../shared/errors.js';
import { PgStore, unavailable } from './postgres.js';
import { channelOf } from './postgres-notify.js';
import { preparePgSchema } from './postgres-schema.js';

export interface PgStoreOptions {
  /** A schema other than the role's default (tests give each store its own); it must be a plain identifier. */
  schema?: string;
  /** Connections in the pool; a batch holds one for its transaction. */
  poolSize?: number;
}

/** The settings of synchronous_commit that wait for the commit record to be flushed to disk. */
const DURABLE_COMMITS = ['on', 'remote_write', 'remote_apply'];

/** The URL as it may be logged: its password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}

/** Opens the store: checks that commits are durable, then creates or migrates the schema. */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new HotlineError('BAD_REQUEST', `Schema name ${JSON.stringify(schema)} is not a plain identifier.`);
  const connection: pg.ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 4 });
  // An idle connection that breaks (the server restarts) must not crash the relay: the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      const sync = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
        ?.synchronous_commit;
      if (!DURABLE_COMMITS.includes(sync ?? '')) {
        throw new HotlineError(
          'STORE_UNAVAILABLE',
          `PostgreSQL synchronous_commit is ${String(sync)} at ${redactUrl(url)}: a commit would not wait for its disk flush; refusing to start (set it to on).`,
        );
      }
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await preparePgSchema(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw unavailable(err, `The PostgreSQL store at ${redactUrl(url)} cannot be opened: ${(err as Error).message}`);
  }
  return new PgStore(pool, connection, channelOf(schema));
}
