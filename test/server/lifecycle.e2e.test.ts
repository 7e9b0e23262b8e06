import { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startRelay } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { frameText } from '../helpers/raw-console.js';
import { enrolClient, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';
import type { HotlineClient } from '../../client/client.js';
import { verifyExport } from '../../shared/export.js';

describe('relay lifecycle, health and failure', () => {
  let relay: TestRelay | undefined;
  const clients: HotlineClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await relay?.cleanup();
    relay = undefined;
  });

  it('closes sockets with 1001 SHUTTING_DOWN on shutdown, after flushing what was queued', async () => {
    relay = await startTestRelay();
    const bj = await enrolClient(relay, 'beijing');
    clients.push(bj);
    bj.start();
    await until(() => bj.link.state === 'open', 5000, 'open');
    // A trainer's observer socket shows the close code and the error frame that precedes it.
    const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/ws`, 'hotline.v1');
    const frames: { type: string; code?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(frameText(d)) as { type: string }));
    await until(() => frames.some((f) => f.type === 'challenge'), 5000, 'challenge');
    ws.send(JSON.stringify({ type: 'observe', token: await relay.trainerToken(), exercise: 'dtl' }));
    await until(() => frames.some((f) => f.type === 'observing'), 5000, 'observing');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));

    const sent = await bj.send({ body: 'last message before shutdown' });
    await relay.close();
    expect(await closed).toBe(1001);
    expect(frames.at(-1)).toMatchObject({ type: 'error', code: 'SHUTTING_DOWN' });

    // Whatever was accepted is in the log after a restart; the rest is still in the outbox.
    relay = await startTestRelay({}, relay.dataDir);
    const exported = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
    const report = await verifyExport(exported.body);
    expect(report.ok).toBe(true);
    const logged = report.entries.some((e) => e.kind === 'message');
    expect(logged || bj.outbox.find(sent.id) !== undefined).toBe(true);
    expect(
      logged &&
        bj.outbox.find(sent.id) !== undefined &&
        bj.conversation.messages.get(sent.id)?.states.accepted !== undefined,
    ).toBe(false);
  });

  it('fails closed when the store cannot commit: STORE_UNAVAILABLE, not ready, nothing accepted, then recovers', async () => {
    relay = await startTestRelay();
    const store = relay.store;
    const bj = await enrolClient(relay, 'beijing');
    clients.push(bj);
    bj.start();
    await until(() => bj.link.state === 'open', 5000, 'open');
    const headBefore = await store.head('dtl');
    const append = store.append.bind(store);
    const probe = store.probe.bind(store);
    store.append = async () => {
      throw new Error('disk I/O error (simulated)');
    };
    store.probe = async () => {
      throw new Error('disk I/O error (simulated)');
    };
    const rejected: string[] = [];
    bj.on('rejected', (r) => rejected.push(r.code));
    const sent = await bj.send({ body: 'sent while the disk is failing' });
    await until(() => rejected.includes('STORE_UNAVAILABLE'), 5000, 'STORE_UNAVAILABLE');
    expect((await relay.api('GET', '/readyz')).status).toBe(503);
    expect(await store.head('dtl')).toEqual(headBefore);
    expect(bj.outbox.find(sent.id)).toBeDefined();

    store.append = append;
    store.probe = probe;
    expect((await relay.api('GET', '/readyz')).status).toBe(200);
    await until(
      () => bj.conversation.messages.get(sent.id)?.states.accepted !== undefined,
      10_000,
      'accepted after recovery',
    );
    expect(bj.outbox.items).toHaveLength(0);
  });

  it('serves /livez and Prometheus /metrics with the relay figures', async () => {
    relay = await startTestRelay();
    expect((await relay.api('GET', '/livez')).body).toEqual({ status: 'ok' });
    const bj = await enrolClient(relay, 'beijing');
    clients.push(bj);
    bj.start();
    const sent = await bj.send({ body: 'metrics' });
    await until(() => bj.conversation.messages.get(sent.id)?.states.accepted !== undefined, 5000, 'accepted');
    const metrics = (await relay.api<string>('GET', '/metrics')).body;
    expect(metrics).toMatch(/hotline_items_accepted_total\{kind="message"\} 1/);
    expect(metrics).toMatch(/hotline_commit_batch_size_count \d+/);
    expect(metrics).toMatch(/hotline_submit_to_accept_seconds_count 1/);
    expect(metrics).toMatch(/hotline_sockets\{state="open"\} 1/);
  });

  it('never writes a message body, token, trainer secret or enrolment code to its logs', async () => {
    let logs = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const dataDir = tempDir();
    const running = await startRelay(
      loadConfig({ dataDir, port: 0, printLinks: false }, {}),
      pino({ level: 'trace' }, sink),
    );
    try {
      const secret = running.newTrainerSecret!;
      const tokenRes = await fetch(`${running.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
      const { token } = (await tokenRes.json()) as { token: string };
      const codes: string[] = [];
      const issue = async (station: string) => {
        const r = await fetch(`${running.url}/v1/exercises/dtl/enrolment-codes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ station }),
        });
        const { code } = (await r.json()) as { code: string };
        codes.push(code);
        return code;
      };
      const target = { url: running.url, issueCode: issue };
      const bj = await enrolClient(target, 'beijing');
      const wa = await enrolClient(target, 'washington');
      clients.push(bj, wa);
      bj.start();
      wa.start();
      const body = 'CONFIDENTIAL-BODY-7f3a9c';
      const sent = await bj.send({ body, subject: 'SUBJECT-9d2e' });
      await until(() => bj.conversation.messages.get(sent.id)?.states.delivered !== undefined, 5000, 'delivered');
      // A refused frame is logged too: make one carry the body.
      const ws = new WebSocket(`${running.url.replace('http', 'ws')}/v1/ws`, 'hotline.v1');
      await new Promise((r) => ws.once('message', r));
      ws.send(JSON.stringify({ type: 'submit', jws: body }));
      await new Promise((r) => ws.once('message', r));
      ws.close();
      expect(logs).toContain('console connected');
      for (const secretThing of [body, 'SUBJECT-9d2e', secret, token, ...codes])
        expect(logs).not.toContain(secretThing);
    } finally {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
