// What the hardening issue found, pinned on every path that reads signed bytes (the relay's checks, the
// consoles' ChainVerifier, `hotline verify`'s verifyExport): duplicate JSON members, lengths in UTF-16 code
// units at the limit with astral characters, non-canonical base64url in each JWS part, and the code of an
// export cut mid-line.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../shared/chain.js';
import { keyEnrolledData } from '../../shared/entry-data.js';
import { base64url, utf8 } from '../../shared/encoding.js';
import type { Entry } from '../../shared/entry.js';
import { verifyExport, verifyExportBytes } from '../../shared/export.js';
import { HotlineError } from '../../shared/errors.js';
import { exerciseDef, LIMITS, messagePayload, receiptPayload, TYP, type MessagePayload } from '../../shared/items.js';
import { decodeHeader, signJws } from '../../shared/jws.js';
import { parseClientFrame, parseServerFrame, validate } from '../../shared/protocol.js';
import { verifyCheckpoint, verifyHello, verifyItem, WEB_CRYPTO, type KeyResolver } from '../../shared/signed.js';
import { duplicateMember, parseStrictJson } from '../../shared/strict-json.js';
import { NODE_CRYPTO } from '../../server/node-crypto.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { message, receipt } from '../helpers/raw-console.js';
import {
  honestLog,
  LogBuilder,
  logKeys,
  nonCanonical,
  oddHeader,
  oddLength,
  part,
  withPart,
  type LogKeys,
} from '../helpers/log-fixture.js';
import { thrown } from '../helpers/thrown.js';

/** A string of exactly `units` UTF-16 code units, made of astral characters (two units each). */
const astral = (units: number) => '😀'.repeat(Math.floor(units / 2)) + (units % 2 ? 'x' : '');

let keys: LogKeys;
let resolve: KeyResolver;
const routing = { exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 } as const;

beforeAll(async () => {
  keys = await logKeys();
  const enrolled = new Map([keys.beijing, keys.washington].map((k) => [k.kid, k.publicKey]));
  resolve = (kid) => enrolled.get(kid);
});

/** verifyItem through jose (consoles) and through node:crypto (the relay): both refuse with `code`. */
async function expectItemRefused(jws: string, code: string): Promise<void> {
  for (const crypto of [WEB_CRYPTO, NODE_CRYPTO]) {
    await expect(verifyItem(jws, resolve, crypto)).rejects.toMatchObject({ name: 'HotlineError', code });
  }
}

/** A log whose last message entry carries `jws` as is (correctly hashed): the chain is fine, the item not. */
async function logWith(jws: string): Promise<{ entries: Entry[]; text: string }> {
  const log = await LogBuilder.start(keys);
  await log.message({}, jws);
  return { entries: log.entries, text: await log.exportText() };
}

/** The consoles' ChainVerifier and `hotline verify` both refuse the log's last entry with `code`. */
async function expectLogRefused(jws: string, code: string): Promise<void> {
  const { entries, text } = await logWith(jws);
  const v = new ChainVerifier();
  for (const e of entries.slice(0, -1)) await v.apply(e);
  await expect(v.apply(entries[entries.length - 1]!)).rejects.toMatchObject({ code });
  const report = await verifyExport(text);
  expect(report.ok).toBe(false);
  expect(report.fault).toMatchObject({ code, idx: entries.length - 1, line: entries.length + 1 });
}

