// The link's own deadline: a server that accepts the TCP connection and never answers the upgrade (a relay
// stuck mid-start, a proxy without its upstream) must not hold a console in "connecting" for ever.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection, type LinkState } from '../../client/connection.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import { until } from '../helpers/relay.js';

let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A TCP server on 127.0.0.1 that accepts every connection and never writes a byte. */
async function silentServer(): Promise<{ url: string; accepted: () => number }> {
  let accepted = 0;
  server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, accepted: () => accepted };
}

describe('the link to a relay that never answers', () => {
  it('drops the silent socket at its handshake deadline and tries again, until stopped', async () => {
    const { url, accepted } = await silentServer();
    const conn = new Connection(url, nodeSocket(), { baseMs: 10, maxMs: 20 }, 10_000, 200);
    const states: LinkState[] = [];
    conn.on('link', (l) => states.push(l));
    conn.start();
    await until(() => accepted() >= 3, 10_000, 'three connection attempts');
    conn.stop();
    const reconnects = states.filter((s) => s.state === 'reconnecting');
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)).toEqual({ state: 'offline' });
  });
});
