import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frameText } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

describe('liveness', () => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay({ heartbeatMs: 1_000, helloTimeoutMs: 60_000 });
  });

  afterAll(async () => {
    await relay.cleanup();
  });

  function connect(answerPings: boolean): { ws: WebSocket; closed: Promise<{ code: number; at: number }> } {
    const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/ws`, 'hotline.v1');
    // ws answers protocol pings by itself; a dead peer does not.
    if (!answerPings) (ws as unknown as { pong: () => void }).pong = () => undefined;
    const closed = new Promise<{ code: number; at: number }>((resolve) =>
      ws.on('close', (code) => resolve({ code, at: Date.now() })),
    );
    return { ws, closed };
  }

  it('drops a socket that misses two pongs, and keeps one that answers', async () => {
    const started = Date.now();
    const dead = connect(false);
    const alive = connect(true);
    const { code, at } = await dead.closed;
    expect(code).toBe(1006);
    // Two missed pongs: dropped on the third heartbeat at the earliest (2 to 3 intervals).
    expect(at - started).toBeGreaterThanOrEqual(1_900);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.close();
  });

  it('answers an application ping with a pong carrying its id and time', async () => {
    const { ws } = connect(true);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(frameText(d)) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'ping', id: 'p1', t: 12345 }));
    await new Promise<void>((resolve) => {
      const check = () => (frames.some((f) => f['type'] === 'pong') ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(frames.find((f) => f['type'] === 'pong')).toMatchObject({ id: 'p1', t: 12345 });
    ws.close();
  });
});
