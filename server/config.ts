// The only reader of process.env. Options start from DEFAULTS, take the environment, then explicit
// overrides (CLI flags, tests), and are validated once at start-up.
import path from 'node:path';
import { HotlineError } from '../shared/errors.js';

export interface Config {
  dataDir: string;
  /** The log store: empty for the embedded SQLite file in dataDir, or a postgres:// URL (store/postgres.ts). */
  store: string;
  /** The relay's Ed25519 key (relay-key.ts); `<dataDir>/relay-key.jwk` when empty. Every relay of one log
   * must be given the same file: consoles and `verify` know the log's relay by this key. */
  relayKeyFile: string;
  /** The public URLs of every relay serving this log (this one too), handed to consoles as the relays to
   * fail over to; empty: only the public URL. */
  relayUrls: string[];
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The URL consoles and links use; derived from host and port when empty. */
  publicUrl: string;
  /** Origins allowed to open a console WebSocket; the public URL's origin when empty. */
  allowedOrigins: string[];
  helloTimeoutMs: number;
  heartbeatMs: number;
  /** A socket whose unsent bytes exceed this is dropped and must resume from the log. */
  maxBufferedBytes: number;
  /** How long a socket over that bound may take to drain before it is dropped (SLOW_CONSUMER). */
  slowConsumerGraceMs: number;
  /** Sockets that have not finished their hello (or observe), over all addresses (0: no limit). */
  maxPendingHellos: number;
  /** Open sockets from one remote address (0: no limit). */
  maxSocketsPerAddress: number;
  /** Failed token or enrolment requests allowed per remote address and minute, for each of the two routes. */
  authFailuresPerMinute: number;
  enrolmentTtlSeconds: number;
  tokenTtlSeconds: number;
  /** The largest commit batch; more waits for the next turn. */
  maxBatch: number;
  /** Under load only: how long the next commit waits for more items to join it (0: never waits). */
  commitWindowMs: number;
  /** Commit on a worker thread, so fsyncs do not stall the event loop (false: on the main thread). */
  writerThread: boolean;
  /** Worker threads that check signatures (verify-pool.ts): `auto` sizes the pool by the cores, 0 checks inline. */
  verifyThreads: 'auto' | number;
  logLevel: string;
  logPretty: boolean;
  /** Print fresh enrolment links for the default exercise at start. */
  printLinks: boolean;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export const DEFAULTS: Readonly<Config> = {
  dataDir: './data',
  store: '',
  relayKeyFile: '',
  relayUrls: [],
  host: '127.0.0.1',
  port: 8080,
  publicUrl: '',
  allowedOrigins: [],
  helloTimeoutMs: 5_000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  slowConsumerGraceMs: 10_000,
  maxPendingHellos: 256,
  maxSocketsPerAddress: 32,
  authFailuresPerMinute: 10,
  enrolmentTtlSeconds: 15 * 60,
  tokenTtlSeconds: 60 * 60,
  maxBatch: 1_000,
  commitWindowMs: 4,
  writerThread: true,
  verifyThreads: 'auto',
  logLevel: 'info',
  logPretty: false,
  printLinks: true,
};

/** Environment variable for each option (documented in docs/operations.md). */
export const ENV_NAMES: Readonly<Record<keyof Config, string>> = {
  dataDir: 'HOTLINE_DATA_DIR',
  store: 'HOTLINE_STORE',
  relayKeyFile: 'HOTLINE_RELAY_KEY_FILE',
  relayUrls: 'HOTLINE_RELAY_URLS',
  host: 'HOTLINE_HOST',
  port: 'HOTLINE_PORT',
  publicUrl: 'HOTLINE_PUBLIC_URL',
  allowedOrigins: 'HOTLINE_ALLOWED_ORIGINS',
  helloTimeoutMs: 'HOTLINE_HELLO_TIMEOUT_MS',
  heartbeatMs: 'HOTLINE_HEARTBEAT_MS',
  maxBufferedBytes: 'HOTLINE_MAX_BUFFERED_BYTES',
  slowConsumerGraceMs: 'HOTLINE_SLOW_CONSUMER_GRACE_MS',
  maxPendingHellos: 'HOTLINE_MAX_PENDING_HELLOS',
  maxSocketsPerAddress: 'HOTLINE_MAX_SOCKETS_PER_ADDRESS',
  authFailuresPerMinute: 'HOTLINE_AUTH_FAILURES_PER_MINUTE',
  enrolmentTtlSeconds: 'HOTLINE_ENROLMENT_TTL_SECONDS',
  tokenTtlSeconds: 'HOTLINE_TOKEN_TTL_SECONDS',
  maxBatch: 'HOTLINE_MAX_BATCH',
  commitWindowMs: 'HOTLINE_COMMIT_WINDOW_MS',
  writerThread: 'HOTLINE_WRITER_THREAD',
  verifyThreads: 'HOTLINE_VERIFY_THREADS',
  logLevel: 'HOTLINE_LOG_LEVEL',
  logPretty: 'HOTLINE_LOG_PRETTY',
  printLinks: 'HOTLINE_PRINT_LINKS',
};

/** `name` is what the user set: the environment variable, or the flag when one was given. */
function fail(name: string, why: string): never {
  throw new HotlineError('BAD_REQUEST', `${name}: ${why}`);
}

function wholeNumber(raw: string | number | boolean | string[], name: string): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(name, `expected a whole number, got ${JSON.stringify(raw)}`);
  return n;
}