describe('duplicate JSON members (RFC 7493)', () => {
  it('parseStrictJson refuses a repeated name at any depth, also spelled with escapes', () => {
    const dup: [string, string][] = [
      ['{"to":"beijing","to":"washington"}', 'to'],
      ['{"a":{"b":1,"c":[{"d":1,"d":1}]}}', 'd'],
      ['{"to":1,"\\u0074o":2}', 'to'],
      ['{"":1,"":2}', ''],
      ['[1,{"x":{"y":"}"},"x":2}]', 'x'],
      ['{"a\\"b":1,"a\\"b":2}', 'a"b'],
      ['{"__proto__":1,"__proto__":2}', '__proto__'],
    ];
    for (const [text, name] of dup) {
      expect(duplicateMember(text)).toBe(name);
      const err = thrown(() => parseStrictJson(text, 'BAD_FRAME', 'The frame'));
      expect(err).toBeInstanceOf(HotlineError);
      expect(err).toMatchObject({ code: 'BAD_FRAME', details: { duplicate: name } });
    }
  });

  it('parseStrictJson accepts equal names in different objects and names that only look alike', () => {
    const ok = [
      '{"a":{"x":1},"b":{"x":2}}',
      '[{"a":1},{"a":1}]',
      '{"a":"}\\"{,\\\\","b":{"a":["a","a"]}}',
      '{"to":1,"To":2,"to ":3,"t\\u00f6":4}',
      '{"x":1, "y" : {"x" :[ {} , {"x":0}]}}',
      '"{\\"a\\":1,\\"a\\":2}"',
      '{"e\\u0301":1,"\\u00e9":2}',
    ];
    for (const text of ok) {
      expect(duplicateMember(text)).toBeUndefined();
      expect(parseStrictJson(text, 'BAD_FRAME', 'x')).toEqual(JSON.parse(text));
    }
    expect(thrown(() => parseStrictJson('{"a":1,}', 'SCHEMA_INVALID', 'x'))).toMatchObject({
      code: 'SCHEMA_INVALID',
      details: {},
    });
  });

  it('frames in both directions: BAD_FRAME', () => {
    expect(thrown(() => parseClientFrame('{"type":"ping","id":"a","id":"b"}'))).toMatchObject({ code: 'BAD_FRAME' });
    expect(thrown(() => parseClientFrame('{"type":"ping","type":"submit","id":"a"}'))).toMatchObject({
      code: 'BAD_FRAME',
    });
    expect(
      thrown(() => parseServerFrame('{"type":"presence","station":"beijing","online":true,"online":false}')),
    ).toMatchObject({ code: 'BAD_FRAME' });
  });

  it('a signed header with a repeated member: BAD_JWS, on the relay path and the console path', async () => {
    const bj = keys.beijing;
    const header = `{"alg":"Ed25519","kid":"${bj.kid}","typ":"${TYP.receipt}","typ":"${TYP.message}"}`;
    const jws = await bj.forge(header, message(routing));
    expect(thrown(() => decodeHeader(jws))).toMatchObject({ code: 'BAD_JWS' });
    await expectItemRefused(jws, 'BAD_JWS');
    await expectLogRefused(jws, 'BAD_JWS');
  });

  it('a signed payload with a repeated member: SCHEMA_INVALID for items and hellos, BAD_CHECKPOINT for checkpoints', async () => {
    const bj = keys.beijing;
    const m = message(routing);
    const text = JSON.stringify(m).replace('"to":"washington"', '"to":"beijing","to":"washington"');
    expect(JSON.parse(text)).toEqual(m);
    const jws = await bj.sign(text);
    await expectItemRefused(jws, 'SCHEMA_INVALID');
    await expectLogRefused(jws, 'SCHEMA_INVALID');

    const hello = `{"exercise":"dtl","station":"beijing","station":"beijing","nonce":"${'n'.repeat(32)}","iat":${Math.floor(Date.now() / 1000)}}`;
    await expect(verifyHello(await bj.sign(hello, { typ: TYP.hello }), resolve)).rejects.toMatchObject({
      code: 'SCHEMA_INVALID',
    });
    const relay = keys.relay;
    const cp = `{"exercise":"dtl","idx":3,"idx":4,"hash":"${'A'.repeat(43)}","at":"2026-11-29T09:00:00.000Z"}`;
    await expect(
      verifyCheckpoint(await relay.forge({ alg: 'Ed25519', kid: relay.kid, typ: TYP.checkpoint }, cp), relay.publicKey),
    ).rejects.toMatchObject({ code: 'BAD_CHECKPOINT' });
  });

  it('an export line with a repeated member: BAD_EXPORT naming the line, also on the last line', async () => {
    const log = await honestLog(keys);
    const lines = (await log.exportText()).trimEnd().split('\n');
    expect((await verifyExport(lines.join('\n'))).ok).toBe(true);
    const dupAt = (i: number, insert: string) => {
      const l = [...lines];
      l[i] = `{${insert},${l[i]!.slice(1)}`;
      return l.join('\n');
    };
    const entryLine = 3;
    const first = JSON.parse(lines[entryLine]!) as Entry;
    for (const [i, insert] of [
      [0, '"v":1'],
      [entryLine, `"kind":"${first.kind}"`],
      [lines.length - 1, '"checkpoint":"x"'],
    ] as const) {
      const report = await verifyExport(dupAt(i, insert));
      expect(report.fault).toMatchObject({ code: 'BAD_EXPORT', line: i + 1 });
      expect(report.fault?.message).toMatch(/twice/);
    }
  });
});

