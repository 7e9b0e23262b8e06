// Composition root: opens the data directory, the store and the relay key, then serves HTTP and WebSocket.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Duplex } from 'node:stream';
import { ERRORS, HotlineError } from '../shared/errors.js';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { DEFAULT_EXERCISE, Exercises } from './exercises.js';
import { createHttpApp } from './http.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { Relay } from './relay.js';
import { ExerciseRunner } from './exercise-runner.js';
import { RelayKey } from './relay-key.js';
import { openPgStore, redactUrl } from './store/postgres-open.js';
import { openSqliteStore } from './store/sqlite.js';
import { dataFilePath } from './store/sqlite-check.js';
import { ThreadedSqliteStore } from './store/threaded-sqlite.js';
import type { Store } from './store/types.js';
import { ensureTrainerSecret } from './trainer-secret.js';
import { poolSize, VerifyPool } from './verify-pool.js';
import { attachWebSocket, refuse } from './ws.js';

export interface RunningRelay {
  url: string;
  port: number;
  config: Config;
  relay: Relay;
  exercises: Exercises;
  /** The exercise runner: lifecycle, injects, and the line's procedures (their answers in flight too). */
  runner: ExerciseRunner;
  /** The parts the relay was composed of, for the CLI, the load generator and tests that reach beside it. */
  store: Store;
  key: RelayKey;
  log: Logger;
  server: Server;
  /** Only on the very first start: the trainer secret, to show once. */
  newTrainerSecret: string | undefined;
  /** True when this start created the default exercise. */
  createdDefault: boolean;
  close(): Promise<void>;
}

function defaultOrigins(url: string, host: string, port: number): string[] {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
  return loopback ? [...new Set([url, `http://127.0.0.1:${port}`, `http://localhost:${port}`])] : [url];
}

/** `store` replaces the configured store (the benchmark's volatile floor); `hotline serve` never passes one.
 * Otherwise config.store selects it: the SQLite file in the data directory, or PostgreSQL. */
export async function startRelay(config: Config, logger?: Logger, store?: Store): Promise<RunningRelay> {
  const log = logger ?? createLogger(config.logLevel, config.logPretty);
  // Listen first: a start that cannot have its port must stop before it makes anything (data directory,
  // relay key, trainer secret) that a later start would take as already made and shown.
  const server = await listen(config);
  const serve = refuseWhileStarting(server);
  let opened: Store | undefined;
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const file = dataFilePath(config.dataDir);
    if (!store && config.store) log.info({ store: redactUrl(config.store) }, 'opening the PostgreSQL store');
    opened =
      store ??
      (config.store
        ? await openPgStore(config.store)
        : config.writerThread
          ? await ThreadedSqliteStore.open(file)
          : openSqliteStore(file));
    return await compose(config, log, server, opened, serve);
  } catch (err) {
    server.close();
    if (opened && !store) await opened.close().catch(() => undefined);
    throw err;
  }
}

function listen(config: Config): Promise<Server> {
  const server = createServer();
  return new Promise<Server>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err);
      const where = `port ${config.port} on ${config.host}`;
      reject(new Error(`${where} is in use: stop what holds it, or choose another with --port or HOTLINE_PORT.`));
    });
    server.listen(config.port, config.host, () => resolve(server));
  });
}

/**
 * Between listening and serving, the port is held but nothing can answer yet: every request and upgrade
 * gets 503 STORE_UNAVAILABLE at once, so a console reconnecting to a restarting relay backs off and tries
 * again instead of waiting on a connection that nobody would ever answer. Returns the switch to serving.
 */
function refuseWhileStarting(server: Server): () => void {
  const message = 'The relay is starting: its log store is not open yet. Try again shortly.';
  const onRequest = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(ERRORS.STORE_UNAVAILABLE.http, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ code: 'STORE_UNAVAILABLE', message }));
  };
  const onUpgrade = (_req: IncomingMessage, socket: Duplex) => refuse(socket, 'STORE_UNAVAILABLE', message);
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
  };
}

async function compose(
  config: Config,
  log: Logger,
  server: Server,
  store: Store,
  serve: () => void,
): Promise<RunningRelay> {
  const { key, created } = await RelayKey.loadOrCreate(config.relayKeyFile);
  if (created) log.info({ kid: key.kid, file: config.relayKeyFile }, 'relay key created');
  await key.claim(store, config.relayKeyFile);
  const newTrainerSecret = await ensureTrainerSecret(store);
  const metrics = new Metrics();
  // The runner appends through the relay and the relay tells it what committed: each is given the other late.
  const runner: ExerciseRunner = new ExerciseRunner({
    store,
    log,
    now: Date.now,
    append: (req) => relay.append(req),
    caughtUp: (id) => relay.caughtUp(id),
    exercise: (id) => relay.exercise(id),
  });
  const threads = poolSize(config.verifyThreads, availableParallelism());
  const verifyPool = threads > 0 ? new VerifyPool({ threads, log }) : undefined;
  const relay: Relay = new Relay({
    store,
    key,
    metrics,
    log,
    now: Date.now,
    options: config,
    runs: runner,
    ...(verifyPool ? { crypto: verifyPool } : {}),
  });
  // Follow the log before the runner reads it: a commit of another relay in between is then handed on.
  await relay.follow();
  await runner.start();

  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = config.publicUrl || `http://${hostForUrl}:${port}`;
  const origins = config.allowedOrigins.length > 0 ? config.allowedOrigins : defaultOrigins(url, config.host, port);
  const exercises = new Exercises({ relay, store, key, publicUrl: url, relayUrls: config.relayUrls, runner });
  const app = createHttpApp({
    relay,
    exercises,
    runner,
    store,
    key,
    metrics,
    log,
    tokenTtlSeconds: config.tokenTtlSeconds,
    enrolmentTtlSeconds: config.enrolmentTtlSeconds,
    authFailuresPerMinute: config.authFailuresPerMinute,
  });
  serve();
  server.on('request', app);
  const ws = attachWebSocket(server, {
    relay,
    metrics,
    log,
    allowedOrigins: origins,
    heartbeatMs: config.heartbeatMs,
    maxBufferedBytes: config.maxBufferedBytes,
    limits: { maxPending: config.maxPendingHellos, maxPerAddress: config.maxSocketsPerAddress },
  });

  let createdDefault = false;
  if ((await store.listExercises()).length === 0) {
    // Another relay starting on the same database may make it first: then it is made.
    createdDefault = await exercises.create(DEFAULT_EXERCISE).then(
      () => true,
      (err: unknown) => {
        if (err instanceof HotlineError && err.code === 'EXERCISE_EXISTS')
          return relay.caughtUp(DEFAULT_EXERCISE.id).then(() => false);
        throw err;
      },
    );
  }
  log.info({ url, dataDir: config.dataDir, origins, verifyThreads: threads }, 'relay listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      runner.close();
      await relay.close();
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await verifyPool?.close();
      await store.close();
      log.info('relay stopped');
    })());
  return {
    url,
    port,
    config,
    relay,
    exercises,
    runner,
    store,
    key,
    log,
    server,
    newTrainerSecret,
    createdDefault,
    close,
  };
}
