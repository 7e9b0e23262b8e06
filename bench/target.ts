// What a run is aimed at: a relay child process the bench starts (real relay on a temporary data directory,
// or the bare relay), or a relay already running at a URL. A child reports its own CPU and memory over IPC;
// a remote relay cannot, so its resource figures are left out of the report.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { processEntry, siblingModule } from '../server/module-launcher.js';
import type { BareFault } from './bare-relay.js';
import type { ChildMessage, ChildRequest, ChildStats } from './relay-child.js';
import type { GroupInfo } from './group-types.js';

/** A started relay's store: SQLite, volatile memory (the crypto floor) or PostgreSQL. */
export type StoreKind = 'sqlite' | 'volatile' | 'postgres';

/** Where one pair's two consoles connect (several relays: each to its own relay). */
export interface Placement {
  sender: string;
  receiver: string;
}

export interface Target {
  kind: 'relay' | 'bare' | 'remote';
  url: string;
  /** A started relay's store; null for the bare relay and a remote one. */
  store: StoreKind | null;
  /** Several relays (relay-group.ts): which relay each pair's consoles use; absent, both use `url`. */
  place?: (pair: number) => Placement;
  /** Several relays on PostgreSQL: how many, where the consoles go, and the run's database. */
  group?: GroupInfo;
  /** The trainer secret of a relay the bench started (null for bare; the caller's own for remote). */
  secret: string | null;
  /** The relay process id when the bench started it. */
  pid: number | null;
  stats(gc?: boolean): Promise<ChildStats | null>;
  profile(action: 'start' | 'stop', file?: string): Promise<string | null>;
  /** Prometheus text of /metrics, or null (bare relay). */
  metrics(): Promise<string | null>;
  close(): Promise<void>;
  /** The child's last stderr lines, for diagnostics. */
  stderr(): string;
}

/** This build's relay child: relay-child.ts from the sources (through tsx), built the relay-child.js beside this. */
const CHILD = siblingModule(import.meta.url, 'relay-child');

/** Another build's child script: bench/ today, server/bench/ in builds before the layout change. */
function builtChild(dist: string): string {
  const current = path.resolve(dist, 'bench/relay-child.js');
  return existsSync(current) ? current : path.resolve(dist, 'server/bench/relay-child.js');
}

async function fetchMetrics(url: string): Promise<string | null> {
  try {
    const res = await fetch(new URL('/metrics', url));
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}

/** A request without its id (the id is added when it is sent). */
type RequestBody = ChildRequest extends infer R ? (R extends ChildRequest ? Omit<R, 'id'> : never) : never;

export interface ChildOptions {
  kind: 'relay' | 'bare';
  /** The relay's store: SQLite (default), or volatile memory to measure the relay without storage. */
  store?: 'sqlite' | 'volatile';
  /** PostgreSQL instead (overrides `store`): the database URL and the key file every relay of it shares. */
  postgres?: { url: string; relayKeyFile: string; keepSecret: boolean };
  fault?: BareFault;
  /** Extra node options for the child (e.g. --cpu-prof). */
  nodeOptions?: string[];
  /** Another build's dist/ directory: its relay runs under this bench (an earlier commit, say). */
  relayBuild?: string;
}

export async function startChild(options: ChildOptions): Promise<Target> {
  const dataDir = options.kind === 'relay' ? mkdtempSync(path.join(tmpdir(), 'hotline-bench-')) : undefined;
  const args =
    options.kind === 'relay'
      ? ['relay', dataDir!, ...(options.store === 'volatile' && !options.postgres ? ['volatile'] : [])]
      : ['bare', ...(options.fault ? [options.fault] : [])];
  if (options.postgres) {
    const pg = options.postgres;
    args.push('--store', pg.url, '--relay-key-file', pg.relayKeyFile, ...(pg.keepSecret ? ['--keep-secret'] : []));
  }
  const entry = processEntry(options.relayBuild ? pathToFileURL(builtChild(options.relayBuild)) : CHILD);
  if (!existsSync(entry.script)) {
    const hint = options.relayBuild ? ': --relay-build names a built dist/ directory' : '';
    throw new Error(`cannot find ${entry.script}${hint}`);
  }
  const child: ChildProcess = fork(entry.script, args, {
    execArgv: [...entry.execArgv, '--expose-gc', ...(options.nodeOptions ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-8000);
  });
  let nextId = 1;
  const waiting = new Map<number, (m: ChildMessage) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`relay child exited (${String(code)}) before it was ready: ${err.trim()}`)),
    );
    child.on('message', (raw) => {
      const m = raw as ChildMessage;
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'failed') reject(new Error(`relay child failed: ${m.message}`));
      else waiting.get(m.id)?.(m);
    });
  });
  const request = <T extends ChildMessage>(req: RequestBody, timeoutMs = 30_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`relay child did not answer ${req.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(m as T);
      });
      child.send({ ...req, id } as ChildRequest);
    });

  let info;
  try {
    info = await ready;
  } catch (e) {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    kind: options.kind,
    url: info.url,
    store: options.kind === 'relay' ? (options.postgres ? 'postgres' : (options.store ?? 'sqlite')) : null,
    secret: info.secret,
    pid: info.pid,
    stats: async (gc) =>
      (await request<Extract<ChildMessage, { type: 'stats' }>>({ type: 'stats', gc: gc ?? false })).stats,
    profile: async (action, file) =>
      (
        await request<Extract<ChildMessage, { type: 'profile' }>>(
          { type: 'profile', action, ...(file ? { file } : {}) },
          120_000,
        )
      ).file,
    metrics: () => (options.kind === 'relay' ? fetchMetrics(info.url) : Promise.resolve(null)),
    stderr: () => err,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        await request({ type: 'shutdown' }, 10_000).catch(() => undefined);
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killTimer);
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A relay somebody else runs: only its URL and /metrics. */
export function remoteTarget(url: string, secret: string): Target {
  return {
    kind: 'remote',
    url: new URL(url).origin,
    store: null,
    secret,
    pid: null,
    stats: () => Promise.resolve(null),
    profile: () => Promise.resolve(null),
    metrics: () => fetchMetrics(url),
    stderr: () => '',
    close: () => Promise.resolve(),
  };
}
