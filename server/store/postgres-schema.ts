// Schema of the PostgreSQL store: the tables of the embedded store's version 5 (sqlite-schema.ts), so both
// stores answer the same look-ups the same way. Entries keep their exact JSON text in a TEXT column, never
// jsonb: the stored text is what is hashed, sent and exported.
import type { PoolClient } from 'pg';
import { HotlineError } from '../../shared/errors.js';

/** Version 1 is the first PostgreSQL schema; its numbering is its own, not SQLite's user_version. */
const VERSION_1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE exercises (id TEXT PRIMARY KEY, def TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE entries (
  pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise TEXT NOT NULL REFERENCES exercises (id), idx INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
  item_id TEXT, item_type TEXT, kid TEXT, seq INTEGER, payload_hash TEXT, from_station TEXT, to_station TEXT
);
CREATE UNIQUE INDEX entries_by_idx ON entries (exercise, idx);
CREATE UNIQUE INDEX entries_by_item ON entries (exercise, item_id) WHERE item_id IS NOT NULL;
CREATE TABLE key_seqs (kid TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE keys (
  kid TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  operator TEXT NOT NULL, jwk TEXT NOT NULL, enrolled_idx INTEGER NOT NULL, revoked_idx INTEGER,
  role TEXT NOT NULL DEFAULT 'operator'
);
CREATE INDEX keys_by_exercise ON keys (exercise, enrolled_idx);
CREATE TABLE control (
  exercise TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT, PRIMARY KEY (exercise, idx)
);
CREATE TABLE enrolment_codes (
  code_hash TEXT PRIMARY KEY, exercise TEXT NOT NULL REFERENCES exercises (id), station TEXT NOT NULL,
  issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
);
`;

/** MIGRATIONS[n - 1] brings a database from version n - 1 to version n. Append, never edit a shipped one. */
const MIGRATIONS: readonly string[] = [VERSION_1];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Taken by every relay that prepares the schema, so two relays starting at once migrate one after the other. */
const MIGRATION_LOCK = '7307355129474620416';

/** The version row lives in its own table (PostgreSQL has no user_version), read before anything is created. */
async function currentVersion(client: PoolClient): Promise<number> {
  const table = await client.query<{ t: string | null }>("SELECT to_regclass('hotline_schema')::text AS t");
  if (table.rows[0]?.t === null || table.rows[0]?.t === undefined) return 0;
  const row = await client.query<{ version: number }>('SELECT version FROM hotline_schema');
  return row.rows[0]?.version ?? 0;
}

/** Creates the schema or brings an older one up to date, in one transaction; a newer one is refused and left
 * as it is. Runs in the connection's search_path, so a schema name in the store's options is honoured. */
export async function preparePgSchema(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const version = await currentVersion(client);
    if (version > PG_SCHEMA_VERSION) {
      throw new HotlineError(
        'STORE_UNAVAILABLE',
        `The database has schema version ${version}; this relay knows up to ${PG_SCHEMA_VERSION}.`,
      );
    }
    if (version === 0) await client.query('CREATE TABLE hotline_schema (version INTEGER NOT NULL)');
    for (let v = version; v < PG_SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v]!);
    if (version === 0) await client.query('INSERT INTO hotline_schema (version) VALUES ($1)', [PG_SCHEMA_VERSION]);
    else await client.query('UPDATE hotline_schema SET version = $1', [PG_SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
