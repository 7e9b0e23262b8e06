// Resume and durability across reconnects and relay restarts, with in-process relays on real SQLite files:
// a recipient that was away gets everything it missed exactly once; a sender's durable outbox survives a
// relay restart; resubmissions are idempotent; a stale `since` gets exactly the missing entries.
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HotlineClient, type ClientOptions } from '../../client/client.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import { FileStorage } from '../../client/node/file-storage.js';
import { MemoryStorage } from '../../client/storage.js';
import { verifyExport } from '../../shared/export.js';
import { GENESIS_PREV, type Entry } from '../../shared/entry.js';
import { enrolClient, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';
import {
  RawConsole,
  entryIdxs,
  lastConn,
  messagesOf,
  parseExport,
  range,
  receiptCounts,
  tappedSocket,
  watchTrouble,
  type Frame,
  type LoggedEntry,
  type Tapped,
} from '../helpers/durability.js';

const BACKOFF = { baseMs: 20, maxMs: 200 };

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  const run = cleanups.reverse();
  cleanups = [];
  for (const c of run) await c();
});

async function relayForTest(
  overrides: Parameters<typeof startTestRelay>[0] = {},
  dataDir?: string,
): Promise<TestRelay> {
  const relay = await startTestRelay(overrides, dataDir);
  cleanups.push(() => relay.cleanup());
  return relay;
}

async function console_(
  relay: TestRelay,
  station: string,
  options: Partial<ClientOptions> = {},
): Promise<HotlineClient> {
  const client = await enrolClient(relay, station, options);
  cleanups.push(() => client.stop());
  return client;
}

async function openClient(options: Pick<ClientOptions, 'storage'> & Partial<ClientOptions>): Promise<HotlineClient> {
  const client = await HotlineClient.open({ socket: nodeSocket(), backoff: BACKOFF, ...options });
  cleanups.push(() => client.stop());
  return client;
}

async function exportLog(relay: TestRelay): Promise<{ text: string; log: LoggedEntry[] }> {
  const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
  expect(res.status).toBe(200);
  expect(typeof res.body).toBe('string');
  return { text: res.body, log: parseExport(res.body) };
}

async function sendMany(client: HotlineClient, n: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await client.send({ body: `${label} ${i}` })).id);
  return ids;
}

const isAccepted = (c: HotlineClient, id: string) => c.conversation.messages.get(id)?.states.accepted !== undefined;
const isDelivered = (c: HotlineClient, id: string) => c.conversation.messages.get(id)?.states.delivered !== undefined;

/** Ids of incoming messages in the order the client applied them (repeats would show twice). */
function recordArrivals(client: HotlineClient): string[] {
  const arrived: string[] = [];
  client.on('entry', (applied) => {
    const p = applied.item?.payload;
    if (p?.type === 'message' && p.from === client.peer) arrived.push(p.id);
  });
  return arrived;
}

/** The `since` a tapped client sent in its hello on socket `conn`. */
function helloSince(tap: Tapped[], conn: number): number | undefined {
  const hello = tap.find((t) => t.conn === conn && t.dir === 'out' && t.frame.type === 'hello');
  return hello?.frame['since'] as number | undefined;
}

function expectOneReceiptEach(log: LoggedEntry[], ids: string[]): void {
  const counts = receiptCounts(log, 'delivered');
  expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
}

