// The fault suite: what the relay does when the machine under it fails. Each fault ends in the same
// promise: nothing a console saw accepted is lost, nothing refused is half-written, and the relay comes
// back when the fault goes. Elsewhere in the suite:
// - a corrupt data file: test/server/corrupt-store.crash.test.ts (refused at start, STORE_UNAVAILABLE after);
// - a slow consumer: test/server/slow-consumer.e2e.test.ts (paused, then dropped with 4429, resumes);
// - one long kill -9 mid-stream: test/server/crash.crash.test.ts; `npm run chaos` runs 100+ kill trials.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { ThreadedSqliteStore } from '../../server/store/threaded-sqlite.js';
import type { Store } from '../../server/store/types.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { resetTrainerSecret } from '../../server/trainer-secret.js';
import { verifyExport } from '../../shared/export.js';
import { spawnRelay } from '../helpers/child-relay.js';
import { messagesOf, parseExport, startWatchedPair } from '../helpers/durability.js';
import { faultSuite } from '../helpers/fault-suite.js';
import { runKillTrials } from '../helpers/kill-trials.js';
import { enrolKey, RawConsole, type RelayLike } from '../helpers/raw-console.js';
import { rawApi, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';

const { cleanups, dataDir } = faultSuite('hotline-fault-');

/** A 2 MiB tmpfs, when this process may mount one (root with CAP_SYS_ADMIN); else the reason it may not. */
function mountSmallDisk(): { dir: string } | { reason: string } {
  const dir = tempDir('hotline-disk-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { reason: (r.stderr || r.error?.message || `mount exited ${r.status}`).trim() };
}

const disk = mountSmallDisk();
const diskDir = 'dir' in disk ? disk.dir : undefined;
if (!diskDir)
  console.warn(`faults: the disk-full test is skipped: cannot mount a tmpfs (${'reason' in disk ? disk.reason : ''})`);
afterAll(() => {
  if (!diskDir) return;
  spawnSync('umount', [diskDir]);
  rmSync(diskDir, { recursive: true, force: true });
});

/** Fills the file system under `dir` to the last byte; returns the filler file, to remove to make room. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (let i = 0; i < 100_000; i++) writeSync(fd, chunk);
    throw new Error('the disk never filled');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // The last bytes too, so no half-free page is left.
  const tail = openSync(file, 'a');
  try {
    for (let i = 0; i < 4096; i++) writeSync(tail, Buffer.alloc(1, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(tail);
  }
  return file;
}

/** The ids of `kid`'s messages in the log of dtl, as exported and verified. */
async function logOf(relay: TestRelay | InProcess, kid: string): Promise<string[]> {
  const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
  expect(res.status).toBe(200);
  expect((await verifyExport(res.body)).ok).toBe(true);
  return messagesOf(parseExport(res.body), kid).map((m) => m.id);
}

interface InProcess extends RelayLike {
  running: RunningRelay;
  trainerToken(): Promise<string>;
}

/** A relay in this process over `store`, with the calls the raw console needs. */
async function relayOver(store: Store, dir: string): Promise<InProcess> {
  const config = loadConfig({ dataDir: dir, port: 0, host: '127.0.0.1', logLevel: 'silent', printLinks: false }, {});
  const running = await startRelay(config, pino({ level: 'silent' }), store);
  cleanups.push(() => running.close());
  const trainer = new TrainerApi(running.url, {
    secret: running.newTrainerSecret ?? (await resetTrainerSecret(store)),
  });
  return {
    running,
    url: running.url,
    trainerToken: () => trainer.token(),
    api: (method, url, body, token) => rawApi(running.url, method, url, body, token),
    async issueCode(station: string, exercise = 'dtl') {
      return (await trainer.issueCode(exercise, station, 600)).code;
    },
  };
}

describe('faults', () => {
  it.skipIf(!diskFreeable())(
    'disk full: commits fail closed with STORE_UNAVAILABLE and resume once there is room',
    async () => {
      const dir = diskDir!;
      const relay = await startTestRelay({}, dir);
      cleanups.push(() => relay.close());
      const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
      await RawConsole.open(relay, await enrolKey(relay, 'washington'));
      const accepted: string[] = [];
      for (let i = 0; i < 3; i++) accepted.push((await bj.accept({ body: `before ${i}` })).payload.id);

      const filler = fill(dir);
      cleanups.push(() => rmSync(filler, { force: true }));
      // WAL space already in the file may take a few more commits; bounded, until one is refused.
      let refused: { jws: string; id: string } | undefined;
      for (let i = 0; i < 200 && !refused; i++) {
        const payload = bj.message({ body: `while full ${i} ${'x'.repeat(2000)}` });
        const jws = await bj.sign(payload);
        const answer = await bj.submit(jws);
        if (answer.type === 'accepted') {
          accepted.push(payload.id);
          bj.seq = answer.seq + 1;
        } else {
          expect(answer).toMatchObject({ code: 'STORE_UNAVAILABLE', id: payload.id });
          refused = { jws, id: payload.id };
        }
      }
      expect(refused, 'a commit refused on a full disk').toBeDefined();
      expect((await relay.api('GET', '/livez')).status).toBe(200);

      rmSync(filler);
      await until(async () => (await relay.api('GET', '/readyz')).status === 200, 10_000, 'ready again');
      const again = await bj.submit(refused!.jws);
      expect(again).toMatchObject({ type: 'accepted', id: refused!.id });
      accepted.push(refused!.id);
      expect(await logOf(relay, bj.key!.kid)).toEqual(accepted);
    },
    30_000,
  );

  it('a commit that fails (fsync error) fails closed, readyz says so, and it recovers when commits work', async () => {
    const dir = dataDir();
    const real = await ThreadedSqliteStore.open(path.join(dir, 'hotline.db'));
    let failing = false;
    const fault = (): never => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC' });
    };
    const store = new Proxy(real, {
      get(target, prop) {
        if (failing && (prop === 'append' || prop === 'probe')) return async () => fault();
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const relay = await relayOver(store, dir);
    const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    const first = await bj.accept({ body: 'before the fault' });

    failing = true;
    const payload = bj.message({ body: 'during the fault' });
    const jws = await bj.sign(payload);
    expect(await bj.submit(jws)).toMatchObject({ type: 'rejected', code: 'STORE_UNAVAILABLE', id: payload.id });
    expect(await relay.api('GET', '/readyz')).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
    expect(await bj.submit(jws)).toMatchObject({ type: 'rejected', code: 'STORE_UNAVAILABLE' });

    failing = false;
    expect((await relay.api('GET', '/readyz')).status).toBe(200);
    const again = await bj.submit(jws);
    expect(again).toMatchObject({ type: 'accepted', id: payload.id, idx: first.accepted.idx + 1 });
    expect(await logOf(relay, bj.key!.kid)).toEqual([first.payload.id, payload.id]);
  }, 30_000);

  it('SIGSTOP then SIGCONT of the relay: consoles carry on and nothing acknowledged is lost', async () => {
    const dir = dataDir();
    const relay = await spawnRelay(dir);
    const { beijing, trouble } = await startWatchedPair(relay, cleanups);
    const accepted = new Map<string, { idx: number; hash: string }>();
    beijing.on('message', (v) => {
      if (v.direction === 'out' && v.idx !== undefined && v.hash !== undefined)
        accepted.set(v.id, { idx: v.idx, hash: v.hash });
    });
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) sent.push((await beijing.send({ body: `before the stop ${i}` })).id);
    await until(() => accepted.size === 20, 10_000, '20 accepted');
    const before = new Map(accepted);

    process.kill(relay.proc.pid!, 'SIGSTOP');
    for (let i = 0; i < 20; i++) sent.push((await beijing.send({ body: `while stopped ${i}` })).id);
    expect(accepted.size).toBe(20); // A stopped relay accepts nothing.
    process.kill(relay.proc.pid!, 'SIGCONT');

    await until(() => sent.every((id) => accepted.has(id)), 20_000, 'all accepted');
    await until(
      () => sent.every((id) => beijing.conversation.messages.get(id)?.states.delivered !== undefined),
      20_000,
      'all delivered',
    );
    for (const [id, a] of before) expect(accepted.get(id)).toEqual(a);
    const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
    expect((await verifyExport(res.body)).ok).toBe(true);
    const mine = messagesOf(parseExport(res.body), beijing.identity.kid);
    expect(mine.map((m) => m.id)).toEqual(sent);
    for (const m of mine) expect(accepted.get(m.id)?.idx).toBe(m.idx);
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  }, 40_000);

  it('kill -9 trials: a few kills at random moments lose nothing acknowledged', async () => {
    const seed = Date.now() % 100_000;
    const report = await runKillTrials({ dataDir: dataDir(), trials: 5, seed });
    console.log(
      `kill -9 trials (seed ${seed}): ${report.trials} trials, ${report.acknowledged} acknowledged, ${report.lost.length} lost`,
    );
    expect(report).toMatchObject({
      lost: [],
      misordered: false,
      undelivered: 0,
      fault: undefined,
      alarms: 0,
      rejected: 0,
    });
    expect(report.acknowledged).toBeGreaterThan(0);
  }, 60_000);
});

function diskFreeable(): boolean {
  return diskDir !== undefined;
}
