import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { latestState } from '../../client/conversation.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

describe('a full exchange between two enrolled consoles', () => {
  let relay: TestRelay;
  let beijing: HotlineClient;
  let washington: HotlineClient;

  beforeEach(async () => {
    relay = await startTestRelay();
    ({ beijing, washington } = await startPair(relay));
  });

  afterEach(async () => {
    await Promise.all([beijing.stop(), washington.stop()]);
    await relay.cleanup();
  });

  it('goes queued -> accepted -> delivered -> acknowledged with a time for each state', async () => {
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');
    const sent = await beijing.send({ precedence: 'FLASH', subject: 'Test', body: 'Line check. Please acknowledge.' });
    expect(sent.states.queued).toBeDefined();

    await until(() => washington.conversation.messages.get(sent.id)?.verified === true, 5000, 'arrival');
    const incoming = washington.conversation.messages.get(sent.id)!;
    expect(incoming.direction).toBe('in');
    expect(incoming.body).toBe('Line check. Please acknowledge.');

    await until(() => beijing.conversation.messages.get(sent.id)?.states.delivered !== undefined, 5000, 'delivered');
    await washington.acknowledge(sent.id, 'Received, standing by');
    await until(
      () => latestState(beijing.conversation.messages.get(sent.id)!) === 'acknowledged',
      5000,
      'acknowledged',
    );

    const out = beijing.conversation.messages.get(sent.id)!;
    const { queued, accepted, delivered, acknowledged } = out.states;
    expect([queued, accepted, delivered, acknowledged].every((t) => typeof t === 'string')).toBe(true);
    expect(queued! <= accepted! && accepted! <= delivered! && delivered! <= acknowledged!).toBe(true);
    expect(out.ackNote).toBe('Received, standing by');

    // Both consoles verified the same chain.
    await until(() => beijing.lastIdx === washington.lastIdx, 5000, 'same head');
    expect(beijing.chain.hashes).toEqual(washington.chain.hashes);
  });
});

describe('the largest message', () => {
  it('carries a body of the maximum length in Chinese (3 bytes a character) end to end', async () => {
    const { LIMITS } = await import('../../shared/items.js');
    const relay = await startTestRelay();
    const { beijing: bj, washington: wa } = await startPair(relay);
    try {
      const body = '\u7ebf'.repeat(LIMITS.body);
      const sent = await bj.send({ precedence: 'ROUTINE', subject: '\u6d4b\u8bd5', body });
      await until(() => bj.conversation.messages.get(sent.id)?.states.delivered !== undefined, 5000, 'delivered');
      expect(wa.conversation.messages.get(sent.id)?.body).toBe(body);
    } finally {
      await Promise.all([bj.stop(), wa.stop()]);
      await relay.cleanup();
    }
  });
});