describe('a recipient that was away', () => {
  async function setup(washingtonOptions: Partial<ClientOptions>) {
    const relay = await relayForTest();
    const beijing = await console_(relay, 'beijing');
    const washington = await console_(relay, 'washington', washingtonOptions);
    const trouble = watchTrouble(beijing, washington);
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');
    // A few exchanged before the break: they are delivered once and must not be delivered again.
    const early = await sendMany(beijing, 3, 'before the break');
    await until(() => early.every((id) => isDelivered(beijing, id)), 5000, 'early messages delivered');
    await washington.stop();
    await until(() => !beijing.peerOnline, 5000, 'washington offline');
    const missed = await sendMany(beijing, 100, 'while away');
    await until(() => missed.every((id) => isAccepted(beijing, id)), 10_000, '100 accepted');
    expect(missed.filter((id) => isDelivered(beijing, id))).toEqual([]);
    return { relay, beijing, washington, trouble, early, missed };
  }

  it('started again (same client object) gets all 100 in order exactly once and delivers them', async () => {
    const tap: Tapped[] = [];
    const { relay, beijing, washington, trouble, early, missed } = await setup({ socket: tappedSocket(tap) });
    const stoppedAt = washington.lastIdx;
    expect(missed.some((id) => washington.conversation.messages.has(id))).toBe(false);
    const arrived = recordArrivals(washington);
    const before = lastConn(tap);

    washington.start();
    await until(() => missed.every((id) => isDelivered(beijing, id)), 15_000, 'beijing sees 100 delivered receipts');

    expect(arrived).toEqual(missed);
    for (const [i, id] of missed.entries()) {
      const view = washington.conversation.messages.get(id);
      expect(view?.verified).toBe(true);
      expect(view?.direction).toBe('in');
      expect(view?.body).toBe(`while away ${i}`);
    }
    // On the wire: the new socket resumed from where the console stopped, with no gap and no repeat.
    const conn = lastConn(tap);
    expect(conn).toBe(before + 1);
    expect(helloSince(tap, conn)).toBe(stoppedAt);
    const idxs = entryIdxs(tap, conn);
    expect(idxs[0]).toBe(stoppedAt + 1);
    expect(idxs).toEqual(range(stoppedAt + 1, stoppedAt + idxs.length));

    const { text, log } = await exportLog(relay);
    expect((await verifyExport(text)).fault).toBeUndefined();
    expectOneReceiptEach(log, [...early, ...missed]);
    await until(() => washington.outbox.items.length === 0, 5000, 'washington outbox empty');
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  });

  it('opened afresh on the same storage replays from idx 0 and gets all 100 in order exactly once', async () => {
    const storage = new MemoryStorage();
    const { relay, beijing, trouble, early, missed } = await setup({ storage });

    const tap: Tapped[] = [];
    const fresh = await openClient({ storage, socket: tappedSocket(tap) });
    const freshTrouble = watchTrouble(fresh);
    expect(fresh.lastIdx).toBe(-1);
    const arrived = recordArrivals(fresh);
    fresh.start();
    await until(() => missed.every((id) => isDelivered(beijing, id)), 15_000, 'beijing sees 100 delivered receipts');

    expect(arrived).toEqual([...early, ...missed]);
    for (const id of [...early, ...missed]) expect(fresh.conversation.messages.get(id)?.verified).toBe(true);
    expect(helloSince(tap, 1)).toBe(-1);
    const idxs = entryIdxs(tap, 1);
    expect(idxs).toEqual(range(0, idxs.length - 1));

    const { text, log } = await exportLog(relay);
    expect((await verifyExport(text)).fault).toBeUndefined();
    // The early ones were delivered by the first instance; the replay must not deliver them again.
    expectOneReceiptEach(log, [...early, ...missed]);
    await until(() => fresh.outbox.items.length === 0, 5000, 'outbox empty');
    expect(trouble).toEqual({ alarms: [], rejected: [] });
    expect(freshTrouble).toEqual({ alarms: [], rejected: [] });
  });
});

