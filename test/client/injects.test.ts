// The console client and exercise injects, against a relay played in the test process (test/helpers/
// fake-relay.ts) over logs built with real keys and signatures: an inject reaches its station with its
// content and is receipted like a message; the other station verifies the same chain from the commitment
// alone; a missing content for its own station is an alarm; the exercise clock and ENDEX; a restart.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HotlineClient, type Alarm } from '../../client/client.js';
import type { ExerciseStatus } from '../../client/exercise-status.js';
import { FileStorage } from '../../client/node/file-storage.js';
import { MemoryStorage, type ClientStorage } from '../../client/storage.js';
import type { ReceiptPayload } from '../../shared/items.js';
import { addPrivate, FakeRelay, injectData } from '../helpers/fake-relay.js';
import { tempDir, until } from '../helpers/relay.js';

const clients: HotlineClient[] = [];
const dir = tempDir('hotline-injects-');

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

async function open(
  relay: FakeRelay,
  station: 'beijing' | 'washington',
  storage: ClientStorage = new MemoryStorage(),
): Promise<HotlineClient> {
  if (!(await storage.load()))
    await storage.save({ identity: relay.identity(station), nextSeq: 0, outbox: [], checkpoint: null });
  const client = await HotlineClient.open({ storage, socket: relay.socket, backoff: { baseMs: 5, maxMs: 20 } });
  clients.push(client);
  return client;
}

async function live(client: HotlineClient): Promise<HotlineClient> {
  const caughtUp = client.once('caughtUp');
  client.start();
  await caughtUp;
  return client;
}

const receipts = (relay: FakeRelay) => relay.submits.filter((p): p is ReceiptPayload => p.type === 'receipt');

