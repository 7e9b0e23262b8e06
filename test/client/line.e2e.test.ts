// The line's procedures between real console clients and a real relay (port 0, SQLite in a temp dir): a call
// request answered by a counter-proposal and an acceptance, a decline, an expiry on line time (a 60 s window
// at compression 60); a translation by the receiving operator and one by a translator-role device, which is
// refused a message locally and sends no receipts; link tests answered by themselves by two devices of one
// station (the second reply refused PROCEDURE_STATE, silently), then missed once that station's consoles stop.
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineClient, ItemRefusal, LineChange } from '../../client/client.js';
import { HotlineClient as Client } from '../../client/client.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import { MemoryStorage } from '../../client/storage.js';
import type { RejectedFrame } from '../../shared/protocol.js';
import { codeOf } from '../helpers/thrown.js';
import { enrolClient, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const relays: TestRelay[] = [];
const clients: HotlineClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  await Promise.all(relays.splice(0).map((r) => r.cleanup()));
});

async function relay(): Promise<TestRelay> {
  const r = await startTestRelay();
  relays.push(r);
  return r;
}

async function live(r: TestRelay, station: string, role?: 'translator'): Promise<HotlineClient> {
  let client: HotlineClient;
  if (role) {
    const code = await r.issueCode(station);
    client = await Client.enrol(
      { url: r.url, code, operator: `${station} translator`, extractable: true, role },
      { storage: new MemoryStorage(), socket: nodeSocket(), backoff: { baseMs: 20, maxMs: 200 } },
    );
  } else client = await enrolClient(r, station);
  clients.push(client);
  const caughtUp = client.once('caughtUp');
  client.start();
  await caughtUp;
  return client;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('call requests through a real relay', () => {
  it('request → propose → accept; a second request declined; a third expires on line time', async () => {
    const r = await relay();
    const api = await r.trainer();
    await api.setProcedures('dtl', { line: { callWindowMs: 60_000 } });
    const bj = await live(r, 'beijing');
    const dc = await live(r, 'washington');
    const seen: LineChange[] = [];
    bj.on('line', (c) => seen.push(structuredClone(c)));

    const id = await bj.requestCall({ level: 'principal', subject: 'Incident at sea', proposedAt: inAnHour() });
    await until(() => dc.line.calls.get(id)?.awaiting === 'washington', 5000, 'the request at Washington');
    const later = new Date(Date.now() + 7_200_000).toISOString();
    await dc.answerCall(id, { action: 'propose', proposedAt: later, note: '稍后' });
    await until(() => bj.line.calls.get(id)?.awaiting === 'beijing', 5000, 'the proposal at Beijing');
    await bj.answerCall(id, { action: 'accept', callAt: later });
    await until(() => dc.line.calls.get(id)?.state === 'accepted', 5000, 'accepted at Washington');
    expect(dc.line.calls.get(id)).toMatchObject({
      callAt: later,
      steps: [{ action: 'request' }, { action: 'propose', note: '稍后' }, { action: 'accept' }],
    });
    // Closed: the relay's rules, checked here first.
    expect(await codeOf(dc.answerCall(id, { action: 'decline' }))).toBe('PROCEDURE_STATE');

    const declined = await dc.requestCall({ level: 'working', subject: 'Follow-up', proposedAt: inAnHour() });
    await until(() => bj.line.calls.has(declined), 5000, 'the second request');
    await bj.answerCall(declined, { action: 'decline', note: 'Not now.' });
    await until(() => dc.line.calls.get(declined)?.state === 'declined', 5000, 'declined at Washington');

    // 60 s of line time at compression 60: one second.
    await api.setState('dtl', { state: 'running', compression: 60 });
    const expiring = await bj.requestCall({ level: 'deputy', subject: 'Unanswered', proposedAt: inAnHour() });
    await until(() => bj.line.calls.get(expiring)?.state === 'expired', 10_000, 'the expiry at Beijing');
    await until(() => dc.line.calls.get(expiring)?.state === 'expired', 5000, 'the expiry at Washington');
    expect(await codeOf(dc.answerCall(expiring, { action: 'accept', callAt: inAnHour() }))).toBe('PROCEDURE_STATE');
    const states = seen
      .filter((c) => c.kind === 'call')
      .map((c) => (c.kind === 'call' ? `${c.call.subject}:${c.call.state}` : ''));
    expect(states).toEqual([
      'Incident at sea:awaiting',
      'Incident at sea:awaiting',
      'Incident at sea:accepted',
      'Follow-up:awaiting',
      'Follow-up:declined',
      'Unanswered:awaiting',
      'Unanswered:expired',
    ]);
  }, 30_000);
});

describe('translations through a real relay', () => {
  it('the receiving operator translates one message, a translator device another; the sender sees both', async () => {
    const r = await relay();
    const bj = await live(r, 'beijing');
    const dc = await live(r, 'washington');
    const xl = await live(r, 'washington', 'translator');
    expect(xl.role).toBe('translator');

    const first = await bj.send({ precedence: 'IMMEDIATE', subject: '会谈', body: '请求明天上午通话。' });
    const second = await bj.send({ body: '线路检查。' });
    await until(() => xl.messages().filter((m) => m.hash).length === 2, 5000, 'both messages at the translator');
    await dc.translate(first.id, { subject: 'Talks', body: 'Request a call tomorrow morning.' });
    await xl.translate(second.id, { body: 'Line check.' });
    await until(() => bj.line.translations.size === 2, 5000, 'both translations at Beijing');

    const t1 = bj.line.translations.get(first.id)!;
    const t2 = bj.line.translations.get(second.id)!;
    expect(t1).toMatchObject({ from: 'washington', lang: 'en', subject: 'Talks', kid: dc.identity.kid });
    expect(t2).toMatchObject({ from: 'washington', lang: 'en', body: 'Line check.', kid: xl.identity.kid });
    expect(t1.delayMs).toBeGreaterThanOrEqual(0);
    // One per message, whichever device of the station made it.
    await until(() => xl.line.translations.size === 2, 5000, 'both translations at the translator');
    expect(await codeOf(xl.translate(first.id, { body: 'again' }))).toBe('PROCEDURE_STATE');
    expect(await codeOf(xl.send({ body: 'hello' }))).toBe('WRONG_ROLE');
    // Only the operator console receipted the messages: the translator signed the translation alone.
    for (const m of bj.messages()) expect(m.states.delivered).toBeDefined();
    const kidOf = (jws: string) =>
      (JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const byTranslator = (await r.store.read('dtl', 0, 1000))
      .map((c) => c.entry)
      .filter((e) => e.jws !== undefined && kidOf(e.jws) === xl.identity.kid && e.kind !== 'link-reply')
      .map((e) => e.kind);
    expect(byTranslator).toEqual(['translation']);
  }, 30_000);
});

describe('link tests through a real relay', () => {
  it('two devices of a station answer by themselves, the loser silently; a stopped station misses', async () => {
    const r = await relay();
    const api = await r.trainer();
    await api.setProcedures('dtl', { line: { linkTestIntervalMs: 1_000, linkTestTimeoutMs: 600 } });
    const bj = await live(r, 'beijing');
    const dc1 = await live(r, 'washington');
    const dc2 = await live(r, 'washington');
    const noise: (RejectedFrame | ItemRefusal | string)[] = [];
    let signed = 0;
    for (const c of [dc1, dc2]) {
      const add = c.outbox.add.bind(c.outbox);
      c.outbox.add = (draft) => {
        if (draft.type === 'link-reply') signed++;
        return add(draft);
      };
      c.on('rejected', (f) => noise.push(f));
      c.on('refused', (x) => noise.push(x));
      c.on('alarm', (a) => noise.push(a.message));
    }
    const answered = () => [...bj.line.tests.values()].filter((t) => t.to === 'washington' && t.reply).length;
    await until(() => answered() >= 3, 15_000, 'three answered tests of Washington');
    const tests = [...bj.line.tests.values()].filter((t) => t.to === 'washington');
    expect(tests.filter((t) => t.missed)).toEqual([]);
    for (const t of tests.filter((x) => x.reply)) {
      expect([dc1.identity.kid, dc2.identity.kid]).toContain(t.reply!.kid);
      expect(t.reply!.rttMs).toBeLessThanOrEqual(600);
    }
    const health = bj.line.health('washington');
    expect(health.missed).toBe(0);
    expect(health.lastRttMs).toBeGreaterThanOrEqual(0);
    // Both devices reply to each test; one reply per test is logged, and nothing is said of the other.
    await until(() => dc1.outbox.items.length === 0 && dc2.outbox.items.length === 0, 5000, 'both outboxes empty');
    expect(noise).toEqual([]);
    // The losers' replies were signed and sent (and refused): more replies signed than tests answered.
    expect(signed).toBeGreaterThan(answered());

    // Washington's consoles go away: its next test is missed, and Beijing hears of it.
    const missed = bj.once(
      'line',
      (c) => c.kind === 'link' && c.test.to === 'washington' && c.test.missed !== undefined,
    );
    await Promise.all([dc1.stop(), dc2.stop()]);
    const change = await missed;
    expect(change.kind === 'link' && change.test.missed!.at - change.test.place.at).toBeGreaterThanOrEqual(600);
    expect(bj.line.health('washington').missed).toBeGreaterThanOrEqual(1);
    // Beijing's own tests meanwhile: answered by its console.
    expect(bj.line.health('beijing').missed).toBe(0);
  }, 40_000);
});
