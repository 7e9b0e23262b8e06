import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import type { HotlineClient } from '../../client/client.js';
import { LIMITS } from '../../shared/items.js';
import { enrolKey, RawConsole } from '../helpers/raw-console.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

describe('a console that stops reading', () => {
  let relay: TestRelay;
  let bj: HotlineClient;

  beforeAll(async () => {
    relay = await startTestRelay({ maxBufferedBytes: 64 * 1024, slowConsumerGraceMs: 500 });
    bj = await enrolClient(relay, 'beijing');
    bj.start();
  });

  afterAll(async () => {
    await bj.stop();
    await relay.cleanup();
  });

  it('is paused at the buffer bound, then dropped with SLOW_CONSUMER; the log and the sender are unaffected', async () => {
    const key = await enrolKey(relay, 'washington');
    const stalled = await RawConsole.open(relay, key);
    // Stop reading from the kernel socket: the relay's writes back up into its own buffer.
    const socket = (stalled.ws as unknown as { _socket: Duplex })._socket;
    socket.pause();

    const body = 'x'.repeat(LIMITS.body);
    const sent: string[] = [];
    for (let i = 0; i < 600; i++) sent.push((await bj.send({ body })).id);
    await until(
      () => sent.every((id) => bj.conversation.messages.get(id)?.states.accepted !== undefined),
      30_000,
      'all accepted',
    );

    const metrics = async () => (await relay.api<string>('GET', '/metrics')).body;
    await until(
      async () => /hotline_sockets_dropped_total\{reason="slow_consumer"\} 1/.test(await metrics()),
      15_000,
      'slow consumer dropped',
    );
    socket.resume();
    const closed = await stalled.waitForClose(10_000);
    expect(closed.code).toBe(4429);
    const head = await relay.store.head('dtl');
    expect(head?.idx).toBeGreaterThanOrEqual(sent.length);
  });
});
