// `hotline serve`: the relay. First start makes the data directory, relay key, trainer secret and the
// default exercise; every start prints fresh one-time enrolment links for the default exercise.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { startRelay } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { DEFAULT_EXERCISE } from '../server/exercises.js';
import { checkDataFile, dataFilePath } from '../server/store/sqlite-check.js';
import { trainerSecretShown } from '../server/trainer-secret.js';
import { color, diag, EXIT, out } from './terminal.js';

/** The flag behind each option this command sets, so configuration errors name what the user typed. */
const FLAGS: Partial<Record<keyof Config, string>> = {
  dataDir: '--data',
  store: '--store',
  relayKeyFile: '--relay-key',
  relayUrls: '--relay-url',
  host: '--host',
  port: '--port',
  publicUrl: '--public-url',
  allowedOrigins: '--origin',
  printLinks: '--no-links',
  logLevel: '--log-level',
  verifyThreads: '--verify-threads',
};

interface ServeOptions {
  data?: string;
  store?: string;
  relayKey?: string;
  relayUrl?: string[];
  host?: string;
  port?: string;
  publicUrl?: string;
  origin?: string[];
  links?: boolean;
  logLevel?: string;
  verifyThreads?: string;
  check?: string;
}

/** A damaged data file stops the start with its own exit code (docs/operations.md, "A corrupt data file"). */
function refuseCorrupt(err: unknown): never {
  if (err instanceof HotlineError && err.code === 'STORE_CORRUPT') {
    diag(`hotline: STORE_CORRUPT: ${err.message}`);
    process.exit(EXIT.storeCorrupt);
  }
  throw err;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the relay (HTTP API, WebSocket, consoles) on the embedded SQLite store or PostgreSQL')
    .option('-d, --data <dir>', 'data directory (database, relay key)', undefined)
    .option('--store <url>', 'postgres:// URL of a PostgreSQL log store (default: SQLite in the data directory)')
    .option('--relay-key <file>', 'the relay key (default: relay-key.jwk in the data directory); one per log')
    .option('--relay-url <url...>', 'public URLs of every relay of this log, given to consoles to fail over to')
    .option('--host <host>', 'address to listen on')
    .option('-p, --port <port>', 'port to listen on (0: any free port)')
    .option('--public-url <url>', 'URL that consoles use, when behind a proxy')
    .option('--origin <origin...>', 'origins allowed to open console WebSockets')
    .option('--no-links', 'do not print enrolment links at start')
    .option('--log-level <level>', 'pino level: trace, debug, info, warn, error, silent')
    .option('--verify-threads <n>', 'worker threads checking signatures: auto (by the cores) or 0 (inline) to 64')
    .option('--check <level>', 'integrity check of the data file before start: full (PRAGMA integrity_check)')
    .addHelpText(
      'after',
      `
Examples:
  $ hotline serve                          # ./data, http://127.0.0.1:8080
  $ hotline serve --data /var/lib/hotline --host 0.0.0.0 --public-url https://hotline.example
  $ HOTLINE_PORT=9000 hotline serve --no-links
  $ hotline serve --store postgres://hotline@db/hotline --relay-key /etc/hotline/relay-key.jwk \
      --port 8080 --relay-url http://relay-a:8080 --relay-url http://relay-b:8080   # one of several relays

On the first start the trainer secret is printed once: keep it, it is stored only as a hash.
Enrolment links carry their one-time code in the #fragment and expire (HOTLINE_ENROLMENT_TTL_SECONDS).`,
    )
    .action(async (o: ServeOptions) => {
      const overrides: Partial<Config> = {};
      if (o.data !== undefined) overrides.dataDir = o.data;
      if (o.store !== undefined) overrides.store = o.store;
      if (o.relayKey !== undefined) overrides.relayKeyFile = o.relayKey;
      if (o.relayUrl !== undefined) overrides.relayUrls = o.relayUrl;
      if (o.host !== undefined) overrides.host = o.host;
      if (o.port !== undefined) overrides.port = Number(o.port);
      if (o.publicUrl !== undefined) overrides.publicUrl = o.publicUrl;
      if (o.origin !== undefined) overrides.allowedOrigins = o.origin;
      if (o.links === false) overrides.printLinks = false;
      if (o.logLevel !== undefined) overrides.logLevel = o.logLevel;
      if (o.verifyThreads !== undefined)
        overrides.verifyThreads = o.verifyThreads === 'auto' ? 'auto' : Number(o.verifyThreads);
      const config = loadConfig(overrides, process.env, FLAGS);
      if (o.check !== undefined && o.check !== 'full')
        throw new HotlineError('BAD_REQUEST', `--check takes "full", not "${o.check}".`);
      const file = dataFilePath(config.dataDir);
      if (o.check === 'full' && !config.store && existsSync(file)) {
        const started = performance.now();
        try {
          checkDataFile(file, 'full');
        } catch (err) {
          refuseCorrupt(err);
        }
        diag(`integrity_check of ${file}: ok (${Math.round(performance.now() - started)} ms)`);
      }
      const running = await startRelay(config).catch(refuseCorrupt);
      out(color.bold(`Hotline relay on ${running.url}  (data: ${config.dataDir})`));
      if (running.newTrainerSecret) {
        out('');
        out(color.yellow('Trainer secret (shown once; stored only as a hash):'));
        out(`  ${running.newTrainerSecret}`);
        // Printed (stdout to a pipe or terminal is written synchronously): later starts keep this secret.
        await trainerSecretShown(running.store);
      }
      if (config.printLinks && (await running.store.getExercise(DEFAULT_EXERCISE.id))) {
        out('');
        out(
          `Enrolment links for exercise "${DEFAULT_EXERCISE.id}" (one use each, valid ${Math.round(config.enrolmentTtlSeconds / 60)} min):`,
        );
        for (const station of DEFAULT_EXERCISE.stations) {
          const issued = await running.exercises.issueCode(DEFAULT_EXERCISE.id, station.id, config.enrolmentTtlSeconds);
          out(`  ${station.id.padEnd(11)} ${issued.link}`);
        }
        out('');
        out(`Terminal console: hotline console --link '<link>' --operator '<your name>'`);
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.log.info({ signal }, 'stopping: no new items, flushing, closing consoles with 1001');
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
