// The console client and the line's procedures, against a relay played in the test process (test/helpers/
// fake-relay.ts) with real keys and signatures: call requests and answers signed through the outbox with the
// request's entry hash; the local checks that spend no seq (turn, role, limit, ENDEX); translations; the
// automatic link reply (fresh tests only, never after the timeout); refusals of line items, silent for a
// link reply another device beat, reported for a call answer; enrolment with role translator.
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { HotlineClient, type ItemRefusal, type LineChange } from '../../client/client.js';
import { enrol } from '../../client/identity.js';
import { MemoryStorage } from '../../client/storage.js';
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody, type EntryKind } from '../../shared/entry.js';
import type { ItemPayload, LinkReplyPayload, TranslationPayload } from '../../shared/items.js';
import { thumbprint } from '../../shared/jws.js';
import type { RejectedFrame } from '../../shared/protocol.js';
import { FakeRelay } from '../helpers/fake-relay.js';
import { until } from '../helpers/relay.js';
import { codeOf } from '../helpers/thrown.js';

const clients: HotlineClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

/** A fake relay whose new entries carry the time they are appended: the window and the link test timeout
 * are judged against this machine's clock, as with a real relay. */
async function liveRelay(): Promise<FakeRelay> {
  const relay = await FakeRelay.start();
  const log = relay.log;
  log.add = async (kind: EntryKind, content: { jws?: string; data?: Record<string, unknown> }) => {
    const idx = log.entries.length;
    const body: EntryBody = {
      idx,
      prev: idx === 0 ? GENESIS_PREV : log.entries[idx - 1]!.hash,
      at: new Date().toISOString(),
      kind,
      ...content,
    };
    const entry: Entry = { ...body, hash: await hashEntry(body) };
    log.entries.push(entry);
    return entry;
  };
  return relay;
}

async function open(
  relay: FakeRelay,
  station: 'beijing' | 'washington',
  options: { translator?: boolean; autoLinkReply?: boolean } = {},
): Promise<HotlineClient> {
  const identity = { ...relay.identity(station), ...(options.translator ? { role: 'translator' as const } : {}) };
  const storage = new MemoryStorage({ identity, nextSeq: 0, outbox: [], checkpoint: null });
  const client = await HotlineClient.open({
    storage,
    socket: relay.socket,
    backoff: { baseMs: 5, maxMs: 20 },
    ...(options.autoLinkReply === undefined ? {} : { autoLinkReply: options.autoLinkReply }),
  });
  clients.push(client);
  const caughtUp = client.once('caughtUp');
  client.start();
  await caughtUp;
  return client;
}

function lineEvents(client: HotlineClient): LineChange[] {
  const seen: LineChange[] = [];
  client.on('line', (c) => seen.push(structuredClone(c)));
  return seen;
}

const submitted = <T extends ItemPayload['type']>(relay: FakeRelay, type: T) =>
  relay.submits.filter((p): p is Extract<ItemPayload, { type: T }> => p.type === type);

/** The relay tests `to`'s link: a link-test entry `ageMs` old, sent to every console. */
async function linkTest(relay: FakeRelay, to: string, timeoutMs = 5_000, ageMs = 0): Promise<Entry> {
  const entry = await relay.log.add('link-test', { data: { id: uuidv7(), to, timeoutMs } });
  if (ageMs > 0) {
    // Re-stamped before anyone sees it: history being caught up on.
    const body: EntryBody = { ...entry, at: new Date(Date.now() - ageMs).toISOString() };
    delete (body as Partial<Entry>).hash;
    Object.assign(entry, body, { hash: await hashEntry(body) });
  }
  relay.broadcast(entry);
  return entry;
}

const proposedAt = () => new Date(Date.now() + 3_600_000).toISOString();