describe('the sender outbox across a relay restart', () => {
  it('keeps what was sent while the relay was down and submits it once the relay is back', async () => {
    // Removed last, after the relay and the clients are gone.
    const dir = tempDir('hotline-outbox-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await relayForTest();
    const file = path.join(dir, 'beijing.json');
    const beijing = await console_(first, 'beijing', { storage: new FileStorage(file) });
    const washington = await console_(first, 'washington');
    const trouble = watchTrouble(beijing, washington);
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');
    const warmup = await sendMany(beijing, 2, 'warm-up');
    await until(() => warmup.every((id) => isDelivered(beijing, id)), 5000, 'warm-up delivered');

    const { port, dataDir } = first;
    await first.close();
    await until(() => beijing.link.state !== 'open' && washington.link.state !== 'open', 5000, 'both links down');

    const queued = await sendMany(beijing, 5, 'while the relay is down');
    expect(queued.filter((id) => isAccepted(beijing, id))).toEqual([]);
    expect(beijing.outbox.items.map((i) => i.id)).toEqual(queued);
    // Durable: the file holds them too, so a console restart would not lose them either.
    expect((await new FileStorage(file).load())?.outbox.map((i) => i.id)).toEqual(queued);

    const second = await relayForTest({ port }, dataDir);
    expect(second.port).toBe(port);
    await until(() => queued.every((id) => isAccepted(beijing, id)), 10_000, 'the 5 accepted after the restart');
    await until(
      () => queued.every((id) => washington.conversation.messages.get(id)?.verified === true),
      10_000,
      'delivered to washington',
    );
    await until(() => queued.every((id) => isDelivered(beijing, id)), 10_000, 'beijing sees delivered');
    await until(() => beijing.outbox.items.length === 0, 5000, 'outbox empty');
    await until(async () => (await new FileStorage(file).load())?.outbox.length === 0, 5000, 'outbox empty on disk');

    const { text, log } = await exportLog(second);
    expect((await verifyExport(text)).fault).toBeUndefined();
    const mine = messagesOf(log, beijing.identity.kid);
    // Exactly once each, in the order sent, with consecutive seqs after the warm-up's.
    expect(mine.map((m) => m.id)).toEqual([...warmup, ...queued]);
    expect(mine.map((m) => m.seq)).toEqual(range(0, 6));
    const views = queued.map((id) => beijing.conversation.messages.get(id)!);
    expect(views.map((v) => v.seq)).toEqual(range(2, 6));
    expect(views.map((v) => v.idx)).toEqual(mine.slice(2).map((m) => m.idx));
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  });

  it('resubmitting items the relay already accepted adds nothing to the log and empties the outbox', async () => {
    const dir = tempDir('hotline-outbox-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const relay = await relayForTest();
    const file = path.join(dir, 'beijing.json');
    const beijing = await console_(relay, 'beijing', { storage: new FileStorage(file) });
    const washington = await console_(relay, 'washington');
    const trouble = watchTrouble(beijing, washington);
    washington.start();

    // Queue three while offline and keep a copy of the state that still holds them.
    const ids = await sendMany(beijing, 3, 'accepted once');
    const backup = `${file}.backup`;
    copyFileSync(file, backup);
    beijing.start();
    await until(() => ids.every((id) => isDelivered(beijing, id)), 10_000, 'accepted and delivered');
    await until(() => beijing.outbox.items.length === 0, 5000, 'outbox empty');
    const original = ids.map((id) => beijing.conversation.messages.get(id)!).map((v) => ({ idx: v.idx, hash: v.hash }));
    const before = await exportLog(relay);
    await beijing.stop();

    // The console comes back from the older copy: its outbox holds three items already in the log. (A
    // file of its own, so nothing the first instance wrote can reach it.)
    const restoredFile = path.join(dir, 'restored.json');
    copyFileSync(backup, restoredFile);
    const restored = await openClient({ storage: new FileStorage(restoredFile) });
    const restoredTrouble = watchTrouble(restored);
    expect(restored.outbox.items.map((i) => i.id)).toEqual(ids);
    const accepts = new Map<string, { idx: number | undefined; hash: string | undefined }>();
    restored.on('message', (v) => {
      if (v.states.accepted !== undefined && !accepts.has(v.id)) accepts.set(v.id, { idx: v.idx, hash: v.hash });
    });
    restored.start();
    await until(() => restored.outbox.items.length === 0, 10_000, 'restored outbox empty');
    expect(restoredTrouble.rejected).toEqual([]);
    await until(
      async () => (await new FileStorage(restoredFile).load())?.outbox.length === 0,
      5000,
      'restored outbox empty on disk',
    );
    expect(ids.map((id) => accepts.get(id))).toEqual(original);

    // The stream goes on at the next seq.
    const next = await restored.send({ body: 'after the resubmission' });
    await until(() => isAccepted(restored, next.id), 5000, 'the next message accepted');
    expect(restored.conversation.messages.get(next.id)?.seq).toBe(3);

    // The same signed items again on a raw socket: the same acceptance, still nothing new in the log.
    const old = (await new FileStorage(backup).load())!.outbox;
    const raw = await RawConsole.open(restored.identity, Number.MAX_SAFE_INTEGER);
    cleanups.push(() => raw.close());
    for (const item of old) raw.send({ type: 'submit', jws: item.jws });
    await until(
      () => raw.frames.filter((f) => f.type === 'accepted' || f.type === 'rejected').length === old.length,
      5000,
      'answers',
    );
    const answers = raw.frames.filter((f) => f.type === 'accepted' || f.type === 'rejected');
    expect(answers.map((f: Frame) => ({ type: f.type, id: f['id'], idx: f['idx'], hash: f['hash'] }))).toEqual(
      ids.map((id, i) => ({ type: 'accepted', id, ...original[i] })),
    );

    await until(() => isDelivered(restored, next.id), 5000, 'the next message delivered');
    const after = await exportLog(relay);
    expect((await verifyExport(after.text)).fault).toBeUndefined();
    const mine = messagesOf(after.log, beijing.identity.kid);
    expect(mine.map((m) => m.id)).toEqual([...ids, next.id]);
    expect(mine.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
    // Everything before is unchanged; the only additions are the new message and its receipt.
    expect(after.log.slice(0, before.log.length)).toEqual(before.log);
    expect(
      after.log
        .slice(before.log.length)
        .map((l) => l.entry.kind)
        .sort(),
    ).toEqual(['message', 'receipt']);
    expect(trouble).toEqual({ alarms: [], rejected: [] });
    expect(restoredTrouble).toEqual({ alarms: [], rejected: [] });
  });
});

describe('a console that resumes with a stale since', () => {
  it('gets exactly the entries after since, up to the head and on into live ones, with no gap or repeat', async () => {
    const relay = await relayForTest();
    const beijing = await console_(relay, 'beijing');
    const washington = await console_(relay, 'washington'); // Its identity is used by raw consoles only.
    const trouble = watchTrouble(beijing);
    beijing.start();
    // More than one store read chunk (256) behind the head, so catch-up spans several reads.
    const bulk = await sendMany(beijing, 300, 'bulk');
    await until(() => bulk.every((id) => isAccepted(beijing, id)), 15_000, 'bulk accepted');
    const { log } = await exportLog(relay);
    const hashAt = (idx: number) => log[idx]!.entry.hash;
    let head = log.length - 1;
    expect(head).toBeGreaterThan(300);

    const sinces: ((h: number) => number)[] = [
      () => -1,
      () => 0,
      () => 2,
      () => 37,
      (h) => h - 256,
      (h) => h - 1,
      (h) => h,
    ];
    for (const sinceAt of sinces) {
      const since = sinceAt(head);
      const raw = await RawConsole.open(washington.identity, since);
      expect((raw.welcome!['head'] as { idx: number }).idx).toBe(head);
      // Live entries committed while the catch-up is still streaming.
      const live = await sendMany(beijing, 10, `live after ${since}`);
      await until(() => live.every((id) => isAccepted(beijing, id)), 5000, 'live accepted');
      const newHead = beijing.conversation.messages.get(live[live.length - 1]!)!.idx!;
      await until(
        () => raw.entries().some((e) => e.idx === newHead),
        10_000,
        `entries up to ${newHead} after since ${since}`,
      );
      const got: Entry[] = raw.entries();
      expect(got.map((e) => e.idx)).toEqual(range(since + 1, newHead));
      got.forEach((e, i) => expect(e.prev).toBe(i > 0 ? got[i - 1]!.hash : since >= 0 ? hashAt(since) : GENESIS_PREV));
      // The welcome came before the first entry.
      expect(raw.frames.findIndex((f) => f.type === 'welcome')).toBeLessThan(
        raw.frames.findIndex((f) => f.type === 'entry'),
      );
      await raw.close();
      const fresh = await exportLog(relay);
      log.splice(0, log.length, ...fresh.log);
      head = newHead;
      expect(log.length - 1).toBe(head);
    }
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  });

  it("gets exactly what it missed across the relay's in-memory window of recent entries", async () => {
    const relay = await relayForTest();
    const beijing = await console_(relay, 'beijing');
    const washington = await console_(relay, 'washington');
    const trouble = watchTrouble(beijing);
    beijing.start();
    // A console subscribed early makes the relay keep recent entries in memory from here on; 2,100 more
    // entries push the oldest of them out again, so resumes read the store, then memory, then live ones.
    const early = await RawConsole.open(washington.identity, -1);
    cleanups.push(() => early.close());
    const bulk = await sendMany(beijing, 2100, 'bulk');
    await until(() => bulk.every((id) => isAccepted(beijing, id)), 25_000, 'bulk accepted');
    let head = beijing.conversation.messages.get(bulk[bulk.length - 1]!)!.idx!;
    await until(() => early.entries().some((e) => e.idx === head), 10_000, 'the early console at the head');
    expect(early.entries().map((e) => e.idx)).toEqual(range(0, head));

    for (const since of [3, 600, 1100, 1400, head - 300, head - 2]) {
      const raw = await RawConsole.open(washington.identity, since);
      const live = await sendMany(beijing, 5, `live after ${since}`);
      await until(() => live.every((id) => isAccepted(beijing, id)), 5000, 'live accepted');
      head = beijing.conversation.messages.get(live[live.length - 1]!)!.idx!;
      await until(
        () => raw.entries().some((e) => e.idx === head),
        10_000,
        `entries up to ${head} after since ${since}`,
      );
      const got = raw.entries();
      expect(got.map((e) => e.idx)).toEqual(range(since + 1, head));
      got.slice(1).forEach((e, i) => expect(e.prev).toBe(got[i]!.hash));
      await raw.close();
    }
    await until(() => early.entries().some((e) => e.idx === head), 10_000, 'the early console at the head');
    expect(early.entries().map((e) => e.idx)).toEqual(range(0, head));
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  }, 60_000);

  it('a client restarted after missing entries resumes from its own lastIdx', async () => {
    const relay = await relayForTest();
    const tap: Tapped[] = [];
    const beijing = await console_(relay, 'beijing');
    const washington = await console_(relay, 'washington', { socket: tappedSocket(tap), autoDeliver: false });
    const trouble = watchTrouble(beijing, washington);
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');
    for (let round = 0; round < 3; round++) {
      const ids = await sendMany(beijing, 20, `round ${round}`);
      await until(
        () => ids.every((id) => washington.conversation.messages.get(id)?.verified === true),
        5000,
        'arrival',
      );
      await washington.stop();
      const since = washington.lastIdx;
      const missed = await sendMany(beijing, 15, `missed ${round}`);
      await until(() => missed.every((id) => isAccepted(beijing, id)), 5000, 'missed accepted');
      const head = beijing.conversation.messages.get(missed[missed.length - 1]!)!.idx!;
      expect(head).toBeGreaterThan(since);
      washington.start();
      const conn = lastConn(tap);
      await until(() => washington.lastIdx >= head, 5000, 'washington caught up');
      expect(helloSince(tap, conn)).toBe(since);
      const idxs = entryIdxs(tap, conn);
      expect(idxs).toEqual(range(since + 1, since + idxs.length));
      expect(idxs[idxs.length - 1]).toBeGreaterThanOrEqual(head);
    }
    expect(washington.chain.hashes).toEqual(beijing.chain.hashes.slice(0, washington.chain.length));
    expect(trouble).toEqual({ alarms: [], rejected: [] });
  });
});
