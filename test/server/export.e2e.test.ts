import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';
import { startPair, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';

/** Exchanges n messages from Beijing, each delivered and acknowledged. */
async function exchange(bj: HotlineClient, wa: HotlineClient, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const v = await bj.send({ body: `message ${i}` });
    await until(() => wa.conversation.messages.get(v.id)?.hash !== undefined, 5000, 'arrival');
    await wa.acknowledge(v.id);
    await until(() => bj.conversation.messages.get(v.id)?.states.acknowledged !== undefined, 5000, 'ack');
  }
}

describe('export and offline verification', () => {
  let relay: TestRelay;
  let bj: HotlineClient;
  let wa: HotlineClient;
  let early = '';
  let late = '';
  let heldEarly = '';
  let heldLate = '';

  const exportNow = async () =>
    (await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken())).body;

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ beijing: bj, washington: wa } = await startPair(relay));
    await exchange(bj, wa, 2);
    early = await exportNow();
    await until(() => bj.outbox.checkpoint !== null, 5000, 'checkpoint held');
    heldEarly = bj.outbox.checkpoint!;
    await exchange(bj, wa, 3);
    late = await exportNow();
    // The console holds the checkpoint of its last accepted item.
    await until(() => bj.outbox.checkpoint !== heldEarly, 5000, 'newer checkpoint');
    heldLate = bj.outbox.checkpoint!;
  });

  afterAll(async () => {
    await Promise.all([bj.stop(), wa.stop()]);
    await relay.cleanup();
  });

  const lines = (text: string) => text.trimEnd().split('\n');

  it('verifies an untouched export, also against the checkpoints a console holds', async () => {
    const r = await verifyExport(late, { checkpoints: [heldEarly, heldLate] });
    expect(r.fault).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.entries.filter((e) => e.kind === 'message')).toHaveLength(5);
    expect(r.entries.filter((e) => e.kind === 'receipt')).toHaveLength(10);
  });

  it('names the line and entry of one flipped byte', async () => {
    const l = lines(late);
    const i = l.findIndex((x) => x.includes('"kind":"message"'));
    const target = l[i]!;
    const pos = target.indexOf('"jws":"') + 40;
    l[i] = target.slice(0, pos) + (target[pos] === 'A' ? 'B' : 'A') + target.slice(pos + 1);
    const r = await verifyExport(l.join('\n'));
    expect(r.ok).toBe(false);
    expect(r.fault).toMatchObject({ line: i + 1, idx: i - 1, code: 'CHAIN_BROKEN' });
  });

  it('names a deleted line as the missing entry', async () => {
    const l = lines(late);
    l.splice(5, 1);
    const r = await verifyExport(l.join('\n'));
    expect(r.fault).toMatchObject({ line: 6, idx: 5, code: 'CHAIN_BROKEN' });
    expect(r.fault?.message).toMatch(/entry 4 is missing/);
  });

  it('proves a log truncated behind a checkpoint a console holds, even when the relay sealed it', async () => {
    // `early` is a genuine relay export from before the last messages: a relay that rolled back its log
    // would hand out exactly this. Only the console's newer checkpoint shows what is missing.
    expect((await verifyExport(early)).ok).toBe(true);
    const r = await verifyExport(early, { checkpoints: [heldLate] });
    expect(r.ok).toBe(false);
    expect(r.fault?.code).toBe('TRUNCATED');
    expect(r.fault?.message).toMatch(/a held checkpoint covers entry \d+ but the log ends at \d+/);
  });

  it('calls a file cut mid-line truncated, and entries added after the seal what they are', async () => {
    const cut = late.slice(0, late.length - 40);
    expect((await verifyExport(cut)).fault?.code).toBe('TRUNCATED');
    const l = lines(late);
    const appended = [...l, l[3]!].join('\n');
    const r = await verifyExport(appended);
    expect(r.fault?.code).toBe('BAD_EXPORT');
    expect(r.fault?.message).toMatch(/added after the export was sealed/);
  });

  it('raises an alarm in a live console when the relay comes back with a rolled-back log', async () => {
    const snapshotDir = tempDir('hotline-rollback-');
    const port = relay.port;
    // Take a copy of the relay's data while it is stopped, then let the log grow past it.
    await relay.close();
    cpSync(relay.dataDir, snapshotDir, { recursive: true });
    relay = await startTestRelay({ port }, relay.dataDir);
    await until(() => bj.link.state === 'open' && wa.link.state === 'open', 10_000, 'reconnected');
    await exchange(bj, wa, 1);
    await until(() => bj.outbox.checkpoint !== heldLate, 5000, 'newest checkpoint');
    const alarms: string[] = [];
    bj.on('alarm', (a) => alarms.push(a.code));
    await relay.close();
    relay = await startTestRelay({ port }, snapshotDir);
    await until(() => alarms.includes('TRUNCATED'), 10_000, 'TRUNCATED alarm');
  });
});