describe('call requests at the console', () => {
  it('request → propose → accept: signed through the outbox with the request entry hash, followed in both LineBooks', async () => {
    const relay = await liveRelay();
    const bj = await open(relay, 'beijing');
    const dc = await open(relay, 'washington');
    const dcLine = lineEvents(dc);

    const id = await bj.requestCall({ level: 'deputy', subject: '海上事件', proposedAt: proposedAt() });
    expect(bj.lineInFlight(id)).toBe(true);
    await until(() => dc.line.calls.get(id) !== undefined, 5000, 'the request at Washington');
    expect(bj.lineInFlight(id)).toBe(false);
    const request = relay.log.entries.find((e) => e.kind === 'call')!;
    expect(dc.line.calls.get(id)).toMatchObject({
      state: 'awaiting',
      awaiting: 'washington',
      from: 'beijing',
      level: 'deputy',
    });
    expect(dcLine.at(-1)).toMatchObject({ kind: 'call', call: { id, state: 'awaiting' } });

    // Not Beijing's turn: refused here, before a seq is spent.
    const seqBefore = bj.outbox.nextSeq;
    expect(await codeOf(bj.answerCall(id, { action: 'accept', callAt: proposedAt() }))).toBe('PROCEDURE_STATE');
    expect(bj.outbox.nextSeq).toBe(seqBefore);
    expect(await codeOf(dc.answerCall(uuidv7(), { action: 'decline' }))).toBe('UNKNOWN_REF');

    const later = new Date(Date.now() + 7_200_000).toISOString();
    await dc.answerCall(id, { action: 'propose', proposedAt: later, note: 'Later, please.' });
    // One answer in flight per call.
    expect(await codeOf(dc.answerCall(id, { action: 'decline' }))).toBe('PROCEDURE_STATE');
    await until(() => bj.line.calls.get(id)?.awaiting === 'beijing', 5000, 'the counter-proposal at Beijing');
    await bj.answerCall(id, { action: 'accept', callAt: later });
    await until(() => dc.line.calls.get(id)?.state === 'accepted', 5000, 'the acceptance at Washington');

    const calls = submitted(relay, 'call');
    expect(
      calls.map((c) => [c.action, c.from, 'ref' in c ? c.ref : c.id, 'refHash' in c ? c.refHash : undefined]),
    ).toEqual([
      ['request', 'beijing', id, undefined],
      ['propose', 'washington', id, request.hash],
      ['accept', 'beijing', id, request.hash],
    ]);
    expect(dc.line.calls.get(id)).toMatchObject({ state: 'accepted', callAt: later, proposedAt: later });
    expect(dcLine.map((c) => c.kind === 'call' && c.call.state)).toEqual(['awaiting', 'awaiting', 'accepted']);
  });

  it('refuses locally: a fifth open request, a translator, and anything after ENDEX', async () => {
    const relay = await liveRelay();
    const bj = await open(relay, 'beijing');
    for (let i = 0; i < 4; i++)
      await bj.requestCall({ level: 'working', subject: `Call ${i}`, proposedAt: proposedAt() });
    expect(await codeOf(bj.requestCall({ level: 'working', subject: 'Five', proposedAt: proposedAt() }))).toBe(
      'PROCEDURE_STATE',
    );
    await until(() => bj.line.openCalls('beijing').length === 4, 5000, 'four requests logged');
    expect(await codeOf(bj.requestCall({ level: 'working', subject: 'Five', proposedAt: proposedAt() }))).toBe(
      'PROCEDURE_STATE',
    );

    const xl = await open(relay, 'washington', { translator: true });
    expect(xl.role).toBe('translator');
    const call = [...xl.line.calls.keys()][0]!;
    expect(await codeOf(xl.answerCall(call, { action: 'decline' }))).toBe('WRONG_ROLE');
    expect(await codeOf(xl.requestCall({ level: 'working', subject: 'x', proposedAt: proposedAt() }))).toBe(
      'WRONG_ROLE',
    );

    const dc = await open(relay, 'washington');
    relay.broadcast(await relay.log.add('exercise-state', { data: { state: 'ended', by: 'Trainer Wang' } }));
    await until(() => dc.lineClosed, 5000, 'ENDEX');
    expect(await codeOf(dc.answerCall(call, { action: 'decline' }))).toBe('EXERCISE_ENDED');
  });

  it('reports a call answer the relay refuses (PROCEDURE_STATE) as a refusal event', async () => {
    const relay = await liveRelay();
    const bj = await open(relay, 'beijing');
    const dc = await open(relay, 'washington');
    const id = await bj.requestCall({ level: 'principal', subject: 'Talks', proposedAt: proposedAt() });
    await until(() => dc.line.calls.has(id), 5000, 'the request');
    refuse(relay, (p) => p.type === 'call' && p.action === 'decline', 'PROCEDURE_STATE');
    const refusal = dc.once('refused');
    await dc.answerCall(id, { action: 'decline', note: 'No.' });
    const r: ItemRefusal = await refusal;
    expect(r).toMatchObject({ code: 'PROCEDURE_STATE', payload: { type: 'call', action: 'decline', ref: id } });
    expect(dc.outbox.items).toEqual([]);
    expect(dc.lineInFlight(id)).toBe(false);
  });
});

