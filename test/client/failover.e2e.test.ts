// A console fails over to another relay URL by itself: relay A (a child process on data dir D) is killed
// with SIGKILL while both consoles exchange messages, and relay B starts on the same D at a port the
// consoles were given in advance. Every message sent before, in flight at, during and after the kill is in
// the log exactly once and in order, each delivered exactly once, and the export verifies. Two relays cannot
// share one SQLite file, so B takes over D after A is gone: the client side of failover, not the store's.
// Prints the time from the kill to each console's next welcome (a figure, bounded only generously here).
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { spawnRelay, type ChildRelay } from '../helpers/child-relay.js';
import { messagesOf, parseExport, receiptCounts, watchTrouble } from '../helpers/durability.js';
import { faultSuite } from '../helpers/fault-suite.js';
import { enrolClient, until } from '../helpers/relay.js';
import { freePort } from '../helpers/free-port.js';

const { cleanups, dataDir } = faultSuite('hotline-failover-');

/** The reference client's own default backoff, so the figure printed is what a console does out of the box. */
const BACKOFF = { baseMs: 250, maxMs: 15_000 };

describe('failover to another relay URL', () => {
  it('resumes on relay B after relay A is killed: every message exactly once, chain verified', async () => {
    const dir = dataDir();
    const relayA: ChildRelay = await spawnRelay(dir);
    const portB = await freePort();
    const urlB = `http://127.0.0.1:${portB}`;
    const issuer = { url: relayA.url, issueCode: (station: string) => relayA.issueCode(station) };
    const options = { alternates: [urlB], backoff: BACKOFF };
    const beijing = await enrolClient(issuer, 'beijing', options);
    const washington = await enrolClient(issuer, 'washington', options);
    cleanups.push(
      () => beijing.stop(),
      () => washington.stop(),
    );
    expect(beijing.relays).toEqual([relayA.url, urlB]);
    const trouble = watchTrouble(beijing, washington);
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 10_000, 'presence on A');
    expect(beijing.link).toMatchObject({ state: 'open', url: relayA.url });

    const sent = new Map<HotlineClient, string[]>([
      [beijing, []],
      [washington, []],
    ]);
    const send = async (from: HotlineClient, body: string) => sent.get(from)!.push((await from.send({ body })).id);
    const drained = () => beijing.outbox.items.length === 0 && washington.outbox.items.length === 0;

    for (let i = 0; i < 5; i++) {
      await send(beijing, `before ${i}`);
      await send(washington, `before ${i}`);
    }
    await until(drained, 10_000, 'the first messages accepted on A');

    // In flight at the kill: queued and submitted, their answers (or their commits) may be lost with A.
    for (let i = 0; i < 5; i++) await send(beijing, `in flight ${i}`);
    const killedAt = performance.now();
    process.kill(relayA.proc.pid!, 'SIGKILL');
    await relayA.exited;
    const welcomed = [beijing, washington].map((c) =>
      c.once('welcome').then(() => ({ ms: performance.now() - killedAt, url: c.link.state === 'open' && c.link.url })),
    );
    for (let i = 0; i < 3; i++) {
      await send(beijing, `during ${i}`);
      await send(washington, `during ${i}`);
    }

    const relayB = await spawnRelay(dir, portB);
    const listeningAt = performance.now();
    const [bj, wa] = await Promise.all(welcomed);
    console.log(
      `failover: relay B listening ${Math.round(listeningAt - killedAt)} ms after the kill; next welcome on B ` +
        `${Math.round(bj!.ms)} ms (beijing), ${Math.round(wa!.ms)} ms (washington) after the kill ` +
        `(backoff ${BACKOFF.baseMs}..${BACKOFF.maxMs} ms, full jitter)`,
    );
    expect(bj!.url).toBe(urlB);
    expect(wa!.url).toBe(urlB);
    expect(Math.max(bj!.ms, wa!.ms)).toBeLessThan(30_000);

    for (let i = 0; i < 3; i++) {
      await send(beijing, `after ${i}`);
      await send(washington, `after ${i}`);
    }
    const all = [...sent.get(beijing)!, ...sent.get(washington)!];
    await until(drained, 20_000, 'every outbox drained on B');
    const delivered = (c: HotlineClient, id: string) => c.conversation.messages.get(id)?.states.delivered !== undefined;
    await until(
      () =>
        sent.get(beijing)!.every((id) => delivered(beijing, id)) &&
        sent.get(washington)!.every((id) => delivered(washington, id)),
      20_000,
      'every message delivered',
    );
    await until(drained, 20_000, 'every receipt accepted');

    const res = await relayB.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relayB.trainerToken());
    expect(res.status).toBe(200);
    const held = [beijing.outbox.checkpoint, washington.outbox.checkpoint].filter((c): c is string => c !== null);
    expect(held).toHaveLength(2);
    const report = await verifyExport(res.body, { checkpoints: held });
    expect(report.ok, JSON.stringify(report.fault)).toBe(true);
    const log = parseExport(res.body);
    for (const [client, ids] of sent) {
      const mine = messagesOf(log, client.identity.kid);
      expect(mine.map((m) => m.id)).toEqual(ids);
      // Seqs count receipts too: the messages' seqs only climb.
      expect(mine.every((m, i) => i === 0 || m.seq > mine[i - 1]!.seq)).toBe(true);
    }
    const receipts = receiptCounts(log, 'delivered');
    expect(all.filter((id) => receipts.get(id) !== 1)).toEqual([]);
    // Each console verified the same chain, entry by entry, up to the export's last entry.
    await until(
      () => beijing.lastIdx === log.length - 1 && washington.lastIdx === log.length - 1,
      10_000,
      'both consoles verified the whole log',
    );
    expect(beijing.chain.hashes.at(-1)).toBe(log.at(-1)!.entry.hash);
    expect(trouble.alarms).toEqual([]);
    expect(trouble.rejected).toEqual([]);
  }, 90_000);
});