describe('unpaired surrogates (RFC 7493: strings are Unicode)', () => {
  it('parseStrictJson refuses an escaped or a raw lone surrogate, in a value or a name; a pair is fine', () => {
    for (const text of ['"\\ud800"', '{"a":"x\\udc00"}', '{"\\ud83d":1}', '["ok","\\uDBFF"]', '"\ud800"']) {
      expect(
        thrown(() => parseStrictJson(text, 'SCHEMA_INVALID', 'x')),
        text,
      ).toMatchObject({
        code: 'SCHEMA_INVALID',
        message: 'x holds an unpaired surrogate (RFC 7493 I-JSON).',
      });
    }
    expect(parseStrictJson('{"a":"\\ud83d\\ude00 \\u00e9"}', 'SCHEMA_INVALID', 'x')).toEqual({ a: '😀 é' });
  });

  it('a signed payload with one: SCHEMA_INVALID on the relay path and in the console verifier and verify', async () => {
    const m = message(routing);
    const text = JSON.stringify(m).replace('"body":"', '"body":"\\ud800');
    const jws = await keys.beijing.sign(text);
    await expectItemRefused(jws, 'SCHEMA_INVALID');
    await expectLogRefused(jws, 'SCHEMA_INVALID');
  });

  it('a frame with one: BAD_FRAME', () => {
    expect(thrown(() => parseClientFrame('{"type":"ping","id":"\\udfff"}'))).toMatchObject({ code: 'BAD_FRAME' });
  });
});

describe('lengths in UTF-16 code units, at the limit with astral characters', () => {
  const rcpt = () =>
    receipt({ ...routing, from: 'washington', to: 'beijing', ref: message(routing).id, refHash: 'A'.repeat(43) });
  // [field, limit, a valid value with that field set to `text`, the schema]
  const rows: [string, number, (text: string) => unknown, Parameters<typeof validate>[0]][] = [
    ['body', LIMITS.body, (t) => ({ ...message(routing), body: t }), messagePayload],
    ['subject', LIMITS.subject, (t) => ({ ...message(routing), subject: t }), messagePayload],
    ['classification', LIMITS.classification, (t) => ({ ...message(routing), classification: t }), messagePayload],
    ['note', LIMITS.note, (t) => ({ ...rcpt(), note: t }), receiptPayload],
    ['title', LIMITS.title, (t) => ({ ...DEFAULT_EXERCISE, title: t }), exerciseDef],
    [
      'exercise classification',
      LIMITS.classification,
      (t) => ({ ...DEFAULT_EXERCISE, classification: t }),
      exerciseDef,
    ],
    [
      'station name',
      LIMITS.stationName,
      (t) => ({
        ...DEFAULT_EXERCISE,
        stations: [{ ...DEFAULT_EXERCISE.stations[0], name: t }, DEFAULT_EXERCISE.stations[1]],
      }),
      exerciseDef,
    ],
    [
      'operator',
      LIMITS.operator,
      (t) => ({ kid: 'k', station: 'beijing', operator: t, publicJwk: keys.beijing.publicJwk }),
      keyEnrolledData,
    ],
  ];
  it.each(rows)(
    '%s: exactly the limit in units is accepted, one unit over is refused',
    (_field, limit, make, schema) => {
      for (const text of [astral(limit), astral(limit - 1) + 'x', 'x' + astral(limit - 1)]) {
        expect(text.length).toBe(limit);
        expect(() => validate(schema, make(text))).not.toThrow();
      }
      for (const text of [astral(limit + 1), astral(limit) + 'x', astral(limit + 2)]) {
        expect(text.length).toBeGreaterThan(limit);
        expect(thrown(() => validate(schema, make(text)))).toMatchObject({ code: 'SCHEMA_INVALID' });
      }
    },
  );

  it('the body of 4,001 emoji is refused by the relay path, the console verifier and verify; 4,000 pass', async () => {
    const at = (body: string): MessagePayload => ({ ...message(routing), body });
    const ok = await keys.beijing.sign(at(astral(LIMITS.body)));
    expect(((await verifyItem(ok, resolve, NODE_CRYPTO)).payload as MessagePayload).body).toHaveLength(LIMITS.body);
    expect((await verifyExport((await logWith(ok)).text)).ok).toBe(true);
    const over = await keys.beijing.sign(at('😀'.repeat(LIMITS.body / 2 + 1)));
    await expectItemRefused(over, 'SCHEMA_INVALID');
    await expectLogRefused(over, 'SCHEMA_INVALID');
    const subject = await keys.beijing.sign({ ...message(routing), subject: '😀'.repeat(LIMITS.subject / 2 + 1) });
    await expectItemRefused(subject, 'SCHEMA_INVALID');
    await expectLogRefused(subject, 'SCHEMA_INVALID');
  });
});

