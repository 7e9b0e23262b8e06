// A relay in a child process is killed with SIGKILL in the middle of a stream: every item a console saw
// accepted must be in the log afterwards at the same idx and hash, the whole log must verify, and the
// console's outbox must bring in everything that was not accepted yet, exactly once.
// The child runs the relay from the TypeScript sources (through tsx): no build needed.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../shared/export.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import { spawnRelay as spawnChild, type ChildRelay } from '../helpers/child-relay.js';
import { messagesOf, parseExport, range, receiptCounts, startWatchedPair } from '../helpers/durability.js';
import { faultSuite } from '../helpers/fault-suite.js';
import { lostFrom, settle, type Acknowledged } from '../helpers/kill-trials.js';
import { until } from '../helpers/relay.js';

const { cleanups, dataDir: crashDir } = faultSuite('hotline-crash-');

/** A child relay over `dataDir`, which reports its own pid. */
async function spawnRelay(dataDir: string, port = 0): Promise<ChildRelay> {
  const relay = await spawnChild(dataDir, port);
  expect(relay.pid).toBe(relay.proc.pid);
  return relay;
}

async function exportText(relay: ChildRelay): Promise<string> {
  const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
  expect(res.status).toBe(200);
  return res.body;
}

describe('a relay killed with SIGKILL mid-stream', () => {
  it('loses no accepted item, keeps a verifiable log, and takes in the rest from the outbox exactly once', async () => {
    const dataDir = crashDir();

    let relay = await spawnRelay(dataDir);
    const port = relay.port;
    const { beijing, washington, trouble } = await startWatchedPair(relay, cleanups, 5000);

    // Every acceptance the sender sees, with the idx and hash it was given.
    const accepted: Acknowledged = new Map();
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
    await settle(beijing, washington, sent, accepted, 15_000);

    const text = await exportText(relay);
    const held = [beijing.outbox.checkpoint, washington.outbox.checkpoint].filter((c): c is string => c !== null);
    expect(held.length).toBe(2);
    const report = await verifyExport(text, { checkpoints: held });
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);

    const log = parseExport(text);
    // Everything seen accepted before the kill, and after it, is there at the same idx with the same hash.
    const lost = lostFrom(log, accepted);
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
