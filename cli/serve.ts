// `hotline serve`: the relay. First start makes the data directory, relay key, trainer secret and the
// default exercise; every start prints fresh one-time enrolment links for the default exercise.
import type { Command } from 'commander';
import { startRelay } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { DEFAULT_EXERCISE } from '../server/exercises.js';
import { color, out } from './terminal.js';

interface ServeOptions {
  data?: string;
  host?: string;
  port?: string;
  publicUrl?: string;
  origin?: string[];
  links?: boolean;
  logLevel?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the relay (HTTP API, WebSocket, consoles) on the embedded SQLite store')
    .option('-d, --data <dir>', 'data directory (database, relay key)', undefined)
    .option('--host <host>', 'address to listen on')
    .option('-p, --port <port>', 'port to listen on (0: any free port)')
    .option('--public-url <url>', 'URL that consoles use, when behind a proxy')
    .option('--origin <origin...>', 'origins allowed to open console WebSockets')
    .option('--no-links', 'do not print enrolment links at start')
    .option('--log-level <level>', 'pino level: trace, debug, info, warn, error, silent')
    .addHelpText(
      'after',
      `
Examples:
  $ hotline serve                          # ./data, http://127.0.0.1:8080
  $ hotline serve --data /var/lib/hotline --host 0.0.0.0 --public-url https://hotline.example
  $ HOTLINE_PORT=9000 hotline serve --no-links

On the first start the trainer secret is printed once: keep it, it is stored only as a hash.
Enrolment links carry their one-time code in the #fragment and expire (HOTLINE_ENROLMENT_TTL_SECONDS).`,
    )
    .action(async (o: ServeOptions) => {
      const overrides: Partial<Config> = {};
      if (o.data !== undefined) overrides.dataDir = o.data;
      if (o.host !== undefined) overrides.host = o.host;
      if (o.port !== undefined) overrides.port = Number(o.port);
      if (o.publicUrl !== undefined) overrides.publicUrl = o.publicUrl;
      if (o.origin !== undefined) overrides.allowedOrigins = o.origin;
      if (o.links === false) overrides.printLinks = false;
      if (o.logLevel !== undefined) overrides.logLevel = o.logLevel;
      const config = loadConfig(overrides);
      const running = await startRelay(config);
      out(color.bold(`Hotline relay on ${running.url}  (data: ${config.dataDir})`));
      if (running.newTrainerSecret) {
        out('');
        out(color.yellow('Trainer secret (shown once; stored only as a hash):'));
        out(`  ${running.newTrainerSecret}`);
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
