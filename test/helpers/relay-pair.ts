// Two relays of one log on a database of their own in the run's PostgreSQL, with one relay key file: what
// the tests of several relays start from. `named`: each on a port chosen first, naming both relays
// (HOTLINE_RELAY_URLS) and allowing both origins, as the documented start does, so consoles fail over.
import path from 'node:path';
import { rmSync } from 'node:fs';
import type { Config } from '../../server/config.js';
import { freePort } from './free-port.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { startTestRelay, tempDir, type TestRelay } from './relay.js';

export interface RelayPair {
  db: TestDatabase;
  /** The relay that made the trainer secret (its newTrainerSecret opens both). */
  a: TestRelay;
  b: TestRelay;
  /** Relay B's address and API with codes issued through relay A: for enrolling a console on B. */
  onB: TestRelay;
  cleanup(): Promise<void>;
}

export interface PairOptions {
  named?: boolean;
  /** Started at once, as docker compose starts them (then either may make the secret). */
  together?: boolean;
}

export async function startRelayPair(prefix: string, o: PairOptions = {}): Promise<RelayPair> {
  const db = await createTestDatabase(prefix);
  const keyDir = tempDir('hotline-relay-key-');
  const common: Partial<Config> = { store: db.url, relayKeyFile: path.join(keyDir, 'relay-key.jwk') };
  const ports = o.named ? [await freePort(), await freePort()] : [0, 0];
  if (o.named) {
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    Object.assign(common, { relayUrls: urls, allowedOrigins: urls });
  }
  const start = (i: number) => startTestRelay({ ...common, port: ports[i]! });
  let [a, b] = o.together ? await Promise.all([start(0), start(1)]) : [await start(0), await start(1)];
  if (!a.newTrainerSecret) [a, b] = [b, a];
  const onB: TestRelay = { ...b, issueCode: (station, exercise, ttl) => a.issueCode(station, exercise, ttl) };
  return {
    db,
    a,
    b,
    onB,
    async cleanup() {
      await Promise.all([a.cleanup(), b.cleanup()]);
      await db.drop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
