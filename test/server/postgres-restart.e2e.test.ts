// The database goes away under load with two relays on it (issue 13, part 4): Beijing on relay A and
// Washington on relay B exchange messages with receipts while the database refuses every connection and
// ends the ones it has (what a restart does to its clients). Both relays report not ready, nothing is
// accepted meanwhile; when the database is back both are ready again without a restart, every console's
// outbox drains, and every item a console saw accepted is in the log at the idx and hash it was given,
// every message exactly once and in order, each delivered once; the export verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { messagesOf, parseExport, receiptCounts, watchTrouble } from '../helpers/durability.js';
import { lostFrom, type Acknowledged } from '../helpers/kill-trials.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';
import { enrolClient, until, type TestRelay } from '../helpers/relay.js';

const ready = async (r: TestRelay) => (await fetch(`${r.url}/readyz`)).status;

describe('two relays when their database restarts under load', () => {
  let pair: RelayPair;
  let a: TestRelay;
  let b: TestRelay;
  let clients: HotlineClient[] = [];

  beforeAll(async () => {
    pair = await startRelayPair('hotline_pg_restart', { named: true });
    ({ a, b } = pair);
  });

  afterAll(async () => {
    for (const c of clients) await c.stop();
    await pair?.cleanup();
  });

  it('accepts nothing while it is gone, then drains every outbox: nothing accepted is lost or doubled', async () => {
    const backoff = { baseMs: 100, maxMs: 1000 };
    const beijing = await enrolClient(a, 'beijing', { backoff });
    const washington = await enrolClient(pair.onB, 'washington', { backoff });
    clients = [beijing, washington];
    const trouble = watchTrouble(beijing, washington);
    const accepted = new Map<string, Acknowledged>([
      ['beijing', new Map()],
      ['washington', new Map()],
    ]);
    for (const c of clients)
      c.on('message', (v) => {
        const mine = accepted.get(c.station)!;
        if (v.direction === 'out' && v.idx !== undefined && v.hash !== undefined && !mine.has(v.id))
          mine.set(v.id, { idx: v.idx, hash: v.hash });
      });
    beijing.start();
    washington.start();
    await until(() => beijing.peerOnline && washington.peerOnline, 10_000, 'presence');

    const sent = new Map<string, string[]>([
      ['beijing', []],
      ['washington', []],
    ]);
    let sending = true;
    const load = Promise.all(
      clients.map(async (c, i) => {
        for (let n = 0; sending; n++) {
          const m = await c.send({ precedence: 'ROUTINE', subject: `${c.station} ${n}`, body: `load ${i}:${n}` });
          sent.get(c.station)!.push(m.id);
          await new Promise((r) => setTimeout(r, 40));
        }
      }),
    );
    await until(() => accepted.get('beijing')!.size >= 10 && accepted.get('washington')!.size >= 10, 10_000, 'load');

    // The restart, as the relays see it: every connection refused and every open one ended.
    await pair.db.cutOff();
    await until(async () => (await ready(a)) === 503 && (await ready(b)) === 503, 15_000, 'both not ready');
    const before = accepted.get('beijing')!.size + accepted.get('washington')!.size;
    await new Promise((r) => setTimeout(r, 1500));
    // Nothing is accepted while the database is gone (an answer already on its way may still land).
    expect(accepted.get('beijing')!.size + accepted.get('washington')!.size).toBeLessThanOrEqual(before + 2);

    await pair.db.restore();
    await until(async () => (await ready(a)) === 200 && (await ready(b)) === 200, 15_000, 'both ready again');
    await new Promise((r) => setTimeout(r, 1000));
    sending = false;
    await load;

    for (const c of clients) await until(() => c.outbox.items.length === 0, 20_000, `${c.station} outbox drained`);
    const all = [...sent.values()].flat();
    await until(
      () =>
        all.every(
          (id) =>
            beijing.conversation.messages.get(id)?.states.delivered !== undefined ||
            washington.conversation.messages.get(id)?.states.delivered !== undefined,
        ),
      20_000,
      'every message delivered',
    );

    const token = await a.trainerToken();
    const text = (await b.api<string>('GET', '/v1/exercises/dtl/export', undefined, token)).body;
    const report = await verifyExport(text);
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);
    const log = parseExport(text);
    for (const c of clients) {
      expect(lostFrom(log, accepted.get(c.station)!), `${c.station}: accepted and lost`).toEqual([]);
      const ids = messagesOf(log, c.identity.kid).map((m) => m.id);
      expect(ids, `${c.station}: every message once, in order`).toEqual(sent.get(c.station));
    }
    const delivered = receiptCounts(log, 'delivered');
    for (const id of all) expect(delivered.get(id), `delivered once: ${id}`).toBe(1);
    expect(trouble.alarms).toEqual([]);
  });
});
