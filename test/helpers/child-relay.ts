// Relays in child processes for the fault suites (corrupt store, SIGSTOP, kill -9 trials, failover): each
// started from the TypeScript sources through tsx (test/fixtures/child-relay.ts), on its data directory or
// on a shared PostgreSQL, talked to over HTTP like any client, and stopped by its own pid. Also the CLI
// from its sources, for refusals at start.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processEntry } from '../../server/module-launcher.js';
import type { RelayLike } from './raw-console.js';
import { rawApi } from './relay.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = processEntry(new URL('../fixtures/child-relay.ts', import.meta.url));
const CLI = processEntry(new URL('../../cli/main.ts', import.meta.url));

export interface ChildRelay extends RelayLike {
  proc: ChildProcess;
  port: number;
  secret: string;
  /** The pid the child reported in its first line (its own `process.pid`). */
  pid: number;
  stderr: string[];
  exited: Promise<void>;
  trainerToken(): Promise<string>;
}

/** Several relays of one log: one database, one key file, one trainer secret. */
export interface ChildRelayOptions {
  /** A postgres:// URL; empty or absent: the SQLite file in the data directory. */
  store?: string;
  relayKeyFile?: string;
  /** The secret another relay of the database printed: this one reports it instead of making its own
   * (a reset would end the other's). Ignored when this relay is the one that makes the first secret. */
  trainerSecret?: string;
}

export function alive(proc: ChildProcess): boolean {
  return proc.exitCode === null && proc.signalCode === null;
}

function exitOf(proc: ChildProcess): Promise<void> {
  return alive(proc) ? new Promise((resolve) => proc.once('exit', () => resolve())) : Promise.resolve();
}

/** Every child a test started, so afterEach can stop the ones still running, each by its own pid. */
const children = new Set<ChildProcess>();

export async function killChildren(): Promise<void> {
  for (const proc of children) {
    if (alive(proc) && proc.pid !== undefined) {
      const gone = exitOf(proc);
      process.kill(proc.pid, 'SIGCONT'); // A stopped process takes SIGKILL too, but say it plainly.
      process.kill(proc.pid, 'SIGKILL');
      await gone;
    }
  }
  children.clear();
}

/** Starts a relay over `dataDir` (port 0: a free one) and waits for the line that says where it listens. */
export async function spawnRelay(dataDir: string, port = 0, options: ChildRelayOptions = {}): Promise<ChildRelay> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Set or cleared: a variable left in the parent's environment must not choose another store.
  for (const [name, value] of [
    ['CHILD_RELAY_STORE', options.store],
    ['CHILD_RELAY_KEY_FILE', options.relayKeyFile],
    ['CHILD_RELAY_TRAINER_SECRET', options.trainerSecret],
  ] as const) {
    if (value) env[name] = value;
    else delete env[name];
  }
  const proc = spawn(process.execPath, [...CHILD.execArgv, CHILD.script, dataDir, String(port)], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(proc);
  const exited = exitOf(proc);
  const stderr: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const lines = createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child relay did not start in time: ${stderr.join('')}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child relay exited (${code ?? signal}) before it started: ${stderr.join('')}`));
    });
  });
  const info = JSON.parse(first) as { url: string; port: number; pid: number; secret: string };
  const api: RelayLike['api'] = (method, route, body, token) => rawApi(info.url, method, route, body, token);
  const trainerToken = async () => {
    const res = await api<{ token: string }>('POST', '/v1/auth/token', { secret: info.secret });
    if (res.status !== 200) throw new Error(`trainer token: ${res.status}`);
    return res.body.token;
  };
  return {
    proc,
    url: info.url,
    port: info.port,
    secret: info.secret,
    pid: info.pid,
    stderr,
    exited,
    api,
    trainerToken,
    async issueCode(station: string, exercise = 'dtl') {
      const res = await api<{ code: string }>(
        'POST',
        `/v1/exercises/${exercise}/enrolment-codes`,
        { station, ttlSeconds: 600 },
        await trainerToken(),
      );
      if (res.status !== 201) throw new Error(`issue code: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.code;
    },
  };
}

/** Runs `hotline ARGS` from the CLI's sources to its end; the exit code and both outputs. */
export async function runCli(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [...CLI.execArgv, CLI.script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hotline ${args.join(' ')} still running: ${stderr}`)), timeoutMs);
    proc.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}
