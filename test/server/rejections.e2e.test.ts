// Every bad input against a live relay (real sockets, real SQLite): each is refused with its documented
// code, changes nothing in the log, and, unless the code ends the connection, leaves the connection usable.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { CompactSign, generateKeyPair } from 'jose';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base64url, fromBase64url, utf8 } from '../../shared/encoding.js';
import type { Entry } from '../../shared/entry.js';
import { LIMITS, TYP, type MessagePayload } from '../../shared/items.js';
import { hashEnrolmentCode, newEnrolmentCode } from '../../server/enrolment-code.js';
import { RelayKey } from '../../server/relay-key.js';
import {
  enrolKey,
  message,
  postEnrol,
  RawConsole,
  refusedUpgrade,
  TestKey,
  type FrameOf,
} from '../helpers/raw-console.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';
import { nonCanonical, oddHeader, oddLength } from '../helpers/log-fixture.js';

interface Head {
  idx: number;
  hash: string;
}
interface ExerciseView {
  head: Head;
  keys: { kid: string }[];
}

const part = (jws: string, i: number) => jws.split('.')[i]!;
const withPart = (jws: string, i: number, value: string) =>
  jws
    .split('.')
    .map((p, j) => (j === i ? value : p))
    .join('.');

describe('rejections on a live relay', () => {
  let relay: TestRelay;
  let token: string;
  /** Enrolled for dtl: Beijing, a second Beijing device, Washington; and Beijing in the second exercise. */
  let bj: TestKey;
  let bj2: TestKey;
  let wa: TestKey;
  let drillBj: TestKey;
  /** A key nobody enrolled. */
  let stranger: TestKey;
  const consoles: RawConsole[] = [];

  async function exercise(id = 'dtl'): Promise<ExerciseView> {
    const res = await relay.api<ExerciseView>('GET', `/v1/exercises/${id}`, undefined, token);
    expect(res.status).toBe(200);
    return res.body;
  }
  const head = async (id = 'dtl'): Promise<Head> => (await exercise(id)).head;

  async function connect(key?: TestKey): Promise<RawConsole> {
    const c = key ? await RawConsole.open(relay, key) : await RawConsole.connect(relay);
    consoles.push(c);
    return c;
  }

  /**
   * Sends a submit (a JWS) or any raw frame, expects the rejection, then proves that nothing changed and
   * that the connection still works: the next valid item is accepted as the very next entry of the log.
   */
  async function expectRejected(
    c: RawConsole,
    input: string | { frame: string | object },
    code: string,
    fields: Record<string, unknown> = {},
  ): Promise<FrameOf<'rejected'>> {
    const before = await head();
    let answer;
    if (typeof input === 'string') {
      answer = await c.submit(input);
    } else {
      c.send(input.frame);
      answer = await c.result();
    }
    expect(answer).toMatchObject({ type: 'rejected', code, ...fields });
    expect(await head()).toEqual(before);
    const { accepted } = await c.accept();
    expect(accepted.idx).toBe(before.idx + 1);
    return answer as FrameOf<'rejected'>;
  }

  beforeAll(async () => {
    relay = await startTestRelay();
    token = await relay.trainerToken();
    const drill = await relay.api(
      'POST',
      '/v1/exercises',
      {
        id: 'drill',
        title: 'Second drill',
        classification: 'UNCLASSIFIED // EXERCISE',
        stations: [
          { id: 'beijing', name: 'Beijing', lang: 'zh' },
          { id: 'washington', name: 'Washington', lang: 'en' },
        ],
      },
      token,
    );
    expect(drill.status).toBe(201);
    [bj, bj2, wa, drillBj, stranger] = await Promise.all([
      enrolKey(relay, 'beijing'),
      enrolKey(relay, 'beijing'),
      enrolKey(relay, 'washington'),
      enrolKey(relay, 'beijing', 'drill'),
      TestKey.generate(),
    ]);
  });

  afterEach(() => {
    for (const c of consoles.splice(0)) {
      expect(c.malformed).toEqual([]);
      c.close();
    }
  });

  afterAll(async () => {
    await relay?.cleanup();
  });

  describe('frames', () => {
    it('refuses a frame over 64 KiB (under the hard cap) with FRAME_TOO_LARGE and keeps the connection', async () => {
      const c = await connect(bj);
      const frame = JSON.stringify({ type: 'submit', jws: 'a'.repeat(100 * 1024) });
      expect(frame.length).toBeGreaterThan(LIMITS.frameBytes);
      await expectRejected(c, { frame }, 'FRAME_TOO_LARGE');
      expect(c.isOpen).toBe(true);
    });

    it('refuses a frame one byte over 64 KiB but takes one of exactly 64 KiB to the schema', async () => {
      const c = await connect(bj);
      const pad = (n: number) => `{"type":"ping","id":"${'x'.repeat(n - 23)}"}`;
      expect(pad(LIMITS.frameBytes).length).toBe(LIMITS.frameBytes);
      await expectRejected(c, { frame: pad(LIMITS.frameBytes) }, 'SCHEMA_INVALID');
      await expectRejected(c, { frame: pad(LIMITS.frameBytes + 1) }, 'FRAME_TOO_LARGE');
    });

    it('counts the limit in bytes, not characters: 30,000 CJK characters (90 KB) are FRAME_TOO_LARGE', async () => {
      const c = await connect(bj);
      const frame = JSON.stringify({ type: 'submit', jws: '线'.repeat(30_000) });
      expect(frame.length).toBeLessThan(LIMITS.frameBytes);
      expect(Buffer.byteLength(frame)).toBeGreaterThan(LIMITS.frameBytes);
      await expectRejected(c, { frame }, 'FRAME_TOO_LARGE');
      expect(c.isOpen).toBe(true);
    });

    it('closes the socket with 1009 on a frame over 256 KiB, and nothing changes', async () => {
      const before = await head();
      const c = await connect(bj);
      c.send(JSON.stringify({ type: 'submit', jws: 'a'.repeat(300 * 1024) }));
      expect((await c.waitForClose()).code).toBe(1009);
      expect(await head()).toEqual(before);
      const again = await connect(bj);
      expect((await again.accept()).accepted.idx).toBe(before.idx + 1);
    });

    it('refuses malformed JSON with BAD_FRAME', async () => {
      await expectRejected(await connect(bj), { frame: '{"type":"submit","jws":' }, 'BAD_FRAME');
    });

    it('refuses an unknown frame type with BAD_FRAME', async () => {
      await expectRejected(await connect(bj), { frame: { type: 'publish', jws: 'aaaa.bbbb.cccc' } }, 'BAD_FRAME');
    });

    it('refuses a binary frame with BAD_FRAME', async () => {
      const c = await connect(bj);
      const before = await head();
      c.ws.send(Buffer.from(JSON.stringify({ type: 'submit', jws: await c.sign(c.message()) })), { binary: true });
      expect(await c.result()).toMatchObject({ type: 'rejected', code: 'BAD_FRAME' });
      expect(await head()).toEqual(before);
      expect((await c.accept()).accepted.idx).toBe(before.idx + 1);
    });

    it('refuses a submit frame with an extra field with SCHEMA_INVALID', async () => {
      const c = await connect(bj);
      await expectRejected(c, { frame: { type: 'submit', jws: await c.sign(c.message()), seq: 0 } }, 'SCHEMA_INVALID');
    });
  });

  describe('item schema', () => {
    const cases: [string, (m: MessagePayload) => unknown][] = [
      ['a bad precedence', (m) => ({ ...m, precedence: 'URGENT' })],
      ['a missing body', ({ body: _body, ...m }) => m],
      ['an extra field', (m) => ({ ...m, priority: 'high' })],
      ['a UUIDv4 id', (m) => ({ ...m, id: uuidv4() })],
      ['an id that is no uuid', (m) => ({ ...m, id: 'message-1' })],
      ['a negative seq', (m) => ({ ...m, seq: -1 })],
    ];
    it.each(cases)('refuses %s with SCHEMA_INVALID', async (_name, bend) => {
      const c = await connect(bj);
      await expectRejected(c, await c.sign(bend(c.message())), 'SCHEMA_INVALID');
    });
  });

  describe('strict input: repeated members, lengths in UTF-16 units, one base64url spelling', () => {
    it('refuses a repeated member in the signed header (BAD_JWS) or payload (SCHEMA_INVALID)', async () => {
      const c = await connect(bj);
      const header = `{"alg":"Ed25519","kid":"${bj.kid}","typ":"${TYP.receipt}","typ":"${TYP.message}"}`;
      await expectRejected(c, await bj.forge(header, c.message()), 'BAD_JWS');
      const m = c.message();
      const text = JSON.stringify(m).replace('"to":"washington"', '"to":"beijing","to":"washington"');
      await expectRejected(c, await c.sign(text), 'SCHEMA_INVALID');
      await expectRejected(
        c,
        { frame: `{"type":"submit","jws":"${await c.sign(c.message())}","type":"ping"}` },
        'BAD_FRAME',
      );
    });

    it('counts body and subject in UTF-16 code units: 4,000 emoji pass, 4,001 do not; 100 and 101 for a subject', async () => {
      const c = await connect(bj);
      const emoji = (n: number) => '😀'.repeat(n);
      await expectRejected(c, await c.sign(c.message({ body: emoji(LIMITS.body / 2 + 1) })), 'SCHEMA_INVALID');
      await expectRejected(c, await c.sign(c.message({ subject: emoji(LIMITS.subject / 2 + 1) })), 'SCHEMA_INVALID');
      await expectRejected(c, await c.sign(c.message({ body: `${emoji(LIMITS.body / 2 - 1)}xy!` })), 'SCHEMA_INVALID');
      const { accepted } = await c.accept({ body: emoji(LIMITS.body / 2), subject: emoji(LIMITS.subject / 2) });
      expect(accepted.idx).toBeGreaterThan(0);
    });

    it('refuses a second spelling of the header, the payload or the signature with BAD_JWS', async () => {
      const c = await connect(bj);
      const signed = await c.sign(oddLength(c.message()));
      const headed = await bj.forge(oddHeader(bj.kid), oddLength(c.message()));
      await expectRejected(c, withPart(headed, 0, nonCanonical(part(headed, 0))), 'BAD_JWS');
      await expectRejected(c, withPart(signed, 1, nonCanonical(part(signed, 1))), 'BAD_JWS');
      await expectRejected(c, withPart(signed, 2, nonCanonical(part(signed, 2))), 'BAD_JWS');
    });
  });

  describe('signatures and keys', () => {
    it('refuses alg EdDSA and ES256 with BAD_ALGORITHM', async () => {
      const c = await connect(bj);
      await expectRejected(c, await c.sign(c.message(), { alg: 'EdDSA' }), 'BAD_ALGORITHM');
      const p256 = await generateKeyPair('ES256');
      const es256 = await new CompactSign(utf8(JSON.stringify(c.message())))
        .setProtectedHeader({ alg: 'ES256', kid: bj.kid, typ: TYP.message })
        .sign(p256.privateKey);
      await expectRejected(c, es256, 'BAD_ALGORITHM');
    });

    it('refuses alg none with BAD_ALGORITHM', async () => {
      const c = await connect(bj);
      await expectRejected(
        c,
        await bj.forge({ alg: 'none', kid: bj.kid, typ: TYP.message }, c.message(), ''),
        'BAD_ALGORITHM',
      );
    });

    it('refuses a forged signature with BAD_SIGNATURE, naming the item', async () => {
      const c = await connect(bj);
      const m = c.message();
      await expectRejected(c, await stranger.sign(m, { kid: bj.kid }), 'BAD_SIGNATURE', { id: m.id, seq: m.seq });
    });

    it('refuses a payload swapped under a valid signature with BAD_SIGNATURE', async () => {
      const c = await connect(bj);
      const signed = await c.sign(c.message({ body: 'Stand down.' }));
      const other = await c.sign(c.message({ body: 'Raise readiness.' }));
      await expectRejected(c, withPart(signed, 1, part(other, 1)), 'BAD_SIGNATURE');
    });

    it('refuses a flipped payload byte with BAD_SIGNATURE', async () => {
      const c = await connect(bj);
      const signed = await c.sign(c.message({ body: 'Stand down.' }));
      const bytes = fromBase64url(part(signed, 1))!;
      const i = new TextDecoder().decode(bytes).indexOf('Stand');
      bytes[i] = bytes[i]! ^ 0x20;
      await expectRejected(c, withPart(signed, 1, base64url(bytes)), 'BAD_SIGNATURE');
    });

    it('refuses an unknown kid with UNKNOWN_KEY', async () => {
      const c = await connect(bj);
      await expectRejected(c, await stranger.sign(c.message()), 'UNKNOWN_KEY');
    });

    it('refuses an item signed by a key of the other station with WRONG_STATION', async () => {
      const c = await connect(bj);
      await expectRejected(c, await wa.sign(c.message()), 'WRONG_STATION');
      await expectRejected(c, await wa.sign(c.message({ from: 'washington', to: 'beijing' })), 'WRONG_STATION');
    });

    it('refuses an item signed by another device of the same station with KEY_MISMATCH', async () => {
      const c = await connect(bj);
      await expectRejected(c, await bj2.sign(c.message({ seq: 0 })), 'KEY_MISMATCH');
    });
  });

  describe('routing', () => {
    it('refuses an item naming another exercise with WRONG_EXERCISE', async () => {
      const c = await connect(bj);
      const drillBefore = await head('drill');
      await expectRejected(c, await c.sign(c.message({ exercise: 'drill' })), 'WRONG_EXERCISE');
      await expectRejected(c, await c.sign(c.message({ exercise: 'nowhere' })), 'WRONG_EXERCISE');
      expect(await head('drill')).toEqual(drillBefore);
    });

    it('refuses an item signed by a key of another exercise with WRONG_EXERCISE', async () => {
      const c = await connect(bj);
      const drillBefore = await head('drill');
      await expectRejected(c, await drillBj.sign(c.message({ seq: 0 })), 'WRONG_EXERCISE');
      expect(await head('drill')).toEqual(drillBefore);
    });

    it('refuses a wrong from with WRONG_STATION', async () => {
      const c = await connect(bj);
      await expectRejected(c, await c.sign(c.message({ from: 'washington', to: 'beijing' })), 'WRONG_STATION');
    });

    it('refuses a wrong to with WRONG_RECIPIENT', async () => {
      const c = await connect(bj);
      await expectRejected(c, await c.sign(c.message({ to: 'beijing' })), 'WRONG_RECIPIENT');
      await expectRejected(c, await c.sign(c.message({ to: 'moscow' })), 'WRONG_RECIPIENT');
    });
  });

  describe('seq', () => {
    it('refuses a seq gap with SEQ_GAP and the expected seq', async () => {
      const c = await connect(bj);
      const next = c.seq;
      await expectRejected(c, await c.sign(c.message({ seq: next + 1 })), 'SEQ_GAP', {
        expectedSeq: next,
        seq: next + 1,
      });
      await expectRejected(c, await c.sign(c.message({ seq: next + 1000 })), 'SEQ_GAP', { expectedSeq: next + 1 });
    });

    it('refuses the same seq with another payload with SEQ_CONFLICT and logs an alarm', async () => {
      const c = await connect(bj);
      const { payload, accepted } = await c.accept({ body: 'First version.' });
      const before = await head();
      expect(before).toEqual({ idx: accepted.idx, hash: accepted.hash });
      const conflicting = await c.sign(c.message({ seq: payload.seq, body: 'Second version.' }));
      expect(await c.submit(conflicting)).toMatchObject({
        type: 'rejected',
        code: 'SEQ_CONFLICT',
        expectedSeq: payload.seq + 1,
      });

      const isAlarm = (f: FrameOf<'entry'>['entry']) =>
        f.kind === 'alarm' &&
        f.data?.['code'] === 'SEQ_CONFLICT' &&
        f.data['kid'] === bj.kid &&
        f.data['seq'] === payload.seq;
      const alarm = (await c.waitForFrame((f): f is FrameOf<'entry'> => f.type === 'entry' && isAlarm(f.entry))).entry;
      expect(alarm.idx).toBe(before.idx + 1);
      // The alarm is the only change, and it is durable in the exported log.
      expect(await head()).toEqual({ idx: alarm.idx, hash: alarm.hash });
      const exported = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, token);
      const entries = exported.body
        .trim()
        .split('\n')
        .slice(1, -1)
        .map((l) => JSON.parse(l) as Entry);
      expect(entries.filter((e) => isAlarm(e))).toEqual([alarm]);
      // The original item still stands and the stream goes on.
      expect(entries[accepted.idx]!.jws).not.toBe(conflicting);
      expect((await c.accept()).accepted.idx).toBe(alarm.idx + 1);
    });

    it('answers the same JWS twice with the same acceptance and logs it once', async () => {
      const c = await connect(bj);
      const before = await head();
      const jws = await c.sign(c.message());
      const first = await c.submit(jws);
      const second = await c.submit(jws);
      expect(first).toMatchObject({ type: 'accepted', idx: before.idx + 1 });
      const { checkpoint: _a, ...firstCore } = first as FrameOf<'accepted'>;
      const { checkpoint: _b, ...secondCore } = second as FrameOf<'accepted'>;
      expect(secondCore).toEqual(firstCore);
      expect(await head()).toEqual({ idx: before.idx + 1, hash: (first as FrameOf<'accepted'>).hash });

      // After a reconnect (an outbox resubmitting); another spelling of the same signature is refused.
      const again = await connect(bj);
      const { checkpoint: _c, ...core } = (await again.submit(jws)) as FrameOf<'accepted'>;
      expect(core).toEqual(firstCore);
      const malleated = withPart(jws, 2, nonCanonical(part(jws, 2)));
      expect(await again.submit(malleated)).toMatchObject({ type: 'rejected', code: 'BAD_JWS' });
      expect(await head()).toEqual({ idx: before.idx + 1, hash: (first as FrameOf<'accepted'>).hash });
      expect(again.welcome?.nextSeq).toBe((first as FrameOf<'accepted'>).seq + 1);
    });
  });

  describe('types and receipts', () => {
    it('refuses a receipt passed off as a message with BAD_TYPE', async () => {
      const w = await connect(wa);
      const { payload, accepted } = await w.accept();
      const c = await connect(bj);
      await expectRejected(c, await c.sign(c.receipt(payload.id, accepted.hash), { typ: TYP.message }), 'BAD_TYPE');
      await expectRejected(c, await c.sign(c.message(), { typ: TYP.receipt }), 'BAD_TYPE');
    });

    it('refuses a hello JWS submitted as an item with BAD_TYPE', async () => {
      const c = await connect(bj);
      await expectRejected(c, await bj.hello(c.challenge.nonce), 'BAD_TYPE');
    });

    it('refuses a receipt for an unknown message with UNKNOWN_REF', async () => {
      const w = await connect(wa);
      const { accepted } = await w.accept();
      const c = await connect(bj);
      await expectRejected(c, await c.sign(c.receipt(uuidv7(), accepted.hash), { typ: TYP.receipt }), 'UNKNOWN_REF');
    });

    it('refuses a receipt for a message the receipt sender sent itself with UNKNOWN_REF', async () => {
      const c = await connect(bj);
      const { payload, accepted } = await c.accept();
      await expectRejected(c, await c.sign(c.receipt(payload.id, accepted.hash), { typ: TYP.receipt }), 'UNKNOWN_REF');
    });

    it('refuses a receipt with the wrong refHash with REF_HASH_MISMATCH, and takes the right one', async () => {
      const w = await connect(wa);
      const { payload, accepted } = await w.accept();
      const { accepted: later } = await w.accept();
      const c = await connect(bj);
      const wrong = later.hash;
      await expectRejected(c, await c.sign(c.receipt(payload.id, wrong), { typ: TYP.receipt }), 'REF_HASH_MISMATCH');
      const ok = await c.submit(await c.sign(c.receipt(payload.id, accepted.hash), { typ: TYP.receipt }));
      expect(ok).toMatchObject({ type: 'accepted' });
    });
  });

  describe('handshake', () => {
    it('refuses a submit before hello with NOT_AUTHENTICATED, then lets the console say hello', async () => {
      const before = await head();
      const c = await connect();
      // A valid item, refused only because the connection has not proven its key yet.
      const seq = await relay.store.nextSeq(bj.kid);
      c.send({
        type: 'submit',
        jws: await bj.sign(message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq })),
      });
      expect(await c.result()).toMatchObject({ type: 'rejected', code: 'NOT_AUTHENTICATED' });
      expect(await head()).toEqual(before);
      await c.authenticate(bj);
      expect((await c.accept()).accepted.idx).toBe(before.idx + 1);
    });

    it('ends a hello with the wrong nonce with HELLO_INVALID and close 4401', async () => {
      const c = await connect();
      c.send({ type: 'hello', jws: await bj.hello('n'.repeat(32)) });
      expect(await c.waitFor('error')).toMatchObject({ code: 'HELLO_INVALID' });
      expect((await c.waitForClose()).code).toBe(4401);
    });

    it('ends a hello that is stale, for another station, alg none, of an unknown key or with a message typ, with close 4401', async () => {
      const now = () => Math.floor(Date.now() / 1000);
      const cases: [string, (nonce: string) => Promise<string>][] = [
        ['HELLO_INVALID', (nonce) => bj.hello(nonce, { iat: now() - 3600 })],
        ['WRONG_STATION', (nonce) => bj.hello(nonce, { station: 'washington' })],
        [
          'BAD_ALGORITHM',
          (nonce) =>
            bj.forge(
              { alg: 'none', kid: bj.kid, typ: TYP.hello },
              { exercise: 'dtl', station: 'beijing', nonce, iat: now() },
              '',
            ),
        ],
        ['UNKNOWN_KEY', (nonce) => stranger.hello(nonce, { exercise: 'dtl', station: 'beijing' })],
        ['BAD_TYPE', (nonce) => bj.sign({ exercise: 'dtl', station: 'beijing', nonce, iat: now() })],
      ];
      for (const [code, make] of cases) {
        const c = await connect();
        c.send({ type: 'hello', jws: await make(c.challenge.nonce) });
        expect(await c.waitFor('error')).toMatchObject({ code });
        expect((await c.waitForClose()).code).toBe(4401);
      }
    });

    it('refuses a second hello with BAD_FRAME', async () => {
      const c = await connect(bj);
      await expectRejected(c, { frame: { type: 'hello', jws: await bj.hello(c.challenge.nonce) } }, 'BAD_FRAME');
    });

    it('ends a connection without hello in time with HELLO_TIMEOUT and close 4408', async () => {
      const quick = await startTestRelay({ helloTimeoutMs: 300 });
      try {
        const c = await RawConsole.connect(quick);
        expect(await c.waitFor('error', 5000)).toMatchObject({ code: 'HELLO_TIMEOUT' });
        expect((await c.waitForClose()).code).toBe(4408);
        expect(c.malformed).toEqual([]);
      } finally {
        await quick.cleanup();
      }
    });
  });

  describe('upgrade', () => {
    it('refuses a foreign Origin with 403 ORIGIN_FORBIDDEN and accepts its own', async () => {
      expect(await refusedUpgrade(relay, { origin: 'https://evil.example' })).toMatchObject({
        status: 403,
        body: { code: 'ORIGIN_FORBIDDEN' },
      });
      const own = await RawConsole.connect(relay, { origin: relay.url });
      consoles.push(own);
      expect(own.challenge.nonce.length).toBeGreaterThanOrEqual(16);
    });

    it('refuses an upgrade without the subprotocol with 400 SUBPROTOCOL_REQUIRED', async () => {
      expect(await refusedUpgrade(relay, { protocols: [] })).toMatchObject({
        status: 400,
        body: { code: 'SUBPROTOCOL_REQUIRED' },
      });
      // A version this relay does not speak is no better than none (hotline.v2 is spoken: protocol-v2.e2e.test.ts).
      expect(await refusedUpgrade(relay, { protocols: ['hotline.v3', 'hotline.v0'] })).toMatchObject({
        status: 400,
        body: { code: 'SUBPROTOCOL_REQUIRED' },
      });
    });
  });

  describe('enrolment', () => {
    async function expectEnrolRefused(code: string, enrolCode: string): Promise<void> {
      const before = await exercise();
      const res = await postEnrol(relay, enrolCode, await TestKey.generate());
      expect(res).toMatchObject({ status: 401, body: { code } });
      const after = await exercise();
      expect(after.head).toEqual(before.head);
      expect(after.keys).toEqual(before.keys);
    }

    it('refuses an expired code with ENROLMENT_CODE_EXPIRED', async () => {
      const code = newEnrolmentCode();
      const now = Date.now();
      await relay.store.addEnrolmentCode({
        codeHash: hashEnrolmentCode(code),
        exercise: 'dtl',
        station: 'beijing',
        issuedAt: new Date(now - 120_000).toISOString(),
        expiresAt: new Date(now - 60_000).toISOString(),
      });
      await expectEnrolRefused('ENROLMENT_CODE_EXPIRED', code);
    });

    it('refuses a code used once already with ENROLMENT_CODE_USED', async () => {
      const code = await relay.issueCode('washington');
      const before = await head();
      expect((await postEnrol(relay, code, await TestKey.generate())).status).toBe(201);
      expect((await head()).idx).toBe(before.idx + 1);
      await expectEnrolRefused('ENROLMENT_CODE_USED', code);
    });

    it('refuses an unknown code with ENROLMENT_CODE_INVALID', async () => {
      await expectEnrolRefused('ENROLMENT_CODE_INVALID', newEnrolmentCode());
    });
  });

  describe('HTTP API', () => {
    it('refuses a missing, malformed, expired or foreign trainer token with 401 UNAUTHORIZED', async () => {
      const dir = tempDir();
      try {
        const foreign = (await RelayKey.loadOrCreate(path.join(dir, 'relay-key.jwk'))).key;
        const tokens: (string | undefined)[] = [
          undefined,
          'not-a-token',
          `${token.slice(0, -4)}AAAA`,
          (await relay.key.signToken('trainer', -60)).token,
          (await foreign.signToken('trainer', 600)).token,
        ];
        for (const t of tokens) {
          const res = await relay.api('GET', '/v1/exercises', undefined, t);
          expect(res).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
        }
        const created = await relay.api(
          'POST',
          '/v1/exercises',
          {
            id: 'rogue',
            title: 'Rogue',
            classification: '',
            stations: [
              { id: 'a', name: 'A', lang: 'en' },
              { id: 'b', name: 'B', lang: 'en' },
            ],
          },
          'not-a-token',
        );
        expect(created).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
        expect((await relay.api('GET', '/v1/exercises/rogue', undefined, token)).status).toBe(404);
        expect((await relay.api('GET', '/v1/exercises', undefined, token)).status).toBe(200);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a body over 64 KiB with 413 FRAME_TOO_LARGE', async () => {
      const before = await exercise();
      const res = await relay.api(
        'POST',
        '/v1/enrol',
        JSON.stringify({ code: 'x', operator: 'y'.repeat(LIMITS.frameBytes) }),
      );
      expect(res).toMatchObject({ status: 413, body: { code: 'FRAME_TOO_LARGE' } });
      expect(await exercise()).toEqual(before);
    });

    it('refuses a body that is not JSON with 400 BAD_REQUEST', async () => {
      const before = await exercise();
      expect(await relay.api('POST', '/v1/enrol', '{"code":')).toMatchObject({
        status: 400,
        body: { code: 'BAD_REQUEST' },
      });
      expect(await relay.api('POST', '/v1/exercises', '{"id":"x",}', token)).toMatchObject({
        status: 400,
        body: { code: 'BAD_REQUEST' },
      });
      expect(await exercise()).toEqual(before);
    });
  });
});
