// The relay under test in its own process, so its CPU and memory are measured apart from the generator's.
// Started by target.ts with an IPC channel (built, relay-child.js; from the sources, relay-child.ts through
// tsx, as server/module-launcher.ts starts it): `relay-child relay DATA_DIR [volatile]` (the real relay on a
// SQLite file in DATA_DIR; `--store URL --relay-key-file FILE` puts it on PostgreSQL, one of several relays
// sharing that key, and `--keep-secret` leaves the trainer secret another relay made alone) or
// `relay-child bare [FAULT]` (the bare relay). It answers `stats` (CPU time of all its
// threads, memory, optionally after a full GC), `profile` (the V8 CPU profiler, the one behind --cpu-prof,
// for just the measurement window) and `shutdown`. It exits when the parent goes away.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { startRelay } from '../server/app.js';
import { MemoryStore } from '../server/store/memory.js';
import { loadConfig } from '../server/config.js';
import { resetTrainerSecret } from '../server/trainer-secret.js';
import { startBareRelay, type BareFault } from './bare-relay.js';

export type ChildRequest =
  | { type: 'stats'; id: number; gc?: boolean }
  | { type: 'profile'; id: number; action: 'start' | 'stop'; file?: string; intervalUs?: number }
  | { type: 'shutdown'; id: number };

export interface ChildStats {
  /** process.cpuUsage(): user and system µs of every thread of the process. */
  cpu: { user: number; system: number };
  memory: NodeJS.MemoryUsage;
  /** Date.now() when measured. */
  at: number;
}

export type ChildMessage =
  | { type: 'ready'; url: string; pid: number; secret: string | null }
  | { type: 'stats'; id: number; stats: ChildStats }
  | { type: 'profile'; id: number; file: string | null }
  | { type: 'shutdown'; id: number }
  | { type: 'failed'; message: string };

const send = (m: ChildMessage) => process.send?.(m);

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { store: { type: 'string' }, 'relay-key-file': { type: 'string' }, 'keep-secret': { type: 'boolean' } },
  });
  const [kind, arg, storeKind] = positionals;
  let close: () => Promise<void>;
  if (kind === 'relay') {
    if (!arg) throw new Error('usage: relay-child.js relay DATA_DIR [volatile] [--store URL --relay-key-file FILE]');
    // HOTLINE_* settings still apply (e.g. HOTLINE_MAX_BATCH), except where the relay listens and logs.
    const config = loadConfig({
      dataDir: arg,
      port: 0,
      host: '127.0.0.1',
      logPretty: false,
      printLinks: false,
      logLevel: 'warn',
      // Every bench console connects from 127.0.0.1, hundreds at once: the per-address and pending-hello
      // caps, made for hostile clients, would refuse the load generator itself.
      maxSocketsPerAddress: 0,
      maxPendingHellos: 0,
      // The store is what the bench asked for, whatever HOTLINE_STORE says: empty is SQLite in DATA_DIR.
      store: values.store ?? '',
      ...(values['relay-key-file'] ? { relayKeyFile: values['relay-key-file'] } : {}),
    });
    const running = await startRelay(config, undefined, storeKind === 'volatile' ? new MemoryStore() : undefined);
    // A second relay on the same database must not reset the secret: that would void the first relay's.
    const secret = running.newTrainerSecret ?? (values['keep-secret'] ? null : await resetTrainerSecret(running.store));
    close = () => running.close();
    send({ type: 'ready', url: running.url, pid: process.pid, secret });
  } else if (kind === 'bare') {
    const bare = await startBareRelay(arg ? { fault: arg as BareFault } : {});
    close = () => bare.close();
    send({ type: 'ready', url: bare.url, pid: process.pid, secret: null });
  } else {
    throw new Error(`unknown relay kind ${String(kind)}`);
  }

  let session: Session | undefined;
  process.on('message', (raw) => {
    const req = raw as ChildRequest;
    void (async () => {
      if (req.type === 'stats') {
        if (req.gc && typeof globalThis.gc === 'function') globalThis.gc();
        send({
          type: 'stats',
          id: req.id,
          stats: { cpu: process.cpuUsage(), memory: process.memoryUsage(), at: Date.now() },
        });
      } else if (req.type === 'profile' && req.action === 'start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: req.intervalUs ?? 500 });
        await session.post('Profiler.start');
        send({ type: 'profile', id: req.id, file: null });
      } else if (req.type === 'profile' && req.action === 'stop') {
        let file: string | null = null;
        if (session && req.file) {
          const { profile } = await session.post('Profiler.stop');
          writeFileSync(req.file, JSON.stringify(profile));
          session.disconnect();
          session = undefined;
          file = req.file;
        }
        send({ type: 'profile', id: req.id, file });
      } else if (req.type === 'shutdown') {
        await close().catch(() => undefined);
        send({ type: 'shutdown', id: req.id });
        process.disconnect?.();
        process.exit(0);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.stderr.write(`relay child failed: ${String(err)}\n`);
  process.exit(1);
});