/** The relay refuses every submitted item that matches, with `code`. */
function refuse(relay: FakeRelay, match: (p: ItemPayload) => boolean, code: string): void {
  const receive = relay.receive.bind(relay);
  relay.receive = async (socket, frame) => {
    const jws = frame['jws'];
    if (frame['type'] === 'submit' && typeof jws === 'string') {
      const p = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as ItemPayload;
      if (match(p)) {
        relay.submits.push(p);
        return socket.deliver({ type: 'rejected', id: p.id, seq: p.seq, code, message: 'refused by the test' });
      }
    }
    return receive(socket, frame);
  };
}

describe('translations at the console', () => {
  it('the receiving station translates into its own language; both sides see it; once per message', async () => {
    const relay = await liveRelay();
    const bj = await open(relay, 'beijing');
    const dc = await open(relay, 'washington');
    const bjLine = lineEvents(bj);
    const sent = await bj.send({ precedence: 'PRIORITY', subject: '会谈', body: '请求明天通话。' });
    await until(() => dc.messages().some((m) => m.id === sent.id && m.hash), 5000, 'the message at Washington');

    expect(await codeOf(bj.translate(sent.id, { body: 'mine' }))).toBe('UNKNOWN_REF');
    expect(await codeOf(dc.translate(uuidv7(), { body: 'x' }))).toBe('UNKNOWN_REF');
    const updated = bj.once('message', (m) => m.id === sent.id);
    await dc.translate(sent.id, { subject: 'Talks', body: 'Request a call tomorrow.' });
    expect(await codeOf(dc.translate(sent.id, { body: 'again' }))).toBe('PROCEDURE_STATE');
    await updated;
    await until(() => bj.line.translations.has(sent.id), 5000, 'the translation at Beijing');

    const [t] = submitted(relay, 'translation') as TranslationPayload[];
    const msgEntry = relay.log.entries.find((e) => e.kind === 'message')!;
    expect(t).toMatchObject({ from: 'washington', to: 'beijing', ref: sent.id, refHash: msgEntry.hash, lang: 'en' });
    const seen = bj.line.translations.get(sent.id)!;
    expect(seen).toMatchObject({
      ref: sent.id,
      from: 'washington',
      lang: 'en',
      subject: 'Talks',
      body: 'Request a call tomorrow.',
    });
    expect(seen.delayMs).toBe(seen.at - Date.parse(msgEntry.at));
    expect(bjLine).toEqual([{ kind: 'translation', translation: seen }]);
    await until(() => dc.line.translations.has(sent.id) && !dc.lineInFlight(sent.id), 5000, 'logged at Washington');
    expect(await codeOf(dc.translate(sent.id, { body: 'again' }))).toBe('PROCEDURE_STATE');
  });

  it('a translator console translates but sends, acknowledges and receipts nothing', async () => {
    const relay = await liveRelay();
    const bj = await open(relay, 'beijing');
    const xl = await open(relay, 'washington', { translator: true });
    const sent = await bj.send({ body: '线路检查。' });
    await until(() => xl.messages().some((m) => m.id === sent.id && m.hash), 5000, 'the message at the translator');
    expect(await codeOf(xl.send({ body: 'hello' }))).toBe('WRONG_ROLE');
    expect(await codeOf(xl.acknowledge(sent.id))).toBe('WRONG_ROLE');
    await xl.translate(sent.id, { body: 'Line check.' });
    await until(() => bj.line.translations.has(sent.id), 5000, 'the translation');
    expect(relay.submits.filter((p) => p.from === 'washington').map((p) => p.type)).toEqual(['translation']);
  });
});

