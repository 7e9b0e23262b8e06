// Two relays on one PostgreSQL database (issue 13, part 2): Beijing on relay A, Washington on relay B. Each
// relay streams the other's commits (LISTEN/NOTIFY, then a read of the log), in order and once; both share
// one relay key; a relay given another key refuses to start; a lost listening connection is re-established
// and the gap read from the log. Real relays, real sockets, a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { latestState } from '../../client/conversation.js';
import { verifyExport } from '../../shared/export.js';
import { LISTENER_NAME } from '../../server/store/postgres.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

describe('two relays on one PostgreSQL database', () => {
  let pair: RelayPair;
  let a: TestRelay;
  let b: TestRelay;
  let beijing: HotlineClient;
  let washington: HotlineClient;

  beforeAll(async () => {
    // Started together, as docker compose starts them: one makes the key, the schema and the default exercise.
    pair = await startRelayPair('hotline_relays', { together: true });
    ({ a, b } = pair);
    // Exactly one of them made the trainer secret and printed it; the test signs in with that one.
    expect([a.newTrainerSecret, b.newTrainerSecret].filter(Boolean)).toHaveLength(1);
    beijing = await enrolClient(a, 'beijing');
    washington = await enrolClient(pair.onB, 'washington');
    beijing.start();
    washington.start();
  });

  afterAll(async () => {
    await Promise.all([beijing?.stop(), washington?.stop()]);
    await pair?.cleanup();
  });

  it('share one relay key', () => {
    expect(a.key.kid).toBe(b.key.kid);
  });

  it('carry a full exchange with receipts from a console on A to one on B', async () => {
    await until(() => beijing.peerOnline && washington.peerOnline, 10_000, 'presence across relays');
    const sent = await beijing.send({ precedence: 'FLASH', subject: 'Two relays', body: 'From A to B.' });
    await until(() => washington.conversation.messages.get(sent.id)?.verified === true, 5000, 'arrival on B');
    await until(() => beijing.conversation.messages.get(sent.id)?.states.delivered !== undefined, 5000, 'delivered');
    await washington.acknowledge(sent.id, 'Received on B');
    await until(() => latestState(beijing.conversation.messages.get(sent.id)!) === 'acknowledged', 5000, 'ack on A');
    expect(beijing.conversation.messages.get(sent.id)?.ackNote).toBe('Received on B');
    await until(() => beijing.lastIdx === washington.lastIdx, 5000, 'same head');
    expect(beijing.chain.hashes).toEqual(washington.chain.hashes);
  });

  it('stream both ways at once, every entry once and in order, and the export verifies', async () => {
    const n = 40;
    const sent = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        (i % 2 ? washington : beijing).send({ precedence: 'ROUTINE', subject: `Both ways ${i}`, body: `#${i}` }),
      ),
    );
    const everywhere = () =>
      sent.every(
        (s) =>
          beijing.conversation.messages.get(s.id)?.states.delivered !== undefined ||
          washington.conversation.messages.get(s.id)?.states.delivered !== undefined,
      );
    await until(everywhere, 20_000, 'every message delivered');
    await until(() => beijing.lastIdx === washington.lastIdx, 10_000, 'same head');
    expect(beijing.chain.hashes).toEqual(washington.chain.hashes);
    for (const s of sent) {
      expect(beijing.conversation.messages.get(s.id)?.verified).toBe(true);
      expect(washington.conversation.messages.get(s.id)?.verified).toBe(true);
    }
    const token = await a.trainerToken();
    const exported = (await b.api<string>('GET', '/v1/exercises/dtl/export', undefined, token)).body;
    const report = await verifyExport(exported);
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);
    const ids = report.entries
      .filter((e) => e.kind === 'message')
      .map((e) => (JSON.parse(Buffer.from(e.jws!.split('.')[1]!, 'base64url').toString()) as { id: string }).id);
    for (const s of sent) expect(ids.filter((id) => id === s.id)).toHaveLength(1);
  });

  it('read the gap from the log when the listening connection is lost', async () => {
    const before = washington.lastIdx;
    await pair.db.onServer(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${pair.db.name}' AND application_name = '${LISTENER_NAME}'`,
    );
    // Sent while neither relay listens: its notification is lost; the relays read it when they listen again.
    const sent = await beijing.send({ precedence: 'PRIORITY', subject: 'Gap', body: 'Sent while B was deaf.' });
    await until(() => washington.conversation.messages.get(sent.id)?.verified === true, 15_000, 'the gap read');
    expect(washington.lastIdx).toBeGreaterThan(before);
    await until(() => beijing.lastIdx === washington.lastIdx, 5000, 'same head');
    expect(beijing.chain.hashes).toEqual(washington.chain.hashes);
  });

  it('refuse to start a relay with another key on the same log', async () => {
    await expect(startTestRelay({ store: pair.db.url })).rejects.toMatchObject({ code: 'RELAY_KEY_MISMATCH' });
  });
});
