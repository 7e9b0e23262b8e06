// The protocol's pure parts: frame parsing, item schemas, signed items and every way to tamper with one,
// the entry hash rule, and the chain verifier that consoles and `hotline verify` run over the log.
import { createHash, createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { CompactSign, generateKeyPair } from 'jose';
import { canonicalize } from 'json-canonicalize';
import type { z } from 'zod';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../shared/chain.js';
import { base64url, fromBase64url, fromBase64urlPortable, fromUtf8, sha256, utf8 } from '../../shared/encoding.js';
import {
  GENESIS_PREV,
  canonicalEntryText,
  entryHashText,
  hashEntry,
  type Entry,
  type EntryBody,
  type EntryKind,
} from '../../shared/entry.js';
import { HotlineError } from '../../shared/errors.js';
import {
  LIMITS,
  TYP,
  checkpointPayload,
  exerciseDef,
  helloPayload,
  messagePayload,
  publicJwk,
  receiptPayload,
  type MessagePayload,
} from '../../shared/items.js';
import { parsePublicJwk, signJws } from '../../shared/jws.js';
import { parseClientFrame, parseServerFrame, validate } from '../../shared/protocol.js';
import { verifyCheckpoint, verifyHello, verifyItem, WEB_CRYPTO, type KeyResolver } from '../../shared/signed.js';
import { NODE_CRYPTO, signCompact } from '../../server/node-crypto.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { RelayKey } from '../../server/relay-key.js';
import { hashBody } from '../../server/store/chain-linker.js';
import { message, receipt, TestKey } from '../helpers/raw-console.js';
import { tempDir } from '../helpers/relay.js';
import { thrown } from '../helpers/thrown.js';

const HASH = 'x'.repeat(43);
const AT = '2025-11-29T08:00:00.000Z';
const fill = (total: number, prefix: string, suffix: string) =>
  prefix + 'x'.repeat(total - prefix.length - suffix.length) + suffix;

describe('parseClientFrame', () => {
  const jws = 'aaaa.bbbb.cccc';
  const valid: [string, unknown][] = [
    ['hello', { type: 'hello', jws }],
    ['hello with since -1', { type: 'hello', jws, since: -1 }],
    ['hello with since 41', { type: 'hello', jws, since: 41 }],
    ['submit', { type: 'submit', jws }],
    ['ping', { type: 'ping', id: 'p1' }],
    ['ping with t', { type: 'ping', id: 'p1', t: 1234.5 }],
  ];
  it.each(valid)('accepts %s', (_name, frame) => {
    expect(parseClientFrame(JSON.stringify(frame))).toEqual(frame);
  });

  const invalid: [string, string, string][] = [
    ['empty text', '', 'BAD_FRAME'],
    ['malformed JSON', '{"type":"submit",', 'BAD_FRAME'],
    ['JSON with a trailing comma', '{"type":"ping","id":"1",}', 'BAD_FRAME'],
    ['a number', '42', 'BAD_FRAME'],
    ['null', 'null', 'BAD_FRAME'],
    ['an array', '[{"type":"ping","id":"1"}]', 'BAD_FRAME'],
    ['an unknown type', '{"type":"subscribe","jws":"aaaa.bbbb.cccc"}', 'BAD_FRAME'],
    ['a server frame type', '{"type":"accepted","id":"x"}', 'BAD_FRAME'],
    ['no type', '{"jws":"aaaa.bbbb.cccc"}', 'BAD_FRAME'],
    ['a non-string type', '{"type":5}', 'BAD_FRAME'],
    ['submit without jws', '{"type":"submit"}', 'SCHEMA_INVALID'],
    ['submit with a jws too short', '{"type":"submit","jws":"a.b.c"}', 'SCHEMA_INVALID'],
    ['submit with a non-string jws', '{"type":"submit","jws":12345678901}', 'SCHEMA_INVALID'],
    ['submit with an extra field', '{"type":"submit","jws":"aaaa.bbbb.cccc","seq":1}', 'SCHEMA_INVALID'],
    ['hello with since -2', '{"type":"hello","jws":"aaaa.bbbb.cccc","since":-2}', 'SCHEMA_INVALID'],
    ['hello with a fractional since', '{"type":"hello","jws":"aaaa.bbbb.cccc","since":1.5}', 'SCHEMA_INVALID'],
    ['ping with an id over 64', JSON.stringify({ type: 'ping', id: 'x'.repeat(65) }), 'SCHEMA_INVALID'],
    ['ping with a string t', '{"type":"ping","id":"1","t":"now"}', 'SCHEMA_INVALID'],
    [
      'exactly 64 KiB (size is fine, the id is not)',
      fill(LIMITS.frameBytes, '{"type":"ping","id":"', '"}'),
      'SCHEMA_INVALID',
    ],
    ['one byte over 64 KiB', fill(LIMITS.frameBytes + 1, '{"type":"ping","id":"', '"}'), 'FRAME_TOO_LARGE'],
    ['a 64 KiB submit that is not even JSON', `{${'x'.repeat(LIMITS.frameBytes)}`, 'FRAME_TOO_LARGE'],
  ];
  it.each(invalid)('rejects %s', (_name, text, code) => {
    const err = thrown(() => parseClientFrame(text));
    expect(err).toBeInstanceOf(HotlineError);
    expect(err).toMatchObject({ code });
  });
});

describe('parseServerFrame', () => {
  const entry = { idx: 0, prev: GENESIS_PREV, at: AT, kind: 'note', data: { text: 'x' }, hash: HASH };
  const valid: [string, unknown][] = [
    ['challenge', { type: 'challenge', nonce: 'n'.repeat(32), relayKid: 'k' }],
    [
      'welcome on an empty log',
      {
        type: 'welcome',
        exercise: 'dtl',
        station: 'beijing',
        kid: 'k',
        peer: { station: 'washington', online: false },
        head: null,
        checkpoint: null,
        nextSeq: 0,
      },
    ],
    [
      'welcome',
      {
        type: 'welcome',
        exercise: 'dtl',
        station: 'beijing',
        kid: 'k',
        peer: { station: 'washington', online: true },
        head: { idx: 4, hash: HASH },
        checkpoint: 'a.b.c',
        nextSeq: 3,
      },
    ],
    ['accepted', { type: 'accepted', id: uuidv7(), seq: 0, idx: 3, hash: HASH, at: AT, checkpoint: 'a.b.c' }],
    ['rejected', { type: 'rejected', code: 'BAD_SIGNATURE', message: 'no' }],
    [
      'rejected with id, seq and expectedSeq',
      { type: 'rejected', id: 'i', seq: 5, code: 'SEQ_GAP', message: 'gap', expectedSeq: 3 },
    ],
    ['entry', { type: 'entry', entry }],
    [
      'entry with a jws',
      { type: 'entry', entry: { idx: 1, prev: HASH, at: AT, kind: 'message', jws: 'aaaa.bbbb.cccc', hash: HASH } },
    ],
    ['presence', { type: 'presence', station: 'washington', online: true }],
    ['pong', { type: 'pong', id: 'p1', t: 5, at: AT }],
    ['error', { type: 'error', code: 'HELLO_TIMEOUT', message: 'late' }],
  ];
  it.each(valid)('accepts %s', (_name, frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  const invalid: [string, unknown, string][] = [
    ['an unknown type', { type: 'hello', jws: 'aaaa.bbbb.cccc' }, 'BAD_FRAME'],
    ['rejected with a code outside the table', { type: 'rejected', code: 'NOPE', message: 'x' }, 'SCHEMA_INVALID'],
    ['error with a code outside the table', { type: 'error', code: 'nope', message: 'x' }, 'SCHEMA_INVALID'],
    [
      'accepted with a short hash',
      { type: 'accepted', id: 'i', seq: 0, idx: 3, hash: 'x'.repeat(42), at: AT, checkpoint: 'c' },
      'SCHEMA_INVALID',
    ],
    [
      'accepted with a negative idx',
      { type: 'accepted', id: 'i', seq: 0, idx: -1, hash: HASH, at: AT, checkpoint: 'c' },
      'SCHEMA_INVALID',
    ],
    [
      'accepted with an offset time',
      { type: 'accepted', id: 'i', seq: 0, idx: 1, hash: HASH, at: '2025-11-29T08:00:00.000+01:00', checkpoint: 'c' },
      'SCHEMA_INVALID',
    ],
    [
      'accepted without checkpoint',
      { type: 'accepted', id: 'i', seq: 0, idx: 1, hash: HASH, at: AT },
      'SCHEMA_INVALID',
    ],
    [
      'welcome without nextSeq',
      {
        type: 'welcome',
        exercise: 'dtl',
        station: 'beijing',
        kid: 'k',
        peer: { station: 'washington', online: true },
        head: null,
        checkpoint: null,
      },
      'SCHEMA_INVALID',
    ],
    [
      'welcome with an upper-case station',
      {
        type: 'welcome',
        exercise: 'dtl',
        station: 'Beijing',
        kid: 'k',
        peer: { station: 'washington', online: true },
        head: null,
        checkpoint: null,
        nextSeq: 0,
      },
      'SCHEMA_INVALID',
    ],
    ['entry of an unknown kind', { type: 'entry', entry: { ...entry, kind: 'gossip' } }, 'SCHEMA_INVALID'],
    ['entry with an extra field', { type: 'entry', entry: { ...entry, signature: 'x' } }, 'SCHEMA_INVALID'],
    [
      'entry without hash',
      { type: 'entry', entry: { idx: 0, prev: GENESIS_PREV, at: AT, kind: 'note' } },
      'SCHEMA_INVALID',
    ],
    ['pong with an extra field', { type: 'pong', id: 'p', at: AT, rtt: 3 }, 'SCHEMA_INVALID'],
    ['presence with a string online', { type: 'presence', station: 'washington', online: 'yes' }, 'SCHEMA_INVALID'],
  ];
  it.each(invalid)('rejects %s', (_name, frame, code) => {
    expect(thrown(() => parseServerFrame(JSON.stringify(frame)))).toMatchObject({ code });
  });

  it('rejects text that is not JSON and frames over 64 KiB', () => {
    expect(thrown(() => parseServerFrame('<html>'))).toMatchObject({ code: 'BAD_FRAME' });
    expect(
      thrown(() => parseServerFrame(fill(LIMITS.serverFrameBytes + 1, '{"type":"pong","id":"', '"}'))),
    ).toMatchObject({ code: 'FRAME_TOO_LARGE' });
  });
});

describe('item schemas', () => {
  const routing = { exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 };
  const msg = message(routing);
  const rcpt = receipt({ ...routing, from: 'washington', to: 'beijing', ref: uuidv7(), refHash: HASH });
  const hello = { exercise: 'dtl', station: 'beijing', nonce: 'n'.repeat(32), iat: 1_764_403_200 };
  const without = (o: object, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

  it('accepts valid payloads, with and without their optional fields', () => {
    expect(validate(messagePayload, msg)).toEqual(msg);
    expect(validate(messagePayload, without(msg, 'subject'))).toEqual(without(msg, 'subject'));
    const full = { ...msg, replyTo: uuidv7(), precedence: 'FLASH', lang: 'zh', body: '收到。', classification: '' };
    expect(validate(messagePayload, full)).toEqual(full);
    expect(validate(receiptPayload, rcpt)).toEqual(rcpt);
    expect(validate(receiptPayload, { ...rcpt, kind: 'acknowledged', note: 'Received, standing by' })).toMatchObject({
      kind: 'acknowledged',
    });
    expect(validate(helloPayload, hello)).toEqual(hello);
    expect(validate(checkpointPayload, { exercise: 'dtl', idx: 0, hash: HASH, at: AT })).toMatchObject({ idx: 0 });
    expect(validate(exerciseDef, DEFAULT_EXERCISE)).toEqual(DEFAULT_EXERCISE);
    expect(validate(publicJwk, { kty: 'OKP', crv: 'Ed25519', x: HASH })).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: HASH,
    });
  });

  // [schema row name, schema, value, the path the first issue must name]
  const rows: [string, z.ZodType, unknown, string][] = [
    ['message: bad precedence', messagePayload, { ...msg, precedence: 'URGENT' }, 'precedence'],
    ['message: lower-case precedence', messagePayload, { ...msg, precedence: 'flash' }, 'precedence'],
    ['message: missing body', messagePayload, without(msg, 'body'), 'body'],
    ['message: empty body', messagePayload, { ...msg, body: '' }, 'body'],
    ['message: body over the limit', messagePayload, { ...msg, body: 'x'.repeat(LIMITS.body + 1) }, 'body'],
    ['message: extra field', messagePayload, { ...msg, priority: 1 }, '(frame)'],
    ['message: id not a uuid', messagePayload, { ...msg, id: 'message-1' }, 'id'],
    ['message: id a UUIDv4, not v7', messagePayload, { ...msg, id: uuidv4() }, 'id'],
    ['message: replyTo not a uuid', messagePayload, { ...msg, replyTo: 'earlier' }, 'replyTo'],
    ['message: v 2', messagePayload, { ...msg, v: 2 }, 'v'],
    ['message: type receipt', messagePayload, { ...msg, type: 'receipt' }, 'type'],
    ['message: negative seq', messagePayload, { ...msg, seq: -1 }, 'seq'],
    ['message: fractional seq', messagePayload, { ...msg, seq: 1.5 }, 'seq'],
    ['message: seq as a string', messagePayload, { ...msg, seq: '0' }, 'seq'],
    ['message: unsafe seq', messagePayload, { ...msg, seq: 2 ** 53 }, 'seq'],
    ['message: sentAt with an offset', messagePayload, { ...msg, sentAt: '2025-11-29T09:00:00.000+01:00' }, 'sentAt'],
    ['message: sentAt without milliseconds', messagePayload, { ...msg, sentAt: '2025-11-29T08:00:00Z' }, 'sentAt'],
    ['message: lang fr', messagePayload, { ...msg, lang: 'fr' }, 'lang'],
    ['message: empty subject', messagePayload, { ...msg, subject: '' }, 'subject'],
    ['message: upper-case from', messagePayload, { ...msg, from: 'Beijing' }, 'from'],
    ['message: exercise not a slug', messagePayload, { ...msg, exercise: '../dtl' }, 'exercise'],
    [
      'message: classification over the limit',
      messagePayload,
      { ...msg, classification: 'x'.repeat(LIMITS.classification + 1) },
      'classification',
    ],
    ['message: not an object', messagePayload, [msg], '(frame)'],
    ['receipt: kind read', receiptPayload, { ...rcpt, kind: 'read' }, 'kind'],
    ['receipt: missing refHash', receiptPayload, without(rcpt, 'refHash'), 'refHash'],
    ['receipt: refHash of 42 characters', receiptPayload, { ...rcpt, refHash: 'x'.repeat(42) }, 'refHash'],
    ['receipt: refHash with padding', receiptPayload, { ...rcpt, refHash: `${'x'.repeat(42)}=` }, 'refHash'],
    ['receipt: ref not a uuid', receiptPayload, { ...rcpt, ref: 'msg-1' }, 'ref'],
    ['receipt: note over the limit', receiptPayload, { ...rcpt, note: 'x'.repeat(LIMITS.note + 1) }, 'note'],
    ['receipt: a message body riding along', receiptPayload, { ...rcpt, body: 'unsigned?' }, '(frame)'],
    ['hello: short nonce', helloPayload, { ...hello, nonce: 'short' }, 'nonce'],
    ['hello: iat 0', helloPayload, { ...hello, iat: 0 }, 'iat'],
    ['hello: iat in milliseconds as a float', helloPayload, { ...hello, iat: 1.5 }, 'iat'],
    ['hello: extra field', helloPayload, { ...hello, since: 3 }, '(frame)'],
    ['checkpoint: negative idx', checkpointPayload, { exercise: 'dtl', idx: -1, hash: HASH, at: AT }, 'idx'],
    ['checkpoint: bad hash', checkpointPayload, { exercise: 'dtl', idx: 1, hash: 'x', at: AT }, 'hash'],
    [
      'exercise: two stations with one id',
      exerciseDef,
      { ...DEFAULT_EXERCISE, stations: [DEFAULT_EXERCISE.stations[0], DEFAULT_EXERCISE.stations[0]] },
      'stations',
    ],
    [
      'exercise: three stations',
      exerciseDef,
      { ...DEFAULT_EXERCISE, stations: [...DEFAULT_EXERCISE.stations, { id: 'moscow', name: 'Moscow', lang: 'en' }] },
      'stations',
    ],
    [
      'exercise: station lang ru',
      exerciseDef,
      { ...DEFAULT_EXERCISE, stations: [{ id: 'moscow', name: 'Moscow', lang: 'ru' }, DEFAULT_EXERCISE.stations[1]] },
      'stations.0.lang',
    ],
    ['exercise: empty title', exerciseDef, { ...DEFAULT_EXERCISE, title: '' }, 'title'],
    ['jwk: kty EC', publicJwk, { kty: 'EC', crv: 'Ed25519', x: HASH }, 'kty'],
    ['jwk: crv X25519', publicJwk, { kty: 'OKP', crv: 'X25519', x: HASH }, 'crv'],
    ['jwk: x of 31 bytes', publicJwk, { kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(42) }, 'x'],
    ['jwk: a private key (d)', publicJwk, { kty: 'OKP', crv: 'Ed25519', x: HASH, d: HASH }, '(frame)'],
  ];
  it.each(rows)('%s -> SCHEMA_INVALID naming the field', (_name, schema, value, path) => {
    const err = thrown(() => validate(schema, value));
    expect(err).toMatchObject({ code: 'SCHEMA_INVALID' });
    expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
  });

  it('parsePublicJwk answers a bad enrolment key with BAD_REQUEST', () => {
    expect(thrown(() => parsePublicJwk({ kty: 'OKP', crv: 'Ed25519', x: HASH, d: HASH }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(parsePublicJwk({ kty: 'OKP', crv: 'Ed25519', x: HASH })).toEqual({ kty: 'OKP', crv: 'Ed25519', x: HASH });
  });
});

// ---------------------------------------------------------------------------------------------------
// Signed items.

const [h64, p64, s64] = [0, 1, 2];
const part = (jws: string, i: number) => jws.split('.')[i]!;
const withPart = (jws: string, i: number, value: string) =>
  jws
    .split('.')
    .map((p, j) => (j === i ? value : p))
    .join('.');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same bytes with the unused low bit of the last character set: a second spelling of one value. */
function nonCanonical(b64: string): string {
  if (b64.length % 4 === 0) throw new Error('no spare bits to flip in a length that is a multiple of 4');
  const last = ALPHABET.indexOf(b64[b64.length - 1]!);
  return b64.slice(0, -1) + ALPHABET[last ^ 1]!;
}
/** A message whose JSON length leaves spare bits in its base64url (length not a multiple of 3). */
function oddLengthMessage(fields: Parameters<typeof message>[0]): MessagePayload {
  const m = message(fields);
  while (JSON.stringify(m).length % 3 === 0) m.body += '.';
  return m;
}

describe('signed items', () => {
  let bj: TestKey;
  let wa: TestKey;
  let stranger: TestKey;
  let resolve: KeyResolver;
  let msg: MessagePayload;
  let jws: string;
  const routing = { exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 };

  beforeAll(async () => {
    [bj, wa, stranger] = await Promise.all([TestKey.generate(), TestKey.generate(), TestKey.generate()]);
    const enrolled = new Map([bj, wa].map((k) => [k.kid, k.publicKey]));
    resolve = (kid) => enrolled.get(kid);
    msg = oddLengthMessage(routing);
    jws = await bj.sign(msg);
  });

  it('round-trips a message: kid, typ, the exact payload and the SHA-256 of its bytes', async () => {
    const item = await verifyItem(jws, resolve);
    expect(item).toMatchObject({ typ: TYP.message, kid: bj.kid, payload: msg });
    expect(item.payloadHash).toBe(createHash('sha256').update(JSON.stringify(msg)).digest('base64url'));
  });

  it('round-trips a receipt', async () => {
    const r = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      ref: msg.id,
      refHash: HASH,
      kind: 'acknowledged',
      note: '收到',
    });
    const item = await verifyItem(await wa.sign(r, { typ: TYP.receipt }), resolve);
    expect(item).toMatchObject({ typ: TYP.receipt, kid: wa.kid, payload: r });
  });

  it('hashes the payload bytes as signed, not a re-serialization', async () => {
    const spaced = `{ "v": 1, ${JSON.stringify(msg).slice(7)}`;
    expect(JSON.parse(spaced)).toEqual(msg);
    const item = await verifyItem(await bj.sign(spaced), resolve);
    expect(item.payloadHash).toBe(base64url(await sha256(utf8(spaced))));
    expect(item.payloadHash).not.toBe((await verifyItem(jws, resolve)).payloadHash);
  });

  it('round-trips a hello', async () => {
    const hello = { exercise: 'dtl', station: 'beijing', nonce: 'n'.repeat(32), iat: Math.floor(Date.now() / 1000) };
    const verified = await verifyHello(await bj.sign(hello, { typ: TYP.hello }), resolve);
    expect(verified).toEqual({ kid: bj.kid, payload: hello });
  });

  it('round-trips a checkpoint signed by a relay key', async () => {
    const dir = tempDir();
    try {
      const { key } = await RelayKey.loadOrCreate(path.join(dir, 'relay-key.jwk'));
      const cp = { exercise: 'dtl', idx: 7, hash: HASH, at: AT };
      expect(await verifyCheckpoint(await key.signCheckpoint(cp), key.verifyKey)).toEqual(cp);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Every row is a way to forge or bend a message; each must fail with exactly this code.
  const tampers: [string, () => Promise<string>, string][] = [
    [
      'a flipped payload byte (still valid JSON)',
      async () => {
        const bytes = fromBase64url(part(jws, p64))!;
        const i = fromUtf8(bytes).indexOf('Hourly');
        bytes[i] = bytes[i]! ^ 0x20; // H -> h
        return withPart(jws, p64, base64url(bytes));
      },
      'BAD_SIGNATURE',
    ],
    [
      'a flipped signature byte',
      async () => {
        const sig = fromBase64url(part(jws, s64))!;
        sig[10] = sig[10]! ^ 0x01;
        return withPart(jws, s64, base64url(sig));
      },
      'BAD_SIGNATURE',
    ],
    [
      'another payload of the same key under this signature',
      async () => withPart(jws, p64, part(await bj.sign(message(routing)), p64)),
      'BAD_SIGNATURE',
    ],
    [
      'the same header, re-serialized in another key order',
      async () =>
        withPart(jws, h64, base64url(utf8(JSON.stringify({ typ: TYP.message, kid: bj.kid, alg: 'Ed25519' })))),
      'BAD_SIGNATURE',
    ],
    [
      'the kid switched to the other enrolled key',
      async () =>
        withPart(jws, h64, base64url(utf8(JSON.stringify({ alg: 'Ed25519', kid: wa.kid, typ: TYP.message })))),
      'BAD_SIGNATURE',
    ],
    ['signed by a stranger under an enrolled kid', () => stranger.sign(msg, { kid: bj.kid }), 'BAD_SIGNATURE'],
    [
      'a signature of 63 bytes',
      async () => withPart(jws, s64, base64url(fromBase64url(part(jws, s64))!.slice(0, 63))),
      'BAD_SIGNATURE',
    ],
    ['alg none, unsecured', () => bj.forge({ alg: 'none', kid: bj.kid, typ: TYP.message }, msg, ''), 'BAD_ALGORITHM'],
    ['alg none with a signature', () => bj.forge({ alg: 'none', kid: bj.kid, typ: TYP.message }, msg), 'BAD_ALGORITHM'],
    ['alg EdDSA (same key, same curve)', () => bj.sign(msg, { alg: 'EdDSA' }), 'BAD_ALGORITHM'],
    [
      'alg ES256 with a P-256 key',
      async () => {
        const p256 = await generateKeyPair('ES256');
        return new CompactSign(utf8(JSON.stringify(msg)))
          .setProtectedHeader({ alg: 'ES256', kid: bj.kid, typ: TYP.message })
          .sign(p256.privateKey);
      },
      'BAD_ALGORITHM',
    ],
    [
      'alg HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const input = `${base64url(utf8(JSON.stringify({ alg: 'HS256', kid: bj.kid, typ: TYP.message })))}.${base64url(utf8(JSON.stringify(msg)))}`;
        return `${input}.${createHmac('sha256', bj.publicJwk.x).update(input).digest('base64url')}`;
      },
      'BAD_ALGORITHM',
    ],
    ['no alg', () => bj.forge({ kid: bj.kid, typ: TYP.message }, msg), 'BAD_ALGORITHM'],
    ['alg in another case', () => bj.forge({ alg: 'ed25519', kid: bj.kid, typ: TYP.message }, msg), 'BAD_ALGORITHM'],
    [
      'an embedded jwk header (the signer names its own key)',
      () => stranger.forge({ alg: 'Ed25519', kid: bj.kid, typ: TYP.message, jwk: stranger.publicJwk }, msg),
      'BAD_JWS',
    ],
    [
      'a crit header',
      () => bj.forge({ alg: 'Ed25519', kid: bj.kid, typ: TYP.message, crit: ['exp'], exp: 1 }, msg),
      'BAD_JWS',
    ],
    [
      'b64 false with crit',
      () => bj.forge({ alg: 'Ed25519', kid: bj.kid, typ: TYP.message, b64: false, crit: ['b64'] }, msg),
      'BAD_JWS',
    ],
    ['no kid', () => bj.forge({ alg: 'Ed25519', typ: TYP.message }, msg), 'BAD_JWS'],
    ['typ JWT', () => bj.sign(msg, { typ: 'JWT' }), 'BAD_TYPE'],
    ['no typ', () => bj.forge({ alg: 'Ed25519', kid: bj.kid }, msg), 'BAD_TYPE'],
    [
      'typ hello on a hello payload',
      () => bj.sign({ exercise: 'dtl', station: 'beijing', nonce: 'n'.repeat(32), iat: 1 }, { typ: TYP.hello }),
      'BAD_TYPE',
    ],
    ['typ checkpoint on a message', () => bj.sign(msg, { typ: TYP.checkpoint }), 'BAD_TYPE'],
    [
      'a receipt payload under the message typ',
      () =>
        wa.sign(receipt({ exercise: 'dtl', from: 'washington', to: 'beijing', seq: 0, ref: msg.id, refHash: HASH }), {
          typ: TYP.message,
        }),
      'BAD_TYPE',
    ],
    ['a message payload under the receipt typ', () => bj.sign(msg, { typ: TYP.receipt }), 'BAD_TYPE'],
    ['a non-canonical base64url payload', async () => withPart(jws, p64, nonCanonical(part(jws, p64))), 'BAD_JWS'],
    [
      'a non-canonical base64url header',
      async () => {
        let header = JSON.stringify({ alg: 'Ed25519', kid: bj.kid, typ: TYP.message });
        while (header.length % 3 === 0) header += ' ';
        const j = await bj.forge(header, msg);
        return withPart(j, h64, nonCanonical(part(j, h64)));
      },
      'BAD_JWS',
    ],
    ['padded base64url', async () => withPart(jws, p64, `${part(jws, p64)}=`), 'BAD_JWS'],
    ['a standard base64 character', async () => withPart(jws, p64, `+${part(jws, p64).slice(1)}`), 'BAD_JWS'],
    ['two parts', async () => jws.split('.').slice(0, 2).join('.'), 'BAD_JWS'],
    ['four parts', async () => `${jws}.${part(jws, s64)}`, 'BAD_JWS'],
    ['an empty payload', async () => withPart(jws, p64, ''), 'BAD_JWS'],
    ['a header that is not JSON', async () => withPart(jws, h64, base64url(utf8('alg=Ed25519'))), 'BAD_JWS'],
    ['a header that is a JSON array', async () => withPart(jws, h64, base64url(utf8('["Ed25519"]'))), 'BAD_JWS'],
    ['a key nobody enrolled', () => stranger.sign(msg), 'UNKNOWN_KEY'],
    ['a signed payload that is not JSON', () => bj.sign('not json'), 'SCHEMA_INVALID'],
    ['a signed payload that is not UTF-8', () => bj.sign(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'SCHEMA_INVALID'],
    ['a signed payload with an unknown field', () => bj.sign({ ...msg, urgent: true }), 'SCHEMA_INVALID'],
  ];
  it.each(tampers)('rejects %s', async (_name, make, code) => {
    const forged = await make();
    await expect(verifyItem(forged, resolve)).rejects.toMatchObject({ name: 'HotlineError', code });
    // The relay's node:crypto path must refuse exactly what jose refuses, with the same code.
    await expect(verifyItem(forged, resolve, NODE_CRYPTO)).rejects.toMatchObject({ name: 'HotlineError', code });
  });

  it('gives the same verdict and payload hash through jose and through node:crypto', async () => {
    const [a, b] = await Promise.all([verifyItem(jws, resolve, WEB_CRYPTO), verifyItem(jws, resolve, NODE_CRYPTO)]);
    expect(b).toEqual(a);
  });

  it('signs byte for byte what jose signs (Ed25519 is deterministic)', async () => {
    for (const typ of [TYP.message, TYP.checkpoint]) {
      expect(await signCompact(msg, bj.privateKey, bj.kid, typ)).toBe(await signJws(msg, bj.privateKey, bj.kid, typ));
    }
  });

  it('refuses a second spelling of the signature on both paths (PROTOCOL.md section 1: one JWS, one spelling)', async () => {
    const malleated = withPart(jws, s64, nonCanonical(part(jws, s64)));
    expect(malleated).not.toBe(jws);
    for (const crypto of [WEB_CRYPTO, NODE_CRYPTO]) {
      await expect(verifyItem(malleated, resolve, crypto)).rejects.toMatchObject({ code: 'BAD_JWS' });
    }
  });

  describe('hello', () => {
    const hello = () => ({
      exercise: 'dtl',
      station: 'beijing',
      nonce: 'n'.repeat(32),
      iat: Math.floor(Date.now() / 1000),
    });
    const cases: [string, () => Promise<string>, string][] = [
      ['a message typ', () => bj.sign(hello()), 'BAD_TYPE'],
      ['alg EdDSA', () => bj.sign(hello(), { typ: TYP.hello, alg: 'EdDSA' }), 'BAD_ALGORITHM'],
      ['alg none', () => bj.forge({ alg: 'none', kid: bj.kid, typ: TYP.hello }, hello(), ''), 'BAD_ALGORITHM'],
      ['an unknown key', () => stranger.sign(hello(), { typ: TYP.hello }), 'UNKNOWN_KEY'],
      ['a forged signature', () => stranger.sign(hello(), { typ: TYP.hello, kid: bj.kid }), 'BAD_SIGNATURE'],
      ['a short nonce', () => bj.sign({ ...hello(), nonce: 'abc' }, { typ: TYP.hello }), 'SCHEMA_INVALID'],
      ['an extra field', () => bj.sign({ ...hello(), role: 'trainer' }, { typ: TYP.hello }), 'SCHEMA_INVALID'],
    ];
    it.each(cases)('rejects %s', async (_name, make, code) => {
      await expect(verifyHello(await make(), resolve)).rejects.toMatchObject({ code });
    });
  });

  describe('checkpoint', () => {
    const cp = { exercise: 'dtl', idx: 7, hash: HASH, at: AT };
    let dir: string;
    let relayKey: RelayKey;
    beforeAll(async () => {
      dir = tempDir();
      relayKey = (await RelayKey.loadOrCreate(path.join(dir, 'relay-key.jwk'))).key;
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const cases: [string, () => Promise<string>][] = [
      ['signed by a console key', () => bj.sign(cp, { typ: TYP.checkpoint })],
      ['a message typ', () => bj.sign(cp)],
      [
        'a changed idx under the relay signature',
        async () =>
          withPart(await relayKey.signCheckpoint(cp), p64, base64url(utf8(JSON.stringify({ ...cp, idx: 9 })))),
      ],
      ['an invalid payload', () => relayKey.signCheckpoint({ ...cp, idx: -1 })],
      ['a trainer token (typ JWT)', async () => (await relayKey.signToken('trainer', 60)).token],
    ];
    it.each(cases)('rejects %s with BAD_CHECKPOINT', async (_name, make) => {
      await expect(verifyCheckpoint(await make(), relayKey.verifyKey)).rejects.toMatchObject({
        code: 'BAD_CHECKPOINT',
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// The log.

describe('base64url decoding', () => {
  // Node decodes through Buffer, browsers through the portable loop: they must agree on every string.
  const cases = [
    '',
    'AA',
    'AAA',
    'AAAA',
    'A',
    'AAAAA',
    'AB',
    'AQ',
    'AR',
    'AAE',
    'AAB',
    '_-8',
    'a+b/',
    'AA==',
    'AA=',
    ' AA',
    'AA\n',
    'é',
    '\u0000',
    base64url(utf8('hotline 热线')),
    base64url(new Uint8Array(64).fill(255)),
    'A'.repeat(43),
    'A'.repeat(42) + 'B',
  ];
  it.each(cases)('agrees on %j', (text) => {
    const native = fromBase64url(text);
    const portable = fromBase64urlPortable(text);
    expect(native === null ? null : [...native]).toEqual(portable === null ? null : [...portable]);
  });

  it('round-trips random bytes and refuses every non-canonical last character', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 255);
      const text = base64url(bytes);
      expect([...fromBase64url(text)!]).toEqual([...bytes]);
      if (n % 3 !== 0) {
        // The same bytes with a different spelling of the last character: both decoders refuse it.
        const alt = text.slice(0, -1) + String.fromCharCode(text.charCodeAt(text.length - 1) ^ 1);
        expect(fromBase64url(alt)).toBeNull();
        expect(fromBase64urlPortable(alt)).toBeNull();
      }
    }
  });
});

describe('the entry hash rule', () => {
  const body: EntryBody = {
    idx: 3,
    prev: GENESIS_PREV,
    at: AT,
    kind: 'note',
    data: { z: 1, text: 'Line check 收到', nested: { b: [2, 1], a: 0.5 }, big: 1e21 },
  };

  it('is base64url(SHA-256(RFC 8785 JSON of the entry without hash)), computed by hand', async () => {
    const canonical = canonicalize({ idx: 3, prev: GENESIS_PREV, at: AT, kind: 'note', data: body.data });
    // RFC 8785: keys sorted, no whitespace, numbers in ECMAScript form, non-ASCII kept as UTF-8.
    expect(canonical).toBe(
      `{"at":"${AT}","data":{"big":1e+21,"nested":{"a":0.5,"b":[2,1]},"text":"Line check 收到","z":1},"idx":3,"kind":"note","prev":"${'A'.repeat(43)}"}`,
    );
    const byHand = createHash('sha256').update(Buffer.from(canonical, 'utf8')).digest('base64url');
    expect(await hashEntry(body)).toBe(byHand);
    expect(hashBody(body)).toBe(byHand);
  });

  it('ignores the hash field and key order, and covers every other field', async () => {
    const h = await hashEntry(body);
    const reordered = { data: body.data, kind: body.kind, at: body.at, prev: body.prev, idx: body.idx } as EntryBody;
    expect(await hashEntry(reordered)).toBe(h);
    expect(await hashEntry({ ...body, hash: 'anything' } as Entry)).toBe(h);
    expect(await hashEntry({ ...body, idx: 4 })).not.toBe(h);
    expect(await hashEntry({ ...body, at: '2025-11-29T08:00:00.001Z' })).not.toBe(h);
    expect(await hashEntry({ ...body, kind: 'alarm' })).not.toBe(h);
    expect(await hashEntry({ ...body, data: { ...body.data, z: 2 } })).not.toBe(h);
    const { data: _data, ...bare } = body;
    expect(await hashEntry({ ...bare, jws: 'aaaa.bbbb.cccc' })).not.toBe(await hashEntry(bare));
  });

  it('writes the canonical form of an entry without data exactly as the RFC 8785 canonicalizer does', () => {
    const awkward = [
      '',
      '"',
      '\\',
      '\u0000\u001f\u007f',
      '\u2028\u2029',
      '热线 ☎ 🚨',
      '\ud800',
      '\udfff x',
      '</script>',
      'a\nb\tc\r',
      '\u00e9e\u0301',
    ];
    const bodies: EntryBody[] = [];
    for (const [i, text] of awkward.entries()) {
      bodies.push({ idx: i, prev: GENESIS_PREV, at: '2026-11-29T09:05:57.702Z', kind: 'message', jws: text });
      bodies.push({ idx: 2 ** 53 - 1 - i, prev: text, at: text, kind: 'receipt' });
      bodies.push({ idx: 0, prev: GENESIS_PREV, at: text, kind: 'note', jws: `${text}.${text}.${text}` });
    }
    for (const body of bodies) expect(entryHashText(body)).toBe(canonicalEntryText(body));
    // Entries with data, and idx values the shortcut does not handle, take the canonicalizer itself.
    const withData: EntryBody = { idx: 1, prev: GENESIS_PREV, at: 'x', kind: 'alarm', data: { z: 1, a: [2, 'é'] } };
    expect(entryHashText(withData)).toBe(canonicalize({ ...withData }));
    expect(entryHashText({ idx: 1.5, prev: '', at: '', kind: 'note' })).toBe(
      canonicalEntryText({ idx: 1.5, prev: '', at: '', kind: 'note' }),
    );
  });

  it('starts the chain at 32 zero bytes', () => {
    expect(GENESIS_PREV).toBe('A'.repeat(43));
    expect(fromBase64url(GENESIS_PREV)).toEqual(new Uint8Array(32));
  });
});

describe('ChainVerifier', () => {
  let bj: TestKey;
  let wa: TestKey;
  let stranger: TestKey;
  /** A valid log: created, two keys, a message from Beijing, a delivered receipt from Washington. */
  let base: Entry[];
  let msg: MessagePayload;

  async function link(
    log: Entry[],
    kind: EntryKind,
    content: { jws?: string; data?: Record<string, unknown> },
    tweak?: (b: EntryBody) => void,
  ): Promise<Entry> {
    const idx = log.length;
    const body: EntryBody = {
      idx,
      prev: idx === 0 ? GENESIS_PREV : log[idx - 1]!.hash,
      at: new Date(Date.parse(AT) + idx * 1000).toISOString(),
      kind,
      ...content,
    };
    tweak?.(body);
    return { ...body, hash: await hashEntry(body) };
  }
  async function extend(
    log: Entry[],
    kind: EntryKind,
    content: { jws?: string; data?: Record<string, unknown> },
  ): Promise<Entry[]> {
    return [...log, await link(log, kind, content)];
  }
  const enrolled = (k: TestKey, station: string) => ({
    kid: k.kid,
    station,
    operator: `${station} operator`,
    publicJwk: k.publicJwk,
  });
  const bjMessage = (over: Partial<MessagePayload> = {}) =>
    message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0, ...over });
  async function replay(log: Entry[]): Promise<ChainVerifier> {
    const v = new ChainVerifier();
    for (const e of log) await v.apply(e);
    return v;
  }
  /** Replays all but the last entry, then expects the last to fail with `code` and change nothing. */
  async function expectFault(log: Entry[], code: string): Promise<void> {
    const v = await replay(log.slice(0, -1));
    const bad = log[log.length - 1]!;
    const before = { length: v.length, messages: v.messages.size, seqs: [...v.nextSeq] };
    await expect(v.apply(bad)).rejects.toMatchObject({ code, details: { idx: bad.idx } });
    expect({ length: v.length, messages: v.messages.size, seqs: [...v.nextSeq] }).toEqual(before);
  }

  beforeAll(async () => {
    [bj, wa, stranger] = await Promise.all([TestKey.generate(), TestKey.generate(), TestKey.generate()]);
    msg = bjMessage();
    let log: Entry[] = [];
    log = await extend(log, 'exercise-created', { data: { exercise: DEFAULT_EXERCISE, relayKid: 'relay-kid' } });
    log = await extend(log, 'key-enrolled', { data: enrolled(bj, 'beijing') });
    log = await extend(log, 'key-enrolled', { data: enrolled(wa, 'washington') });
    log = await extend(log, 'message', { jws: await bj.sign(msg) });
    const r = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      ref: msg.id,
      refHash: log[3]!.hash,
    });
    log = await extend(log, 'receipt', { jws: await wa.sign(r, { typ: TYP.receipt }) });
    base = log;
  });

  it('verifies a valid log and learns its keys, messages and seqs', async () => {
    const v = await replay(base);
    expect(v.length).toBe(5);
    expect(v.hashes).toEqual(base.map((e) => e.hash));
    expect(v.exercise).toEqual(DEFAULT_EXERCISE);
    expect(v.keys.get(bj.kid)).toMatchObject({ station: 'beijing', enrolledIdx: 1 });
    expect(v.messages.get(msg.id)).toMatchObject({ idx: 3, hash: base[3]!.hash, from: 'beijing', to: 'washington' });
    expect(v.nextSeq.get(bj.kid)).toBe(1);
    expect(v.nextSeq.get(wa.kid)).toBe(1);
  });

  it('detects a broken prev link', async () => {
    const upTo3 = base.slice(0, 3);
    await expectFault(
      [...upTo3, await link(upTo3, 'message', { jws: base[3]!.jws! }, (b) => (b.prev = base[1]!.hash))],
      'CHAIN_BROKEN',
    );
  });

  it('detects a wrong hash', async () => {
    await expectFault([...base.slice(0, 3), { ...base[3]!, hash: base[2]!.hash }], 'CHAIN_BROKEN');
  });

  it('detects content changed after hashing', async () => {
    await expectFault([...base.slice(0, 3), { ...base[3]!, at: '2030-01-01T00:00:00.000Z' }], 'CHAIN_BROKEN');
  });

  it('detects an idx gap', async () => {
    const upTo3 = base.slice(0, 3);
    await expectFault(
      [...upTo3, await link(upTo3, 'message', { jws: base[3]!.jws! }, (b) => (b.idx = 4))],
      'CHAIN_BROKEN',
    );
  });

  it('detects a missing entry (the chain skips one)', async () => {
    await expectFault([...base.slice(0, 3), base[4]!], 'CHAIN_BROKEN');
  });

  it('detects a seq gap', async () => {
    const upTo3 = base.slice(0, 3);
    await expectFault(await extend(upTo3, 'message', { jws: await bj.sign(bjMessage({ seq: 1 })) }), 'SEQ_GAP');
  });

  it('detects a replayed seq', async () => {
    await expectFault(await extend(base, 'message', { jws: await bj.sign(bjMessage({ seq: 0 })) }), 'SEQ_GAP');
  });

  it('detects a receipt for an unknown message', async () => {
    const r = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 1,
      ref: uuidv7(),
      refHash: base[3]!.hash,
    });
    await expectFault(await extend(base, 'receipt', { jws: await wa.sign(r, { typ: TYP.receipt }) }), 'UNKNOWN_REF');
  });

  it('detects a receipt for a message the receipt sender sent itself', async () => {
    const r = receipt({
      exercise: 'dtl',
      from: 'beijing',
      to: 'washington',
      seq: 1,
      ref: msg.id,
      refHash: base[3]!.hash,
    });
    await expectFault(await extend(base, 'receipt', { jws: await bj.sign(r, { typ: TYP.receipt }) }), 'UNKNOWN_REF');
  });

  it('detects a receipt with the wrong refHash', async () => {
    const r = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      ref: msg.id,
      refHash: base[2]!.hash,
    });
    await expectFault(
      await extend(base.slice(0, 4), 'receipt', { jws: await wa.sign(r, { typ: TYP.receipt }) }),
      'REF_HASH_MISMATCH',
    );
  });

  it('detects a message signed by a revoked key', async () => {
    const revoked = await extend(base, 'key-revoked', { data: { kid: bj.kid, reason: 'device lost' } });
    await expectFault(await extend(revoked, 'message', { jws: await bj.sign(bjMessage({ seq: 1 })) }), 'KEY_REVOKED');
  });

  it('detects a message in the name of one station signed by a key of the other', async () => {
    const forged = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 1 });
    await expectFault(await extend(base, 'message', { jws: await wa.sign(forged) }), 'WRONG_STATION');
  });

  it('detects a message signed by a key never enrolled in the log', async () => {
    await expectFault(
      await extend(base, 'message', { jws: await stranger.sign(bjMessage({ seq: 1 })) }),
      'UNKNOWN_KEY',
    );
  });

  it('detects a message to the wrong station and one naming another exercise', async () => {
    await expectFault(
      await extend(base, 'message', { jws: await bj.sign(bjMessage({ seq: 1, to: 'beijing' })) }),
      'WRONG_RECIPIENT',
    );
    await expectFault(
      await extend(base, 'message', { jws: await bj.sign(bjMessage({ seq: 1, exercise: 'other' })) }),
      'WRONG_EXERCISE',
    );
  });

  it('detects a receipt logged as a message and a reused message id', async () => {
    await expectFault(
      [...base.slice(0, 4), await link(base.slice(0, 4), 'message', { jws: base[4]!.jws! })],
      'SCHEMA_INVALID',
    );
    await expectFault(await extend(base, 'message', { jws: await bj.sign({ ...msg, seq: 1 }) }), 'ID_CONFLICT');
  });

  it('detects a receipt id reused, as the relay refuses it (ID_CONFLICT)', async () => {
    const first = base[4]!;
    const reused = receipt({
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 1,
      ref: msg.id,
      refHash: base[3]!.hash,
      kind: 'acknowledged',
    });
    const original = JSON.parse(Buffer.from(first.jws!.split('.')[1]!, 'base64url').toString()) as { id: string };
    await expectFault(
      await extend(base, 'receipt', { jws: await wa.sign({ ...reused, id: original.id }, { typ: TYP.receipt }) }),
      'ID_CONFLICT',
    );
  });

  it('goes on after a refused entry as if it had never been offered', async () => {
    const v = await replay(base.slice(0, 3));
    await expect(v.apply({ ...base[3]!, hash: base[2]!.hash })).rejects.toMatchObject({ code: 'CHAIN_BROKEN' });
    await v.apply(base[3]!);
    await v.apply(base[4]!);
    expect(v.hashes).toEqual(base.map((e) => e.hash));
  });
});
