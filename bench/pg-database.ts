// The PostgreSQL side of a bench run on PostgreSQL (--store postgres://…): a fresh database per run, made on
// the server the URL names and dropped afterwards, so no run sees another's exercises; and a listener on the
// relays' commit channel that counts their notifications (the relay exposes no such metric).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { channelOf } from '../server/store/postgres-notify.js';
import { redactUrl } from '../server/store/postgres-open.js';

/** Runs `work` on one connection to `url`, closed afterwards. */
export async function onServer<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface BenchDatabase {
  /** The fresh database's URL: the given one with its database name replaced. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database on the server `serverUrl` names (its role needs CREATEDB). */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `hotline_bench_${randomBytes(6).toString('hex')}`;
  try {
    await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch (err) {
    throw new Error(
      `cannot create a database for the run on ${redactUrl(serverUrl)}: ${(err as Error).message} (the bench makes a fresh database per run; its role needs CREATEDB)`,
      { cause: err },
    );
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    // FORCE ends the connections a killed relay may have left behind.
    drop: () =>
      onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Counts the commit notifications on the relays' channel (one per exercise per committed batch). */
export class NotificationCounter {
  count = 0;
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
    client.on('notification', (m) => {
      if (m.channel === channelOf(undefined)) this.count++;
    });
    client.on('error', () => undefined);
  }

  static async start(databaseUrl: string): Promise<NotificationCounter> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'hotline-bench-count' });
    await client.connect();
    await client.query(`LISTEN ${channelOf(undefined)}`);
    return new NotificationCounter(client);
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}
