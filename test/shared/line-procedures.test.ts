// The line's procedures as every verifier checks them (shared/line-book.ts through shared/chain.ts): an honest
// log with call requests, a translation and link tests verifies and leaves the expected state; each broken rule
// is refused with its code at the entry that breaks it.
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../shared/chain.js';
import type { Entry } from '../../shared/entry.js';
import { TYP, type CallPayload, type ItemPayload } from '../../shared/items.js';
import { ACK_DEADLINE_MS } from '../../shared/precedence.js';
import { logKeys, LogBuilder, type LogKeys } from '../helpers/log-fixture.js';
import { message, TestKey } from '../helpers/raw-console.js';

type Station = 'beijing' | 'washington';
const other = (s: Station): Station => (s === 'beijing' ? 'washington' : 'beijing');

/** A log under construction: entries one second apart (LogBuilder), STARTEX at 60x, so each entry adds a
 * minute of line time; a two-minute call window; link tests time out after 1.5 s. */
class LineLog {
  readonly seq = new Map<string, number>();
  constructor(
    readonly log: LogBuilder,
    readonly translator: TestKey,
  ) {}

  static async start(keys: LogKeys, started = true): Promise<LineLog> {
    const log = await LogBuilder.start(keys);
    const translator = await TestKey.generate();
    await log.add('key-enrolled', {
      data: {
        kid: translator.kid,
        station: 'washington',
        operator: 'Translator Chen',
        publicJwk: translator.publicJwk,
        role: 'translator',
      },
    });
    await log.add('procedures', {
      data: {
        ackDeadlinesMs: ACK_DEADLINE_MS,
        line: { callWindowMs: 120_000, linkTestIntervalMs: 2_000, linkTestTimeoutMs: 1_500 },
        by: 'Controller Ana Ruiz',
      },
    });
    if (started)
      await log.add('exercise-state', { data: { state: 'running', compression: 60, by: 'Controller Ana Ruiz' } });
    return new LineLog(log, translator);
  }

  async item(key: TestKey, from: Station, kind: 'message' | 'call' | 'translation' | 'link-reply', fields: object) {
    const seq = this.seq.get(key.kid) ?? 0;
    const base = {
      v: 1 as const,
      id: uuidv7(),
      exercise: 'dtl',
      from,
      to: other(from),
      seq,
      sentAt: new Date().toISOString(),
    };
    const payload = (kind === 'message' ? message({ ...base, ...fields }) : { ...base, type: kind, ...fields }) as
      ItemPayload | CallPayload;
    const typ = { message: TYP.message, call: TYP.call, translation: TYP.translation, 'link-reply': TYP.linkReply }[
      kind
    ];
    const entry = await this.log.add(kind, { jws: await key.sign(payload, { typ }) });
    this.seq.set(key.kid, seq + 1);
    return { entry, payload };
  }

  request(from: Station, subject = 'Incident at sea') {
    const key = this.log.keys[from];
    return this.item(key, from, 'call', {
      action: 'request',
      level: 'principal',
      subject,
      proposedAt: '2026-11-29T12:00:00.000Z',
    });
  }

  answer(from: Station, call: Entry, callId: string, fields: object) {
    return this.item(this.log.keys[from], from, 'call', { ref: callId, refHash: call.hash, ...fields });
  }

  relay(kind: 'link-test' | 'link-missed' | 'call-expired', data: Record<string, unknown>) {
    return this.log.add(kind, { data });
  }
}

async function verify(entries: Entry[]): Promise<ChainVerifier> {
  const v = new ChainVerifier();
  for (const e of entries) await v.apply(e);
  return v;
}

async function refusal(entries: Entry[]): Promise<{ code: string; idx: unknown }> {
  try {
    await verify(entries);
  } catch (err) {
    const e = err as { code: string; details: { idx?: unknown } };
    return { code: e.code, idx: e.details.idx };
  }
  throw new Error('the log verified');
}

