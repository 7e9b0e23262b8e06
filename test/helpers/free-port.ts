// A TCP port free on 127.0.0.1 now: listened on, then released, for a server a test starts later (a relay
// that takes over at a URL its consoles already know, a PostgreSQL started by the test setup).
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
