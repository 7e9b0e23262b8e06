// The console session through a fake transport: handshake, submits, refusals and how a connection ends,
// with a real relay core over the MemoryStore and real Ed25519 keys (no sockets).
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { closeCodeFor, ERRORS, HotlineError, type ErrorCode } from '../../shared/errors.js';
import { TYP } from '../../shared/items.js';
import { MemoryStore } from '../../server/store/memory.js';
import { Core, type Connected } from '../helpers/fake-transport.js';
import { message, receipt, TestKey } from '../helpers/raw-console.js';

let core: Core | undefined;

afterEach(async () => {
  await core?.stop();
  core = undefined;
});

async function start(...args: Parameters<typeof Core.start>): Promise<Core> {
  core = await Core.start(...args);
  return core;
}

function send(c: Connected, frame: object | string): void {
  c.session.receive(typeof frame === 'string' ? frame : JSON.stringify(frame));
}

async function submitMessage(c: Connected, key: TestKey, seq: number, to: string) {
  const payload = message({ exercise: key.exercise, from: key.station, to, seq });
  send(c, { type: 'submit', jws: await key.sign(payload) });
  return payload;
}

describe('handshake', () => {
  it('sends a challenge, then answers a signed hello with presence and welcome', async () => {
    const { store, key } = await start();
    const bj = await core!.enrol('beijing');
    const c = await core!.connect();
    expect(c.challenge.relayKid).toBe(key.kid);
    expect(c.challenge.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);

    send(c, { type: 'hello', jws: await bj.hello(c.challenge.nonce) });
    // The first device of a station announces it, to itself included, before its welcome.
    expect(await c.transport.next()).toEqual({ type: 'presence', station: 'beijing', online: true });
    const welcome = await c.transport.nextOf('welcome');
    const head = await store.head('dtl');
    expect(welcome).toMatchObject({
      exercise: 'dtl',
      station: 'beijing',
      kid: bj.kid,
      peer: { station: 'washington', online: false },
      head,
      nextSeq: 0,
    });
    expect(welcome.checkpoint).toEqual(expect.any(String));
    // Then the log from idx 0: exercise-created and the enrolment.
    expect((await c.transport.nextOf('entry')).entry).toMatchObject({ idx: 0, kind: 'exercise-created' });
    expect((await c.transport.nextOf('entry')).entry).toMatchObject({ idx: 1, kind: 'key-enrolled' });
    expect(c.session.open).toBe(true);
    expect(core!.errors()).toEqual([]);
  });

  it('streams only what follows `since`', async () => {
    await start();
    const bj = await core!.enrol('beijing');
    const c = await core!.open(bj, 0);
    expect((await c.transport.nextOf('entry')).entry.idx).toBe(1);
    expect(c.transport.pending).toEqual([]);
  });

  it.each([
    ['a wrong nonce', 'HELLO_INVALID', 4401, (k: TestKey) => k.hello('x'.repeat(32))],
    ['a stale iat', 'HELLO_INVALID', 4401, (k: TestKey, n: string) => k.hello(n, { iat: 1_000_000 })],
    ['another station', 'WRONG_STATION', 4401, (k: TestKey, n: string) => k.hello(n, { station: 'washington' })],
    ['a message typ', 'BAD_TYPE', 4401, (k: TestKey, n: string) => k.sign({ nonce: n })],
  ] as const)('ends a hello with %s: error %s, close %i, nothing logged', async (_what, code, close, hello) => {
    await start();
    const bj = await core!.enrol('beijing');
    const c = await core!.connect();
    send(c, { type: 'hello', jws: await hello(bj, c.challenge.nonce) });
    expect(await c.transport.nextOf('error')).toMatchObject({ code });
    expect(await c.transport.waitForClose()).toEqual({ code: close, reason: code });
    expect(c.session.closed).toBe(true);
    expect(core!.errors()).toEqual([]);
  });

  it('ends a hello of an unknown key with UNKNOWN_KEY and 4401, and of a revoked key with KEY_REVOKED and 4403', async () => {
    await start();
    const stranger = await TestKey.generate();
    Object.assign(stranger, { station: 'beijing', exercise: 'dtl' });
    const a = await core!.connect();
    send(a, { type: 'hello', jws: await stranger.hello(a.challenge.nonce) });
    expect(await a.transport.nextOf('error')).toMatchObject({ code: 'UNKNOWN_KEY' });
    expect((await a.transport.waitForClose()).code).toBe(4401);

    const revoked = await core!.enrol('beijing');
    await core!.revoke(revoked);
    const b = await core!.connect();
    send(b, { type: 'hello', jws: await revoked.hello(b.challenge.nonce) });
    expect(await b.transport.nextOf('error')).toMatchObject({ code: 'KEY_REVOKED' });
    expect((await b.transport.waitForClose()).code).toBe(4403);
    expect(core!.errors()).toEqual([]);
  });

  it('turns an unexpected failure during a hello into INTERNAL, closes 1011 and logs it once with its stack', async () => {
    const store = new MemoryStore();
    await start({}, store);
    const bj = await core!.enrol('beijing');
    store.head = async () => {
      throw new Error('simulated: the disk went away');
    };
    const c = await core!.connect();
    send(c, { type: 'hello', jws: await bj.hello(c.challenge.nonce) });
    // The console learns nothing of the cause.
    expect(await c.transport.nextOf('error')).toEqual({ type: 'error', code: 'INTERNAL', message: 'Internal error.' });
    expect(await c.transport.waitForClose()).toEqual({ code: 1011, reason: 'INTERNAL' });
    const errors = core!.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toBe('internal error during hello');
    expect(errors[0]!.err?.message).toBe('simulated: the disk went away');
    expect(errors[0]!.err?.stack).toContain('session.test.ts');
  });

  it('ends a connection that says no hello in time with HELLO_TIMEOUT and 4408', async () => {
    await start({ helloTimeoutMs: 1 });
    const c = await core!.connect();
    expect(await c.transport.nextOf('error')).toMatchObject({ code: 'HELLO_TIMEOUT' });
    expect((await c.transport.waitForClose()).code).toBe(4408);
  });
});