describe('the line procedures in a verified log', () => {
  it('follows a whole honest log: calls answered and expired, a translation, a link test answered and one missed', async () => {
    const keys = await logKeys();
    const l = await LineLog.start(keys);
    const first = await l.request('beijing');
    await l.answer('washington', first.entry, first.payload.id, {
      action: 'propose',
      proposedAt: '2026-11-29T14:00:00.000Z',
      note: 'The Secretary is travelling.',
    });
    await l.answer('beijing', first.entry, first.payload.id, {
      action: 'accept',
      callAt: '2026-11-29T14:00:00.000Z',
    });
    const second = await l.request('washington', 'Missile test notification');
    const msg = await l.item(keys.beijing, 'beijing', 'message', { lang: 'zh', body: '请确认收到。' });
    await l.relay('call-expired', {
      ref: second.payload.id,
      refHash: second.entry.hash,
      awaiting: 'beijing',
      windowMs: 120_000,
    });
    await l.item(l.translator, 'washington', 'translation', {
      ref: msg.payload.id,
      refHash: msg.entry.hash,
      lang: 'en',
      body: 'Please confirm receipt.',
    });
    const testId = uuidv7();
    const test = await l.relay('link-test', { id: testId, to: 'beijing', timeoutMs: 1_500 });
    await l.item(keys.beijing, 'beijing', 'link-reply', { ref: testId, refHash: test.hash });
    const missedId = uuidv7();
    const missed = await l.relay('link-test', { id: missedId, to: 'washington', timeoutMs: 1_500 });
    await l.item(keys.beijing, 'beijing', 'message', { body: 'Filler, one second later.' });
    await l.relay('link-missed', { ref: missedId, refHash: missed.hash, to: 'washington' });

    const v = await verify(l.log.entries);
    const call = v.line.calls.get(first.payload.id)!;
    expect(call).toMatchObject({ state: 'accepted', callAt: '2026-11-29T14:00:00.000Z', from: 'beijing' });
    expect(call.steps.map((s) => `${s.action}:${s.by}`)).toEqual([
      'request:beijing',
      'propose:washington',
      'accept:beijing',
    ]);
    expect(v.line.calls.get(second.payload.id)).toMatchObject({ state: 'expired', awaiting: undefined });
    expect(v.line.translations.get(msg.payload.id)).toMatchObject({
      lang: 'en',
      delayMs: 2_000,
      kid: l.translator.kid,
    });
    expect(v.line.health('beijing')).toMatchObject({ tests: 1, missed: 0, lastRttMs: 1_000 });
    expect(v.line.health('washington')).toMatchObject({ tests: 1, missed: 1 });
    expect(v.line.settings).toEqual({ callWindowMs: 120_000, linkTestIntervalMs: 2_000, linkTestTimeoutMs: 1_500 });
  });

  it('refuses an answer by the side that is not awaited, and an answer after the window (line time)', async () => {
    const keys = await logKeys();
    let l = await LineLog.start(keys);
    let r = await l.request('beijing');
    await l.answer('beijing', r.entry, r.payload.id, { action: 'accept', callAt: '2026-11-29T12:00:00.000Z' });
    expect(await refusal(l.log.entries)).toEqual({ code: 'PROCEDURE_STATE', idx: r.entry.idx + 1 });

    l = await LineLog.start(keys);
    r = await l.request('beijing');
    await l.item(keys.beijing, 'beijing', 'message', {});
    await l.answer('washington', r.entry, r.payload.id, { action: 'decline' });
    expect(await refusal(l.log.entries)).toEqual({ code: 'PROCEDURE_STATE', idx: r.entry.idx + 2 });
  });

  it('refuses an expiry before the window closed, and none while the line stands still before it', async () => {
    const keys = await logKeys();
    const l = await LineLog.start(keys);
    const r = await l.request('beijing');
    await l.relay('call-expired', {
      ref: r.payload.id,
      refHash: r.entry.hash,
      awaiting: 'washington',
      windowMs: 120_000,
    });
    expect(await refusal(l.log.entries)).toEqual({ code: 'PROCEDURE_STATE', idx: r.entry.idx + 1 });
  });

  it('refuses a wrong refHash, an unknown call and a fifth open request', async () => {
    const keys = await logKeys();
    let l = await LineLog.start(keys);
    const r = await l.request('beijing');
    const decoy = await l.item(keys.beijing, 'beijing', 'message', {});
    await l.answer('washington', decoy.entry, r.payload.id, { action: 'decline' });
    expect((await refusal(l.log.entries)).code).toBe('REF_HASH_MISMATCH');

    l = await LineLog.start(keys);
    await l.answer('washington', decoy.entry, uuidv7(), { action: 'decline' });
    expect((await refusal(l.log.entries)).code).toBe('UNKNOWN_REF');

    l = await LineLog.start(keys, false);
    for (let i = 0; i < 4; i++) await l.request('beijing', `Request ${i}`);
    await expect(verify(l.log.entries)).resolves.toBeDefined();
    await l.request('beijing', 'One too many');
    expect(await refusal(l.log.entries)).toEqual({ code: 'PROCEDURE_STATE', idx: l.log.entries.length - 1 });
  });

  it('refuses translations into the wrong language, of the wrong message, twice, and other items from a translator key', async () => {
    const keys = await logKeys();
    const setup = async () => {
      const l = await LineLog.start(keys);
      const msg = await l.item(keys.beijing, 'beijing', 'message', { lang: 'zh', body: '请确认。' });
      return { l, msg };
    };
    const xlat = (l: LineLog, msg: { entry: Entry; payload: ItemPayload }, over: object = {}) =>
      l.item(l.translator, 'washington', 'translation', {
        ref: msg.payload.id,
        refHash: msg.entry.hash,
        lang: 'en',
        body: 'Please confirm.',
        ...over,
      });

    let { l, msg } = await setup();
    await xlat(l, msg, { lang: 'zh' });
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l, msg } = await setup());
    await xlat(l, msg);
    await l.item(keys.washington, 'washington', 'translation', {
      ref: msg.payload.id,
      refHash: msg.entry.hash,
      lang: 'en',
      body: 'Again.',
    });
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l } = await setup());
    const own = await l.item(keys.washington, 'washington', 'message', { lang: 'en' });
    await l.item(keys.washington, 'washington', 'translation', {
      ref: own.payload.id,
      refHash: own.entry.hash,
      lang: 'en',
      body: 'My own message.',
    });
    expect((await refusal(l.log.entries)).code).toBe('UNKNOWN_REF');

    ({ l } = await setup());
    await l.item(l.translator, 'washington', 'message', { lang: 'en' });
    expect((await refusal(l.log.entries)).code).toBe('WRONG_ROLE');
  });

  it('refuses a link reply after the timeout or a second one, and a miss before the timeout or after a reply', async () => {
    const keys = await logKeys();
    const setup = async () => {
      const l = await LineLog.start(keys);
      const id = uuidv7();
      const test = await l.relay('link-test', { id, to: 'washington', timeoutMs: 1_500 });
      return { l, id, test };
    };
    const reply = (l: LineLog, id: string, test: Entry, key = keys.washington) =>
      l.item(key, 'washington', 'link-reply', { ref: id, refHash: test.hash });

    let { l, id, test } = await setup();
    await l.item(keys.beijing, 'beijing', 'message', {});
    await reply(l, id, test);
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l, id, test } = await setup());
    await reply(l, id, test);
    await reply(l, id, test, l.translator);
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l, id, test } = await setup());
    await l.relay('link-missed', { ref: id, refHash: test.hash, to: 'washington' });
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l, id, test } = await setup());
    await reply(l, id, test);
    await l.item(keys.beijing, 'beijing', 'message', {});
    await l.relay('link-missed', { ref: id, refHash: test.hash, to: 'washington' });
    expect((await refusal(l.log.entries)).code).toBe('PROCEDURE_STATE');

    ({ l, id, test } = await setup());
    await l.item(keys.beijing, 'beijing', 'link-reply', { ref: id, refHash: test.hash });
    expect((await refusal(l.log.entries)).code).toBe('UNKNOWN_REF');
  });
});
