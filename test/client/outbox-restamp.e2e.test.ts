// Items that waited in the outbox longer than the relay's clock bound (offline) are refused CLOCK_SKEW;
// the reference client signs them again at the same seqs with the current time and loses none of them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const MIN = 60_000;

describe('the outbox after a long time offline', () => {
  let relay: TestRelay | undefined;
  const clients: HotlineClient[] = [];

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await relay?.cleanup();
  });

  it('signs items queued 10 minutes ago again with the current time, at the same seqs, and delivers them all', async () => {
    relay = await startTestRelay();
    const bj = await enrolClient(relay, 'beijing');
    clients.push(bj);
    const rejected: string[] = [];
    bj.on('rejected', (f) => rejected.push(f.code));
    // Written while offline, ten minutes ago by this console's (correct) clock.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() - 10 * MIN);
    const queued = [];
    for (const body of ['one', 'two', 'three']) queued.push(await bj.send({ body }));
    const oldSentAt = queued.map((v) => v.sentAt);
    vi.useRealTimers();

    bj.start();
    for (const v of queued)
      await until(() => bj.conversation.messages.get(v.id)?.idx !== undefined, 10_000, `${v.id} in the log`);
    expect(rejected).toContain('CLOCK_SKEW');
    const views = queued.map((v) => bj.conversation.messages.get(v.id)!);
    expect(views.map((v) => [v.body, v.seq, v.rejected])).toEqual([
      ['one', 0, undefined],
      ['two', 1, undefined],
      ['three', 2, undefined],
    ]);
    views.forEach((v, i) => {
      // The logged sentAt is the resend time, within the bound of the relay's acceptance time.
      expect(Date.parse(v.sentAt) - Date.parse(oldSentAt[i]!)).toBeGreaterThan(9 * MIN);
      expect(Math.abs(Date.parse(v.states.accepted!) - Date.parse(v.sentAt))).toBeLessThan(MIN);
    });
    expect(bj.outbox.items).toHaveLength(0);
  }, 20_000);
});