describe('non-canonical base64url in each JWS part', () => {
  const oddMessage = () => oddLength(message(routing));

  it('the header, the payload and the signature: BAD_JWS on the relay path, in the console verifier and in verify', async () => {
    const bj = keys.beijing;
    const signed = await bj.sign(oddMessage());
    const headed = await bj.forge(oddHeader(bj.kid), oddMessage());
    const cases = [
      withPart(headed, 0, nonCanonical(part(headed, 0))),
      withPart(signed, 1, nonCanonical(part(signed, 1))),
      withPart(signed, 2, nonCanonical(part(signed, 2))),
    ];
    for (const jws of cases) {
      await expectItemRefused(jws, 'BAD_JWS');
      await expectLogRefused(jws, 'BAD_JWS');
    }
    // The untouched items verify, so nothing else is wrong with them.
    await verifyItem(signed, resolve, NODE_CRYPTO);
    await verifyItem(headed, resolve, WEB_CRYPTO);
  });

  it('hellos and checkpoints too: a second spelling of the payload or the signature is refused', async () => {
    const bj = keys.beijing;
    let hello = { exercise: 'dtl', station: 'beijing', nonce: 'n'.repeat(32), iat: Math.floor(Date.now() / 1000) };
    while (JSON.stringify(hello).length % 3 === 0) hello = { ...hello, nonce: `${hello.nonce}n` };
    const h = await bj.sign(hello, { typ: TYP.hello });
    expect(await verifyHello(h, resolve)).toMatchObject({ kid: bj.kid });
    for (const i of [1, 2]) {
      await expect(verifyHello(withPart(h, i, nonCanonical(part(h, i))), resolve)).rejects.toMatchObject({
        code: 'BAD_JWS',
      });
    }
    const relay = keys.relay;
    const cp = await signJws(
      { exercise: 'dtl', idx: 3, hash: 'A'.repeat(43), at: '2026-11-29T09:00:00.000Z' },
      relay.privateKey,
      relay.kid,
      TYP.checkpoint,
    );
    expect(await verifyCheckpoint(cp, relay.publicKey)).toMatchObject({ idx: 3 });
    await expect(verifyCheckpoint(withPart(cp, 2, nonCanonical(part(cp, 2))), relay.publicKey)).rejects.toMatchObject({
      code: 'BAD_CHECKPOINT',
    });
  });

  it('verify refuses an export whose closing checkpoint has a second spelling of its signature', async () => {
    const lines = (await (await honestLog(keys)).exportText()).trimEnd().split('\n');
    const { checkpoint } = JSON.parse(lines[lines.length - 1]!) as { checkpoint: string };
    lines[lines.length - 1] = JSON.stringify({
      checkpoint: withPart(checkpoint, 2, nonCanonical(part(checkpoint, 2))),
    });
    expect((await verifyExport(lines.join('\n'))).fault).toMatchObject({ code: 'BAD_CHECKPOINT', line: lines.length });
  });

  it('the encoder never writes a non-canonical spelling (what the relay and the consoles sign)', () => {
    for (let n = 0; n < 70; n++) {
      const text = base64url(utf8('x'.repeat(n)));
      if (n % 3 !== 0) expect(() => nonCanonical(text)).not.toThrow();
    }
  });
});