function coerce(key: keyof Config, raw: string | number | boolean | string[], name: string): Config[keyof Config] {
  const sample = DEFAULTS[key];
  // `auto` or a whole number: the one option with a word for its default.
  if (key === 'verifyThreads') return String(raw) === 'auto' ? 'auto' : wholeNumber(raw, name);
  if (Array.isArray(sample)) {
    return Array.isArray(raw)
      ? raw
      : String(raw)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }
  if (typeof sample === 'number') return wholeNumber(raw, name);
  if (typeof sample === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (['1', 'true', 'yes'].includes(String(raw))) return true;
    if (['0', 'false', 'no'].includes(String(raw))) return false;
    fail(name, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  return String(raw);
}

/** An http(s) URL's origin: what a console connects to. */
function origin(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(name, `${JSON.stringify(raw)} is not http(s)`);
  return url.origin;
}

/** `flags` names the command-line flag behind each override, for error messages (`--port`). */
export function loadConfig(
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<keyof Config, string>> = {},
): Config {
  const config: Config = { ...DEFAULTS, logPretty: Boolean(process.stderr.isTTY) };
  const target = config as unknown as Record<string, unknown>;
  const names: Partial<Record<keyof Config, string>> = {};
  const nameOf = (key: keyof Config) => names[key] ?? ENV_NAMES[key];
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const fromEnv = env[ENV_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== '') target[key] = coerce(key, fromEnv, ENV_NAMES[key]);
    const given = overrides[key];
    if (given !== undefined) target[key] = coerce(key, given, (names[key] = flags[key] ?? ENV_NAMES[key]));
  }
  const range = (key: keyof Config, min: number, max: number) => {
    const v = config[key] as number;
    if (v < min || v > max) fail(nameOf(key), `must be between ${min} and ${max}, got ${v}`);
  };
  range('port', 0, 65535);
  range('helloTimeoutMs', 100, 60_000);
  range('heartbeatMs', 1_000, 3_600_000);
  range('maxBufferedBytes', 64 * 1024, 1024 * 1024 * 1024);
  range('slowConsumerGraceMs', 100, 600_000);
  range('maxPendingHellos', 0, 1_000_000);
  range('maxSocketsPerAddress', 0, 1_000_000);
  range('authFailuresPerMinute', 1, 100_000);
  range('enrolmentTtlSeconds', 30, 7 * 24 * 3600);
  range('tokenTtlSeconds', 60, 24 * 3600);
  range('maxBatch', 1, 100_000);
  range('commitWindowMs', 0, 50);
  if (config.verifyThreads !== 'auto') range('verifyThreads', 0, 64);
  if (!LOG_LEVELS.includes(config.logLevel)) fail(nameOf('logLevel'), `must be one of ${LOG_LEVELS.join(', ')}`);
  config.dataDir = path.resolve(config.dataDir);
  if (config.store && !/^postgres(ql)?:\/\/./.test(config.store))
    fail(nameOf('store'), 'must be empty (the SQLite file in the data directory) or a postgres:// URL');
  config.relayKeyFile = path.resolve(config.relayKeyFile || path.join(config.dataDir, 'relay-key.jwk'));
  if (config.publicUrl) config.publicUrl = origin(config.publicUrl, nameOf('publicUrl'));
  config.relayUrls = [...new Set(config.relayUrls.map((u) => origin(u, nameOf('relayUrls'))))];
  if (config.relayUrls.length > 8) fail(nameOf('relayUrls'), 'names more than 8 relays');
  return config;
}

/** Environment-only settings used by CLI client commands (never the relay). */
export function clientEnv(env: NodeJS.ProcessEnv = process.env): {
  url?: string;
  trainerSecret?: string;
  trainerName?: string;
  noColor: boolean;
} {
  const out: { url?: string; trainerSecret?: string; trainerName?: string; noColor: boolean } = {
    noColor: Boolean(env['NO_COLOR']),
  };
  if (env['HOTLINE_URL']) out.url = env['HOTLINE_URL'];
  if (env['HOTLINE_TRAINER_SECRET']) out.trainerSecret = env['HOTLINE_TRAINER_SECRET'];
  if (env['HOTLINE_TRAINER_NAME']) out.trainerName = env['HOTLINE_TRAINER_NAME'];
  return out;
}
