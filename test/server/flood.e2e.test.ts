// A client that floods the relay without reading what comes back, and clients that hold sockets open
// without saying hello: the relay's memory for them stays bounded and the excess is refused or dropped.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULTS } from '../../server/config.js';
import { processEntry } from '../../server/module-launcher.js';
import { SUBPROTOCOL } from '../../shared/protocol.js';
import { enrolKey, RawConsole, refusedUpgrade, wsUrl } from '../helpers/raw-console.js';
import { startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';

const CHILD = processEntry(new URL('../fixtures/child-relay.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MiB = 1024 * 1024;

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** Resident memory of a process, from /proc (Linux), in bytes. */
function rss(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) * 1024;
}

async function spawnRelay(): Promise<{ url: string; pid: number }> {
  const dataDir = tempDir();
  const proc: ChildProcess = spawn(process.execPath, [...CHILD.execArgv, CHILD.script, dataDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
      process.kill(proc.pid, 'SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  const stderr: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child relay did not start: ${stderr.join('')}`)), 15_000);
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  return JSON.parse(first) as { url: string; pid: number };
}

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const heapUsed = /^nodejs_heap_size_used_bytes (\d+)/m;
const slowConsumerDrops = /hotline_sockets_dropped_total\{reason="slow_consumer"\} (\d+)/;

describe('a client that sends pings and never reads', () => {
  it('is dropped as SLOW_CONSUMER before the hello timeout, and the relay memory stays bounded', async () => {
    const relay = await spawnRelay();
    // A first connection warms the relay's WebSocket path up, so the baseline includes it.
    const warm = await RawConsole.connect(relay);
    warm.close();
    await warm.waitForClose();
    const before = rss(relay.pid);
    const heapBefore = await metric(relay.url, heapUsed);

    const ws = new WebSocket(wsUrl(relay), [SUBPROTOCOL]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => undefined);
    // Never read: what the relay sends backs up in the kernel, then in the relay's own buffer.
    (ws as unknown as { _socket: Socket })._socket.pause();

    // Under the hello timeout (5 s): the drop below must come from the buffer bound, not from that.
    const deadline = Date.now() + 3_500;
    let sent = 0;
    let dropped = 0;
    let peak = before;
    while (Date.now() < deadline && sent < 3_000_000) {
      // Only while the relay takes them in: what it stops reading stays in this process.
      if (ws.bufferedAmount < 4 * MiB) {
        for (let i = 0; i < 2_000; i++) ws.send(`{"type":"ping","id":"p${sent++}"}`);
      }
      await new Promise((r) => setImmediate(r));
      if (sent % 10_000 < 2_000) {
        peak = Math.max(peak, rss(relay.pid));
        dropped = await metric(relay.url, slowConsumerDrops);
        if (dropped > 0) break;
      }
    }
    // Not thrown at once if it never comes: the figures below are printed either way.
    await until(async () => (dropped = await metric(relay.url, slowConsumerDrops)) > 0, 3_000).catch(() => undefined);
    const after = rss(relay.pid);
    const heapAfter = await metric(relay.url, heapUsed);
    peak = Math.max(peak, after);
    ws.terminate();
    console.log(
      `ping flood: ${sent} pings sent; relay RSS before ${(before / MiB).toFixed(1)} MiB, ` +
        `peak ${(peak / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB ` +
        `(growth ${((after - before) / MiB).toFixed(1)} MiB, bound per socket ${(2 * DEFAULTS.maxBufferedBytes) / MiB} MiB); ` +
        `V8 heap used ${(heapBefore / MiB).toFixed(1)} -> ${(heapAfter / MiB).toFixed(1)} MiB`,
    );
    expect(dropped).toBe(1);
    expect(after - before).toBeLessThan(64 * MiB);
    expect(peak - before).toBeLessThan(64 * MiB);
  }, 30_000);
});

describe('connection caps', () => {
  let relay: TestRelay;
  const open: RawConsole[] = [];

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await relay.cleanup();
  });

  it('refuses sockets beyond the per-address cap with 429 TOO_MANY_CONNECTIONS until one closes', async () => {
    relay = await startTestRelay({ maxSocketsPerAddress: 3 });
    for (let i = 0; i < 3; i++) open.push(await RawConsole.connect(relay));
    const refused = await refusedUpgrade(relay);
    expect(refused).toEqual({
      status: 429,
      body: { code: 'TOO_MANY_CONNECTIONS', message: 'Too many open connections from this address.' },
    });
    const gone = open.shift()!;
    gone.close();
    await gone.waitForClose();
    let again: RawConsole | undefined;
    await until(
      async () => {
        again = await RawConsole.connect(relay).catch(() => undefined);
        return again !== undefined;
      },
      5_000,
      'a place freed',
    );
    open.push(again!);
  });

  it('refuses sockets beyond the cap on unfinished hellos with 503 TOO_MANY_HANDSHAKES; a hello frees a place', async () => {
    relay = await startTestRelay({ maxPendingHellos: 2, maxSocketsPerAddress: 10 });
    const key = await enrolKey(relay, 'beijing');
    const first = await RawConsole.connect(relay);
    open.push(first, await RawConsole.connect(relay));
    const refused = await refusedUpgrade(relay);
    expect(refused).toEqual({
      status: 503,
      body: { code: 'TOO_MANY_HANDSHAKES', message: 'Too many connections are waiting for their hello.' },
    });
    // A socket that has said hello no longer counts against the cap.
    await first.authenticate(key);
    open.push(await RawConsole.connect(relay));
    expect((await refusedUpgrade(relay)).status).toBe(503);
  });
});