describe('injects at the console', () => {
  it('reach their station with content, are receipted delivered then acknowledged; the other station verifies the same chain without them', async () => {
    const relay = await FakeRelay.start();
    const data = injectData();
    const fired = await addPrivate(relay.log, 'inject', data, 'beijing');
    const bj = await live(await open(relay, 'beijing'));
    const dc = await live(await open(relay, 'washington'));

    const [item] = bj.traffic();
    expect(item?.kind).toBe('inject');
    const view = bj.injects.get(data.id)!;
    expect(view).toMatchObject({
      id: data.id,
      inject: 'INJ-01',
      to: 'beijing',
      from: data.from,
      precedence: 'FLASH',
      subject: data.subject,
      body: data.body,
      idx: fired.idx,
      hash: fired.hash,
      states: { accepted: fired.at },
    });
    // Not a message of the other station: the conversation holds no message at all.
    expect(bj.messages()).toEqual([]);

    // `delivered` by itself, after verifying the entry: ref = the inject's id, refHash = its entry, to = the peer.
    await until(() => bj.injects.get(data.id)?.states.delivered !== undefined, 5000, 'delivered in the log');
    expect(receipts(relay)).toMatchObject([
      { kind: 'delivered', ref: data.id, refHash: fired.hash, from: 'beijing', to: 'washington' },
    ]);

    await bj.acknowledge(data.id, '收到');
    await until(() => bj.injects.get(data.id)?.states.acknowledged !== undefined, 5000, 'acknowledged in the log');
    expect(receipts(relay).map((r) => [r.kind, r.ref, r.refHash, r.note])).toEqual([
      ['delivered', data.id, fired.hash, undefined],
      ['acknowledged', data.id, fired.hash, '收到'],
    ]);
    expect(bj.injects.get(data.id)?.ackNote).toBe('收到');
    // A second acknowledgement signs nothing.
    await bj.acknowledge(data.id);
    expect(receipts(relay)).toHaveLength(2);

    // Washington: the same chain verified to the end, the inject's entry by its commitment alone, and nothing
    // of it shown; Beijing's receipts of it verify too.
    await until(() => dc.lastIdx === relay.log.entries.length - 1, 5000, 'Washington verified everything');
    expect(dc.chain.injects.get(fired.hash)).toEqual({ idx: fired.idx, hash: fired.hash, to: 'beijing' });
    expect(dc.traffic()).toEqual([]);
    expect(dc.injects.list()).toEqual([]);
    const toWashington = (relay.sent.get('washington') ?? []).join('\n');
    for (const secret of [data.id, data.body.zh!, data.body.en!, data.from.en!, data.subject!.zh!, fired.reveal!.salt])
      expect(toWashington).not.toContain(secret);
    expect(toWashington).toContain(fired.commit);
  });

  it('raises a verification alarm and shows nothing when an inject for this station comes without its content', async () => {
    const relay = await FakeRelay.start();
    const fired = await addPrivate(relay.log, 'inject', injectData(), 'beijing');
    delete fired.reveal;
    const bj = await open(relay, 'beijing');
    const alarms: Alarm[] = [];
    bj.on('alarm', (a) => alarms.push(a));
    bj.start();
    await until(() => alarms.length > 0, 5000, 'an alarm');
    expect(alarms[0]).toMatchObject({ code: 'SCHEMA_INVALID', idx: fired.idx });
    expect(bj.lastIdx).toBe(fired.idx - 1);
    expect(bj.traffic()).toEqual([]);
    expect(relay.submits).toEqual([]);
    // Washington, not its audience, verifies the same entry from the commitment.
    const dc = await live(await open(relay, 'washington'));
    expect(dc.lastIdx).toBe(fired.idx);
  });

  it('follows the exercise clock: phase, compression and exercise time from the log, an event on each change', async () => {
    const relay = await FakeRelay.start();
    const bj = await live(await open(relay, 'beijing'));
    expect(bj.exercise).toEqual({ phase: 'planned', compression: 1, closed: false });
    expect(bj.exerciseTime()).toBeNull();
    const events: ExerciseStatus[] = [];
    bj.on('exercise', (s) => events.push(s));

    const startex = await relay.log.add('exercise-state', {
      data: { state: 'running', by: 'Trainer Wang', compression: 6 },
    });
    relay.broadcast(startex);
    await until(() => events.length === 1, 5000, 'STARTEX');
    expect(events[0]).toMatchObject({
      phase: 'running',
      compression: 6,
      startex: startex.at,
      last: { state: 'running', by: 'Trainer Wang', at: startex.at, idx: startex.idx },
      closed: false,
    });
    const t0 = Date.parse(startex.at);
    expect(bj.exerciseTime(t0 + 10_000)).toBe(60_000);

    const pause = await relay.log.add('exercise-state', { data: { state: 'paused', by: 'Trainer Wang' } });
    relay.broadcast(pause);
    await until(() => events.length === 2, 5000, 'pause');
    expect(events[1]?.phase).toBe('paused');
    const frozen = bj.exerciseTime(Date.parse(pause.at));
    expect(bj.exerciseTime(Date.parse(pause.at) + 3_600_000)).toBe(frozen);
    // An inject fired now carries the exercise time it was fired at.
    const data = injectData({ precedence: 'ROUTINE' });
    const fired = await addPrivate(relay.log, 'inject', data, 'beijing');
    relay.broadcast(fired);
    await until(() => bj.injects.get(data.id) !== undefined, 5000, 'the inject');
    expect(bj.injects.get(data.id)?.exerciseMs).toBe(frozen);
  });

  it('after ENDEX signs nothing more; an item refused EXERCISE_ENDED is final, never sent again, and the line is closed', async () => {
    const relay = await FakeRelay.start();
    const bj = await live(await open(relay, 'beijing'));
    // The relay goes quiet, so the message waits in the outbox; meanwhile the trainer ends the exercise.
    relay.silent = true;
    const queued = await bj.send({ body: 'Request a call between ministers.' });
    await until(() => relay.submits.length === 1, 5000, 'the first submit');
    const endex = await relay.log.add('exercise-state', { data: { state: 'ended', by: 'Trainer Wang' } });
    relay.silent = false;
    const closed = bj.once('exercise', (s) => s.closed);
    // On the next connection the relay refuses the resubmitted message: ENDEX.
    for (const s of relay.sockets) s.close(4000, 'test');
    const status = await closed;
    expect(status.closed).toBe(true);
    await until(() => bj.conversation.messages.get(queued.id)?.rejected !== undefined, 5000, 'rejected');
    expect(bj.conversation.messages.get(queued.id)?.rejected).toMatchObject({ code: 'EXERCISE_ENDED' });
    expect(bj.outbox.items).toEqual([]);
    await until(() => bj.lastIdx === endex.idx, 5000, 'the ENDEX entry');
    expect(bj.exercise).toMatchObject({ phase: 'ended', endex: endex.at, closed: true });
    expect(bj.lineClosed).toBe(true);

    const submitted = relay.submits.length;
    await expect(bj.send({ body: 'One more.' })).rejects.toMatchObject({ code: 'EXERCISE_ENDED' });
    expect(bj.outbox.items).toEqual([]);
    // A reconnect resends nothing: the refusal was final.
    const welcomed = bj.once('welcome');
    for (const s of relay.sockets) s.close(4000, 'test');
    await welcomed;
    await until(() => bj.link.state === 'open', 5000, 'open again');
    expect(relay.submits).toHaveLength(submitted);
    expect(relay.submits.filter((p) => p.id === queued.id)).toHaveLength(2);
  });

  it('after a restart rebuilds injects, their states and the clock from the log, and signs no second receipt', async () => {
    const relay = await FakeRelay.start();
    const startex = await relay.log.add('exercise-state', {
      data: { state: 'running', by: 'Trainer Wang', compression: 2 },
    });
    const first = injectData({ inject: 'INJ-01' });
    await addPrivate(relay.log, 'inject', first, 'beijing');
    const file = path.join(dir, 'bj.json');
    try {
      const bj = await live(await open(relay, 'beijing', new FileStorage(file)));
      await until(() => bj.injects.get(first.id)?.states.delivered !== undefined, 5000, 'delivered');
      await bj.acknowledge(first.id);
      await until(() => bj.injects.get(first.id)?.states.acknowledged !== undefined, 5000, 'acknowledged');
      // A second inject arrives while the relay does not answer: its delivered receipt waits in the outbox.
      relay.silent = true;
      const second = injectData({ inject: 'INJ-02', precedence: 'IMMEDIATE' });
      relay.broadcast(await addPrivate(relay.log, 'inject', second, 'beijing'));
      await until(() => bj.outbox.items.length === 1, 5000, 'a receipt in the outbox');
      await bj.stop();
      relay.silent = false;

      const again = await live(await open(relay, 'beijing', new FileStorage(file)));
      expect(again.exercise).toMatchObject({ phase: 'running', compression: 2, startex: startex.at });
      expect(again.injects.list().map((v) => [v.inject, v.precedence])).toEqual([
        ['INJ-01', 'FLASH'],
        ['INJ-02', 'IMMEDIATE'],
      ]);
      expect(again.injects.get(first.id)?.states.acknowledged).toBeDefined();
      await until(() => again.injects.get(second.id)?.states.delivered !== undefined, 5000, 'second delivered');
      expect(
        receipts(relay)
          .filter((r) => r.ref === second.id && r.kind === 'delivered')
          .map((r) => r.id),
      ).toHaveLength(
        2, // the same receipt, sent before the restart and resubmitted after it: one signed item
      );
      expect(
        new Set(
          receipts(relay)
            .filter((r) => r.ref === second.id)
            .map((r) => r.id),
        ).size,
      ).toBe(1);
      expect(again.ackInFlight(second.id)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
