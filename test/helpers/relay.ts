// Test fixtures: a real relay on 127.0.0.1 port 0 over a real SQLite file in a fresh temp directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startRelay, type RunningRelay } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { HotlineClient, type ClientOptions } from '../../client/client.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { MemoryStorage, type ClientStorage } from '../../client/storage.js';
import { nodeSocket } from '../../client/node/ws-socket.js';

export function tempDir(prefix = 'hotline-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A raw request, for tests of the wire itself: the status and the body, parsed if it is JSON (the export
 * and the metrics are not: their raw text), whatever the status. A string body is sent as it is. */
export async function rawApi<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (export, metrics): the raw text.
  }
  return { status: res.status, body: parsed as T };
}

export interface TestRelay extends RunningRelay {
  dataDir: string;
  /** The trainer API client, signed in with the relay's secret (a fresh one if it was printed earlier). */
  trainer(): Promise<TrainerApi>;
  trainerToken(): Promise<string>;
  /** A raw request, for tests of the wire itself: the status and the parsed body, whatever the status. */
  api<T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>;
  issueCode(station: string, exercise?: string, ttlSeconds?: number): Promise<string>;
  cleanup(): Promise<void>;
}

export async function startTestRelay(overrides: Partial<Config> = {}, dataDir = tempDir()): Promise<TestRelay> {
  const config = loadConfig(
    { dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', printLinks: false, ...overrides },
    {},
  );
  const running = await startRelay(config, pino({ level: 'silent' }));
  let trainer: TrainerApi | undefined;
  const api: TestRelay['api'] = (method, url, body, auth) => rawApi(running.url, method, url, body, auth);
  const relay: TestRelay = {
    ...running,
    dataDir,
    api,
    async trainer() {
      if (!trainer) {
        let secret = running.newTrainerSecret;
        if (!secret) {
          const { resetTrainerSecret } = await import('../../server/trainer-secret.js');
          secret = await resetTrainerSecret(running.store);
        }
        trainer = new TrainerApi(running.url, { secret });
      }
      return trainer;
    },
    async trainerToken() {
      return (await relay.trainer()).token();
    },
    async issueCode(station, exercise = 'dtl', ttlSeconds = 600) {
      return (await (await relay.trainer()).issueCode(exercise, station, ttlSeconds)).code;
    },
    async cleanup() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return relay;
}

export interface EnrolledClient {
  client: HotlineClient;
  storage: ClientStorage;
}

export async function enrolClient(
  relay: { url: string; issueCode(station: string, exercise?: string): Promise<string> },
  station: string,
  options: Partial<ClientOptions> = {},
  exercise = 'dtl',
): Promise<HotlineClient> {
  const code = await relay.issueCode(station, exercise);
  const storage = options.storage ?? new MemoryStorage();
  return HotlineClient.enrol(
    { url: relay.url, code, operator: `${station} operator`, extractable: true },
    { storage, socket: nodeSocket(), backoff: { baseMs: 20, maxMs: 200 }, ...options },
  );
}

/** Polls until the check passes or the time runs out (no fixed sleeps in tests). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Enrols and starts a Beijing and a Washington console on the default exercise. */
export async function startPair(relay: TestRelay): Promise<{ beijing: HotlineClient; washington: HotlineClient }> {
  const beijing = await enrolClient(relay, 'beijing');
  const washington = await enrolClient(relay, 'washington');
  beijing.start();
  washington.start();
  return { beijing, washington };
}