describe('observers', () => {
  it('answers a valid observe with observing, then streams the log; a submit is refused', async () => {
    const { key } = await start();
    const c = await core!.connect();
    send(c, { type: 'observe', token: (await key.signToken('trainer', 60)).token, exercise: 'dtl' });
    const observing = await c.transport.nextOf('observing');
    expect(observing).toMatchObject({ exercise: 'dtl', online: { beijing: false, washington: false } });
    expect((await c.transport.nextOf('entry')).entry.idx).toBe(0);
    send(c, { type: 'submit', jws: 'a.b.c.d.e.f' });
    expect(await c.transport.nextOf('rejected')).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it.each([
    ['a bad token', 'UNAUTHORIZED', 'not-a-valid-token', 'dtl'],
    ['an unknown exercise', 'NOT_FOUND', undefined, 'nowhere'],
  ] as const)('ends an observe with %s: %s and 4401, nothing logged', async (_what, code, token, exercise) => {
    const { key } = await start();
    const c = await core!.connect();
    send(c, { type: 'observe', token: token ?? (await key.signToken('trainer', 60)).token, exercise });
    expect(await c.transport.nextOf('error')).toMatchObject({ code });
    expect(await c.transport.waitForClose()).toEqual({ code: 4401, reason: code });
    expect(core!.errors()).toEqual([]);
  });

  it('ends an observe that fails unexpectedly with INTERNAL and 1011 (transient, like a hello), logged once', async () => {
    const store = new MemoryStore();
    const { key } = await start({}, store);
    store.head = async () => {
      throw new Error('simulated: the disk went away');
    };
    const c = await core!.connect();
    send(c, { type: 'observe', token: (await key.signToken('trainer', 60)).token, exercise: 'dtl' });
    expect(await c.transport.nextOf('error')).toMatchObject({ code: 'INTERNAL' });
    expect(await c.transport.waitForClose()).toEqual({ code: 1011, reason: 'INTERNAL' });
    expect(core!.errors().map((r) => [r.msg, r.err?.message])).toEqual([
      ['internal error during observe', 'simulated: the disk went away'],
    ]);
  });
});

describe('submits', () => {
  it('accepts a message, streams its entry to both stations in order, then accepts the receipt', async () => {
    await start();
    const [bjKey, waKey] = [await core!.enrol('beijing'), await core!.enrol('washington')];
    const bj = await core!.open(bjKey, 2);
    const wa = await core!.open(waKey, 2);
    expect(await bj.transport.next()).toEqual({ type: 'presence', station: 'washington', online: true });

    const sent = [];
    for (let seq = 0; seq < 3; seq++) sent.push(await submitMessage(bj, bjKey, seq, 'washington'));
    const entries: number[] = [];
    const accepted: number[] = [];
    while (accepted.length < 3) {
      const f = await bj.transport.next();
      if (f.type === 'entry') entries.push(f.entry.idx);
      else if (f.type === 'accepted') {
        // An item's own entry reaches its sender before its acceptance.
        expect(entries).toContain(f.idx);
        expect(f.id).toBe(sent[f.seq]!.id);
        accepted.push(f.idx);
      } else throw new Error(`unexpected ${JSON.stringify(f)}`);
    }
    expect(entries).toEqual([3, 4, 5]);
    expect(accepted).toEqual([3, 4, 5]);
    const received = [];
    for (let i = 0; i < 3; i++) received.push((await wa.transport.nextOf('entry')).entry);
    expect(received.map((e) => e.idx)).toEqual([3, 4, 5]);

    const ref = received[0]!;
    const rcpt = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      ref: sent[0]!.id,
      refHash: ref.hash,
    });
    send(wa, { type: 'submit', jws: await waKey.sign(rcpt, { typ: TYP.receipt }) });
    expect((await wa.transport.nextOf('entry')).entry).toMatchObject({ idx: 6, kind: 'receipt' });
    expect(await wa.transport.nextOf('accepted')).toMatchObject({ id: rcpt.id, seq: 0, idx: 6 });
    expect((await bj.transport.nextOf('entry')).entry.idx).toBe(6);
  });

  it('answers refused frames with rejected and stays usable', async () => {
    await start();
    const bjKey = await core!.enrol('beijing');
    const bj = await core!.open(bjKey, 1);

    send(bj, 'not json');
    expect(await bj.transport.nextOf('rejected')).toMatchObject({ code: 'BAD_FRAME' });
    send(bj, { type: 'hello', jws: await bjKey.hello(bj.challenge.nonce) });
    expect(await bj.transport.nextOf('rejected')).toMatchObject({ code: 'BAD_FRAME' });
    const gap = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 5 });
    send(bj, { type: 'submit', jws: await bjKey.sign(gap) });
    expect(await bj.transport.nextOf('rejected')).toEqual({
      type: 'rejected',
      code: 'SEQ_GAP',
      message: 'Expected seq 0, got 5.',
      id: gap.id,
      seq: 5,
      expectedSeq: 0,
    });
    const self = message({ exercise: 'dtl', from: 'beijing', to: 'beijing', seq: 0 });
    send(bj, { type: 'submit', jws: await bjKey.sign(self) });
    expect(await bj.transport.nextOf('rejected')).toMatchObject({ code: 'WRONG_RECIPIENT', id: self.id, seq: 0 });
    send(bj, { type: 'ping', id: 'p1', t: 42 });
    expect(await bj.transport.nextOf('pong')).toMatchObject({ id: 'p1', t: 42 });

    const ok = await submitMessage(bj, bjKey, 0, 'washington');
    expect((await bj.transport.nextOf('entry')).entry.idx).toBe(2);
    expect(await bj.transport.nextOf('accepted')).toMatchObject({ id: ok.id, seq: 0, idx: 2 });
    expect(bj.transport.closedWith).toBeUndefined();
    expect(core!.errors()).toEqual([]);
  });

  it('refuses a submit before the welcome with NOT_AUTHENTICATED and keeps the connection', async () => {
    await start();
    const c = await core!.connect();
    send(c, { type: 'submit', jws: 'a.b.c.d.e.f' });
    expect(await c.transport.nextOf('rejected')).toMatchObject({ code: 'NOT_AUTHENTICATED' });
    expect(c.transport.closedWith).toBeUndefined();
  });

  it('rejects a submit that fails unexpectedly with INTERNAL, logs it once, and stays usable', async () => {
    const store = new MemoryStore();
    await start({}, store);
    await core!.enrol('beijing');
    const waKey = await core!.enrol('washington');
    const wa = await core!.open(waKey, 2);
    const findMessage = store.findMessage.bind(store);
    store.findMessage = async () => {
      throw new Error('simulated: index corrupt');
    };
    const ref = { ref: uuidv7(), refHash: 'A'.repeat(43) };
    const rcpt = receipt({ exercise: 'dtl', from: 'washington', to: 'beijing', seq: 0, ...ref });
    send(wa, { type: 'submit', jws: await waKey.sign(rcpt, { typ: TYP.receipt }) });
    expect(await wa.transport.nextOf('rejected')).toMatchObject({ code: 'INTERNAL', id: rcpt.id, seq: 0 });
    const errors = core!.errors();
    expect(errors.map((r) => r.msg)).toEqual(['internal error handling a frame']);
    expect(errors[0]!.err?.stack).toContain('simulated: index corrupt');

    store.findMessage = findMessage;
    await submitMessage(wa, waKey, 0, 'beijing');
    expect(await wa.transport.nextOf('entry')).toMatchObject({ entry: { idx: 3 } });
    expect(await wa.transport.nextOf('accepted')).toMatchObject({ seq: 0, idx: 3 });
  });
});