describe('an export cut short', () => {
  it('is TRUNCATED wherever the cut falls, mid-line or between lines; a broken middle line is BAD_EXPORT', async () => {
    const text = await (await honestLog(keys)).exportText();
    const lines = text.trimEnd().split('\n');
    const lastEntry = lines.length - 2;
    const cuts = [
      text.slice(0, text.length - 40),
      text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1),
      text.slice(0, text.lastIndexOf('\n', text.length - 2)),
      text.slice(0, text.lastIndexOf('\n', text.length - 2) - 10),
    ];
    for (const cut of cuts) {
      const report = await verifyExport(cut);
      expect(report.fault?.code).toBe('TRUNCATED');
    }
    // Cut inside the last entry's line: the entries before it verified, the fault is on the cut line.
    const midEntry = `${lines.slice(0, lastEntry).join('\n')}\n${lines[lastEntry]!.slice(0, 30)}`;
    expect((await verifyExport(midEntry)).fault).toMatchObject({ code: 'TRUNCATED', line: lastEntry + 1 });
    const broken = [...lines];
    broken[2] = broken[2]!.slice(0, 30);
    expect((await verifyExport(broken.join('\n'))).fault).toMatchObject({ code: 'BAD_EXPORT', line: 3 });
  });
});

describe('one export, one spelling', () => {
  it('refuses whitespace around a line (CRLF too) and invalid UTF-8, naming the line, with BAD_EXPORT', async () => {
    const text = await (await honestLog(keys)).exportText();
    const lines = text.trimEnd().split('\n');
    expect((await verifyExportBytes(utf8(text))).ok).toBe(true);
    expect((await verifyExport(lines.join('\r\n'))).fault).toMatchObject({ code: 'BAD_EXPORT', line: 1 });
    expect((await verifyExport(`${text.trimEnd()} \n`)).fault).toMatchObject({
      code: 'BAD_EXPORT',
      line: lines.length,
    });
    const bytes = utf8(text);
    const third = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 5;
    bytes[third] = 0xff;
    expect((await verifyExportBytes(bytes)).fault).toMatchObject({ code: 'BAD_EXPORT', line: 3 });
  });
});

describe('what the strict parser costs', () => {
  it('prints parseStrictJson against JSON.parse on a typical payload and a submit frame (no timing assertion)', async () => {
    const payload = JSON.stringify(message(routing));
    const frame = JSON.stringify({ type: 'submit', jws: await keys.beijing.sign(message(routing)) });
    const rounds = 20_000;
    const time = (fn: () => unknown) => {
      for (let i = 0; i < 2_000; i++) fn();
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) fn();
      return Number(process.hrtime.bigint() - start) / rounds / 1000;
    };
    for (const [what, text] of [
      ['message payload', payload],
      ['submit frame', frame],
    ] as const) {
      const plain = time(() => JSON.parse(text));
      const strict = time(() => parseStrictJson(text, 'SCHEMA_INVALID', 'x'));
      console.log(
        `strict JSON, ${what} of ${text.length} bytes: JSON.parse ${plain.toFixed(2)} µs, parseStrictJson ${strict.toFixed(2)} µs (${(strict / plain).toFixed(2)}x)`,
      );
      expect(parseStrictJson(text, 'SCHEMA_INVALID', 'x')).toEqual(JSON.parse(text));
    }
  });
});

describe('the documents say what the code does', () => {
  it('names TRUNCATED, once, for an export cut mid-line, in PROTOCOL.md and errors.md', () => {
    const protocol = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8');
    const errors = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const step = protocol.split('\n4. The last line is a JSON object')[1]!.split('\n5. ')[0]!;
    expect(step).toMatch(/`TRUNCATED`, wherever the cut fell: between two lines, or mid-line/);
    expect(step).not.toMatch(/BAD_EXPORT` if the last line/);
    const row = (code: string) => errors.split('\n').find((l) => l.startsWith(`| \`${code}\` |`))!;
    expect(row('TRUNCATED')).toMatch(/mid-line/);
    expect(row('BAD_EXPORT')).not.toMatch(/mid-line|cut/);
  });
});