describe('link tests at the console', () => {
  it('answers a fresh test addressed to its station, and neither an old one nor the other station’s', async () => {
    const relay = await liveRelay();
    const dc = await open(relay, 'washington');
    const bj = await open(relay, 'beijing', { autoLinkReply: false });
    const bjLine = lineEvents(bj);

    const test = await linkTest(relay, 'washington');
    await until(() => dc.line.tests.get(test.data!['id'] as string)?.reply !== undefined, 5000, 'the reply logged');
    const [reply] = submitted(relay, 'link-reply') as LinkReplyPayload[];
    expect(reply).toMatchObject({ from: 'washington', to: 'beijing', ref: test.data!['id'], refHash: test.hash });
    await until(() => bjLine.length === 2, 5000, 'both link changes at Beijing');
    expect(bjLine.map((c) => c.kind === 'link' && c.test.reply !== undefined)).toEqual([false, true]);
    const health = bj.line.health('washington');
    expect(health).toMatchObject({ tests: 1, missed: 0 });
    expect(health.lastRttMs).toBe(Date.parse(relay.log.entries.at(-1)!.at) - Date.parse(test.at));

    // Older than its timeout by this device's clock: no reply (the relay would only refuse it).
    await linkTest(relay, 'washington', 500, 2_000);
    // Addressed to Beijing, whose console was told not to answer.
    await linkTest(relay, 'beijing');
    await until(() => dc.lastIdx === relay.log.entries.length - 1, 5000, 'both tests at Washington');
    await until(() => bj.lastIdx === relay.log.entries.length - 1, 5000, 'both tests at Beijing');
    expect(submitted(relay, 'link-reply')).toHaveLength(1);
  });

  it('drops silently a link reply refused PROCEDURE_STATE (another device answered first)', async () => {
    const relay = await liveRelay();
    refuse(relay, (p) => p.type === 'link-reply', 'PROCEDURE_STATE');
    const dc = await open(relay, 'washington');
    const noise: (RejectedFrame | ItemRefusal | string)[] = [];
    dc.on('rejected', (f) => noise.push(f));
    dc.on('refused', (r) => noise.push(r));
    dc.on('alarm', (a) => noise.push(a.message));
    const test = await linkTest(relay, 'washington');
    const id = test.data!['id'] as string;
    await until(() => submitted(relay, 'link-reply').length === 1, 5000, 'the reply submitted');
    await until(() => dc.outbox.items.length === 0 && !dc.lineInFlight(id), 5000, 'the refused reply dropped');
    // The next item takes the seq the refused reply had: nothing is left waiting.
    const sent = await dc.send({ body: 'Line check.' });
    expect(sent.seq).toBe(0);
    await until(() => dc.messages()[0]?.hash !== undefined, 5000, 'the message logged');
    expect(noise).toEqual([]);
  });
});

describe('enrolment with a role', () => {
  it('sends role translator and keeps it with the identity; an operator sends no role', async () => {
    const bodies: Record<string, unknown>[] = [];
    const relay = await FakeRelay.start();
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      const body = JSON.parse(init.body as string) as Record<string, unknown> & { publicJwk: never };
      bodies.push(body);
      const enrolled = {
        exercise: relay.identity('washington').exercise,
        station: 'washington',
        kid: await thumbprint(body.publicJwk),
        idx: 3,
        relay: relay.identity('washington').relay,
      };
      return new Response(JSON.stringify(enrolled), { status: 201, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const translator = await enrol({
      url: 'http://relay.invalid',
      code: 'c0de',
      operator: 'Lee',
      role: 'translator',
      fetch: fakeFetch,
    });
    const operator = await enrol({ url: 'http://relay.invalid', code: 'c0de', operator: 'Lee', fetch: fakeFetch });
    expect(bodies.map((b) => b['role'])).toEqual(['translator', undefined]);
    expect('role' in bodies[1]!).toBe(false);
    expect(translator.role).toBe('translator');
    expect(operator.role).toBeUndefined();
  });
});
