// A relay in a child process is killed with SIGKILL in the middle of a stream: every item a console saw
// accepted must be in the log afterwards at the same idx and hash, the whole log must verify, and the
// console's outbox must bring in everything that was not accepted yet, exactly once.
// The child runs the relay from the TypeScript sources (through tsx): no build needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { processEntry } from '../../server/module-launcher.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { enrolClient, tempDir, until } from '../helpers/relay.js';
import { messagesOf, parseExport, range, receiptCounts, watchTrouble } from '../helpers/durability.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = processEntry(new URL('../fixtures/child-relay.ts', import.meta.url));

interface ChildRelay {
  proc: ChildProcess;
  url: string;
  port: number;
  secret: string;
  stderr: string[];
  exited: Promise<void>;
}

const children = new Set<ChildProcess>();
let cleanups: (() => unknown)[] = [];

function alive(proc: ChildProcess): boolean {
  return proc.exitCode === null && proc.signalCode === null;
}

function exitOf(proc: ChildProcess): Promise<void> {
  return alive(proc) ? new Promise((resolve) => proc.once('exit', () => resolve())) : Promise.resolve();
}

afterEach(async () => {
  const run = cleanups.reverse();
  cleanups = [];
  for (const c of run) await c();
  // Only the processes this file spawned, each by its own pid.
  for (const proc of children) {
    if (alive(proc) && proc.pid !== undefined) {
      const gone = exitOf(proc);
      process.kill(proc.pid, 'SIGKILL');
      await gone;
    }
  }
  children.clear();
});

async function spawnRelay(dataDir: string, port = 0): Promise<ChildRelay> {
  const proc = spawn(process.execPath, [...CHILD.execArgv, CHILD.script, dataDir, String(port)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(proc);
  const exited = exitOf(proc);
  const stderr: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const lines = createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child relay did not start in time: ${stderr.join('')}`)), 15_000);
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
  expect(info.pid).toBe(proc.pid);
  return { proc, url: info.url, port: info.port, secret: info.secret, stderr, exited };
}

async function call<T>(
  relay: ChildRelay,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; text: string; json: () => T }> {
  const res = await fetch(new URL(url, relay.url), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as T };
}

async function trainerToken(relay: ChildRelay): Promise<string> {
  const res = await call<{ token: string }>(relay, 'POST', '/v1/auth/token', { secret: relay.secret });
  expect(res.status).toBe(200);
  return res.json().token;
}

async function exportText(relay: ChildRelay): Promise<string> {
  const res = await call(relay, 'GET', '/v1/exercises/dtl/export', undefined, await trainerToken(relay));
  expect(res.status).toBe(200);
  return res.text;
}

describe('a relay killed with SIGKILL mid-stream', () => {
  it('loses no accepted item, keeps a verifiable log, and takes in the rest from the outbox exactly once', async () => {
    const dataDir = tempDir('hotline-crash-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    let relay = await spawnRelay(dataDir);
    const port = relay.port;
    const issuer = {
      url: relay.url,
      async issueCode(station: string) {
        const res = await call<{ code: string }>(
          relay,
          'POST',
          '/v1/exercises/dtl/enrolment-codes',
          { station, ttlSeconds: 600 },
          await trainerToken(relay),
        );
        expect(res.status).toBe(201);
        return res.json().code;
      },
    };
    const beijing: HotlineClient = await enrolClient(issuer, 'beijing');
    const washington: HotlineClient = await enrolClient(issuer, 'washington');
    cleanups.push(
      () => beijing.stop(),
      () => washington.stop(),
    );
    const trouble = watchTrouble(beijing, washington);
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');

    // Every acceptance the sender sees, with the idx and hash it was given.
    const accepted = new Map<string, { idx: number; hash: string }>();
    beijing.on('message', (v) => {
      if (
        v.direction === 'out' &&
        v.states.accepted !== undefined &&
        v.idx !== undefined &&
        v.hash !== undefined &&
        !accepted.has(v.id)
      ) {
        accepted.set(v.id, { idx: v.idx, hash: v.hash });
      }
    });

    const sent: string[] = [];
    let stop = false;
    const streaming = (async () => {
      const deadline = Date.now() + 40_000;
      for (let i = 0; i < 2000 && !stop && Date.now() < deadline; i++) {
        sent.push((await beijing.send({ body: `stream ${i}` })).id);
        await new Promise((r) => setTimeout(r, 5)); // Pacing of the stream, not synchronisation.
      }
    })();

    await until(() => accepted.size >= 300, 30_000, '300 accepted');
    const killedPid = relay.proc.pid!;
    process.kill(killedPid, 'SIGKILL');
    await relay.exited;
    expect(relay.proc.signalCode).toBe('SIGKILL');
    const sentAtKill = sent.length;
    const acceptedAtKill = new Map(accepted);

    // Same data dir, same port, so the consoles' URL still works.
    relay = await spawnRelay(dataDir, port);
    expect(relay.proc.pid).not.toBe(killedPid);
    expect(sent.length).toBeGreaterThan(sentAtKill); // The stream went on while the relay was down.
    await until(() => accepted.size >= acceptedAtKill.size + 50, 30_000, 'acceptances after the restart');
    stop = true;
    await streaming;
    await until(() => beijing.outbox.items.length === 0, 15_000, 'the outbox drained');
    await until(() => sent.every((id) => accepted.has(id)), 5000, 'all sent accepted');
    await until(
      () => sent.every((id) => beijing.conversation.messages.get(id)?.states.delivered !== undefined),
      15_000,
      'all delivered',
    );
    await until(() => washington.outbox.items.length === 0, 15_000, 'washington outbox drained');

    const text = await exportText(relay);
    const held = [beijing.outbox.checkpoint, washington.outbox.checkpoint].filter((c): c is string => c !== null);
    expect(held.length).toBe(2);
    const report = await verifyExport(text, { checkpoints: held });
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);

    const log = parseExport(text);
    // Everything seen accepted before the kill, and after it, is there at the same idx with the same hash.
    const lost: string[] = [];
    for (const [id, { idx, hash }] of accepted) {
      const at = log[idx];
      const item = at?.item?.payload;
      if (!at || at.entry.hash !== hash || item?.type !== 'message' || item.id !== id) lost.push(`${id}@${idx}`);
    }
    expect(lost).toEqual([]);
    expect(acceptedAtKill.size).toBeGreaterThanOrEqual(300);
    for (const [id, a] of acceptedAtKill) expect(accepted.get(id)).toEqual(a);

    // The whole stream is in the log exactly once, in order, with consecutive seqs.
    const mine = messagesOf(log, beijing.identity.kid);
    expect(mine.map((m) => m.id)).toEqual(sent);
    expect(mine.map((m) => m.seq)).toEqual(range(0, sent.length - 1));
    const delivered = receiptCounts(log, 'delivered');
    expect(sent.filter((id) => delivered.get(id) !== 1)).toEqual([]);
    expect(trouble).toEqual({ alarms: [], rejected: [] });

    // The store opened on the same file runs at synchronous=FULL (2), as the relay's own connection does.
    const store = openSqliteStore(path.join(dataDir, 'hotline.db'));
    try {
      expect(store.synchronousLevel()).toBe(2);
      expect((await store.head('dtl'))?.idx).toBe(log.length - 1);
    } finally {
      await store.close();
    }
  }, 90_000);
});
