// The only reader of process.env. Options start from DEFAULTS, take the environment, then explicit
// overrides (CLI flags, tests), and are validated once at start-up.
import path from 'node:path';
import { HotlineError } from '../shared/errors.js';

export interface Config {
  dataDir: string;
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
  enrolmentTtlSeconds: number;
  tokenTtlSeconds: number;
  /** The largest commit batch; more waits for the next turn. */
  maxBatch: number;
  logLevel: string;
  logPretty: boolean;
  /** Print fresh enrolment links for the default exercise at start. */
  printLinks: boolean;
}

export const DEFAULTS: Readonly<Config> = {
  dataDir: './data',
  host: '127.0.0.1',
  port: 8080,
  publicUrl: '',
  allowedOrigins: [],
  helloTimeoutMs: 5_000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  enrolmentTtlSeconds: 15 * 60,
  tokenTtlSeconds: 60 * 60,
  maxBatch: 1_000,
  logLevel: 'info',
  logPretty: false,
  printLinks: true,
};

/** Environment variable for each option (documented in docs/operations.md). */
export const ENV_NAMES: Readonly<Record<keyof Config, string>> = {
  dataDir: 'HOTLINE_DATA_DIR',
  host: 'HOTLINE_HOST',
  port: 'HOTLINE_PORT',
  publicUrl: 'HOTLINE_PUBLIC_URL',
  allowedOrigins: 'HOTLINE_ALLOWED_ORIGINS',
  helloTimeoutMs: 'HOTLINE_HELLO_TIMEOUT_MS',
  heartbeatMs: 'HOTLINE_HEARTBEAT_MS',
  maxBufferedBytes: 'HOTLINE_MAX_BUFFERED_BYTES',
  enrolmentTtlSeconds: 'HOTLINE_ENROLMENT_TTL_SECONDS',
  tokenTtlSeconds: 'HOTLINE_TOKEN_TTL_SECONDS',
  maxBatch: 'HOTLINE_MAX_BATCH',
  logLevel: 'HOTLINE_LOG_LEVEL',
  logPretty: 'HOTLINE_LOG_PRETTY',
  printLinks: 'HOTLINE_PRINT_LINKS',
};

function fail(name: string, why: string): never {
  throw new HotlineError('BAD_REQUEST', `Configuration ${name}: ${why}`);
}

function coerce(key: keyof Config, raw: string | number | boolean | string[]): Config[keyof Config] {
  const sample = DEFAULTS[key];
  if (Array.isArray(sample)) {
    return Array.isArray(raw) ? raw : String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (typeof sample === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isInteger(n) || n < 0) fail(key, `expected a whole number, got ${JSON.stringify(raw)}`);
    return n;
  }
  if (typeof sample === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (['1', 'true', 'yes'].includes(String(raw))) return true;
    if (['0', 'false', 'no'].includes(String(raw))) return false;
    fail(key, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  return String(raw);
}

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = { ...DEFAULTS, logPretty: Boolean(process.stderr.isTTY) };
  const target = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const fromEnv = env[ENV_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== '') target[key] = coerce(key, fromEnv);
    const given = overrides[key];
    if (given !== undefined) target[key] = coerce(key, given);
  }
  if (config.port > 65535) fail('port', 'must be at most 65535');
  if (config.helloTimeoutMs < 100) fail('helloTimeoutMs', 'must be at least 100');
  if (config.maxBatch < 1) fail('maxBatch', 'must be at least 1');
  config.dataDir = path.resolve(config.dataDir);
  if (config.publicUrl) {
    try {
      config.publicUrl = new URL(config.publicUrl).origin;
    } catch {
      fail('publicUrl', 'is not a URL');
    }
  }
  return config;
}

/** Environment-only settings used by CLI client commands (never the relay). */
export function clientEnv(env: NodeJS.ProcessEnv = process.env): { url?: string; trainerSecret?: string; noColor: boolean } {
  const out: { url?: string; trainerSecret?: string; noColor: boolean } = { noColor: Boolean(env['NO_COLOR']) };
  if (env['HOTLINE_URL']) out.url = env['HOTLINE_URL'];
  if (env['HOTLINE_TRAINER_SECRET']) out.trainerSecret = env['HOTLINE_TRAINER_SECRET'];
  return out;
}
