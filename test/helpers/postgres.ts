// A database of its own for one test file, in the run's PostgreSQL (test/setup/postgres.ts), dropped at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs one statement on the run's server, outside this database (its connections, its settings). */
  onServer(sql: string): Promise<void>;
  /** What a restart does to the relays: every new connection refused, every open one ended. */
  cutOff(): Promise<void>;
  /** Connections allowed again. */
  restore(): Promise<void>;
  /** Runs one statement on the database, outside any store (set-up and inspection). */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'hotline_test'): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const server = async (sql: string) => void (await onServer(serverUrl, (c) => c.query(sql)));
  return {
    url,
    name,
    onServer: server,
    cutOff: async () => {
      await server(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await server(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    },
    restore: () => server(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`),
    query: (sql, params = []) => onServer(url, async (c) => (await c.query<Record<string, unknown>>(sql, params)).rows),
    drop: async () => {
      await server(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await server(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