describe('how connections end', () => {
  it('closes every connection of a key revoked meanwhile with KEY_REVOKED and 4403', async () => {
    await start();
    const [bjKey, waKey] = [await core!.enrol('beijing'), await core!.enrol('washington')];
    const bj = await core!.open(bjKey);
    const wa = await core!.open(waKey);
    await core!.revoke(bjKey);
    expect(await bj.transport.waitForClose()).toEqual({ code: 4403, reason: 'KEY_REVOKED' });
    expect(wa.transport.closedWith).toBeUndefined();
  });

  it('closes every connection with SHUTTING_DOWN and 1001 on close, and new ones at once', async () => {
    await start();
    const bj = await core!.open(await core!.enrol('beijing'));
    const waiting = await core!.connect();
    await core!.relay.close();
    for (const c of [bj, waiting])
      expect(await c.transport.waitForClose()).toEqual({ code: 1001, reason: 'SHUTTING_DOWN' });
    const late = await core!.connect();
    expect(await late.transport.nextOf('error')).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect((await late.transport.waitForClose()).code).toBe(1001);
    expect(late.transport.afterClose).toEqual([]);
  });
});

describe('closeCodeFor', () => {
  it('gives every code with a close code in the table that code', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const close = ERRORS[code].close;
      if (close !== null) expect(closeCodeFor(new HotlineError(code)), code).toBe(close);
    }
  });

  it('closes a failed handshake for a code without one with 4401; revocation and internal failures keep theirs', () => {
    expect(closeCodeFor(new HotlineError('UNKNOWN_KEY'))).toBe(4401);
    expect(closeCodeFor(new HotlineError('UNAUTHORIZED'))).toBe(4401);
    expect(closeCodeFor(new HotlineError('KEY_REVOKED'))).toBe(4403);
    expect(closeCodeFor(new HotlineError('INTERNAL'))).toBe(1011);
    expect(closeCodeFor(new HotlineError('STORE_UNAVAILABLE'))).toBe(1011);
  });
});
