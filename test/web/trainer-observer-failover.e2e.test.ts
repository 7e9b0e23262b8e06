// The trainer's live view across two relays of one log (issue 13): watching through relay A, which names
// relay B (GET /v1/relay `relays`), it goes on through B when A stops, from the entry after the last one it
// verified: every entry once, in order, and both stations' presence as B sees it. In Node against real relays
// on a real PostgreSQL; the browser page builds the same URL list (web/src/trainer/exercise-page.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { Observer } from '../../web/src/trainer/observer.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';
import { enrolClient, until, type TestRelay } from '../helpers/relay.js';

describe('the trainer live view on two relays', () => {
  let pair: RelayPair;
  let a: TestRelay;
  let b: TestRelay;
  let clients: HotlineClient[] = [];
  let observer: Observer | undefined;

  beforeAll(async () => {
    pair = await startRelayPair('hotline_observer_failover', { named: true });
    ({ a, b } = pair);
  });

  afterAll(async () => {
    observer?.stop();
    for (const c of clients) await c.stop();
    await pair?.cleanup();
  });

  it('goes on through relay B when relay A stops, every entry once and in order', async () => {
    const api = new TrainerApi(a.url, { secret: a.newTrainerSecret! });
    const { relays } = await api.relayInfo();
    expect(relays).toEqual([a.url, b.url]);
    const def = (await api.exercise('dtl')).def;
    const token = await api.token();
    observer = new Observer(def, () => token, relays, nodeSocket());
    const alarms: string[] = [];
    observer.on('alarm', (x) => alarms.push(`${x.code}: ${x.message}`));
    observer.start();

    // Both consoles on relay B, which keeps running: A only carries the trainer's view.
    const { onB } = pair;
    const beijing = await enrolClient(onB, 'beijing');
    const washington = await enrolClient(onB, 'washington');
    clients = [beijing, washington];
    beijing.start();
    washington.start();
    await until(() => observer!.online.get('beijing') === true, 10_000, 'presence through A');
    const first = await beijing.send({ precedence: 'ROUTINE', subject: 'Before', body: 'Seen through A.' });
    await until(() => observer!.conversations[0].messages.has(first.id), 10_000, 'first message through A');

    await a.close();
    const second = await washington.send({ precedence: 'FLASH', subject: 'After', body: 'Seen through B.' });
    await until(() => observer!.conversations[1].messages.has(second.id), 15_000, 'second message through B');
    expect(observer.link.state).toBe('open');
    await until(() => observer!.online.get('washington') === true, 10_000, 'presence through B');
    const head = (await new TrainerApi(b.url, { secret: a.newTrainerSecret! }).exercise('dtl')).head.idx;
    await until(() => observer!.lastIdx === head, 10_000, 'the head through B');
    expect(observer.records.map((r) => r.entry.idx)).toEqual(Array.from({ length: head + 1 }, (_, i) => i));
    expect(alarms).toEqual([]);
    expect(observer.broken).toBeUndefined();
  });
});
