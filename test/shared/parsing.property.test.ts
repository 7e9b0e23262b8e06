// Property: the parsers of untrusted text (frames both ways, the strict JSON parser, inspectItem on any
// string) never throw anything but a HotlineError with a code they document; and the strict parser finds a
// repeated member name exactly when one is there, and otherwise reads what JSON.parse reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, utf8 } from '../../shared/encoding.js';
import { HotlineError, type ErrorCode } from '../../shared/errors.js';
import { TYP } from '../../shared/items.js';
import { parseClientFrame, parseServerFrame } from '../../shared/protocol.js';
import { inspectItem } from '../../shared/signed.js';
import { duplicateMember, parseStrictJson } from '../../shared/strict-json.js';
import { message } from '../helpers/raw-console.js';
import { NUM_RUNS, SEED, report } from '../helpers/properties.js';

/** Runs `fn`; a throw must be a HotlineError whose code is one of `codes`. */
function onlyDocumented(fn: () => unknown, codes: readonly ErrorCode[]): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (!(err instanceof HotlineError) || !codes.includes(err.code)) {
      throw new Error(`threw ${String(err)} (${err instanceof HotlineError ? err.code : 'not a HotlineError'})`, {
        cause: err,
      });
    }
    return true;
  }
}

/** Replaces, inserts or deletes one character: a near-miss of a valid text. */
const nearMiss = (texts: fc.Arbitrary<string>) =>
  fc
    .tuple(texts, fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.string({ minLength: 1, maxLength: 1 }))
    .map(([t, at, how, c]) => {
      const i = t.length === 0 ? 0 : at % t.length;
      if (how === 'replace') return t.slice(0, i) + c + t.slice(i + 1);
      if (how === 'insert') return t.slice(0, i) + c + t.slice(i);
      return t.slice(0, i) + t.slice(i + 1);
    });

const FRAME_TYPES = ['hello', 'submit', 'ping', 'observe', 'challenge', 'welcome', 'accepted', 'rejected', 'entry'];
const frameLike = fc
  .tuple(
    fc.constantFrom(...FRAME_TYPES),
    fc.dictionary(fc.constantFrom('jws', 'id', 'since', 't', 'entry', 'x'), fc.jsonValue()),
  )
  .map(([type, rest]) => JSON.stringify({ ...rest, type }));
/** A JSON object text with one member repeated (the copy put first, so JSON.parse keeps the original). */
const withRepeat = fc
  .tuple(frameLike, fc.jsonValue())
  .map(([t, v]) => `{"type":${JSON.stringify(v) ?? 'null'},${t.slice(1)}`);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json(),
  frameLike,
  withRepeat,
  nearMiss(frameLike),
  nearMiss(fc.json()),
);

const FRAME_CODES: ErrorCode[] = ['FRAME_TOO_LARGE', 'BAD_FRAME', 'SCHEMA_INVALID'];
const ITEM_CODES: ErrorCode[] = ['BAD_JWS', 'BAD_ALGORITHM', 'BAD_TYPE', 'SCHEMA_INVALID'];

/** Compact JWS-shaped strings: real headers and payloads sometimes, junk parts often. */
const b64json = (value: fc.Arbitrary<unknown>) => value.map((v) => base64url(utf8(JSON.stringify(v) ?? 'null')));
const header = fc.oneof(
  fc.record({
    alg: fc.constantFrom('Ed25519', 'none', 'EdDSA'),
    kid: fc.string({ maxLength: 70 }),
    typ: fc.constantFrom(...Object.values(TYP), 'JWT'),
  }),
  fc.jsonValue(),
);
const payload = fc.oneof(
  fc.constant(message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq: 0 })),
  fc.record({ type: fc.constantFrom('message', 'receipt'), body: fc.string({ unit: 'binary' }) }),
  fc.jsonValue(),
);
const part = fc.oneof(
  fc.string({ maxLength: 90 }),
  fc.base64String().map((s) => s.replace(/=+$/, '')),
);
const jwsLike = fc.oneof(
  fc.tuple(b64json(header), b64json(payload), part).map((p) => p.join('.')),
  fc.tuple(fc.oneof(b64json(header), part), fc.oneof(b64json(payload), part), part).map((p) => p.join('.')),
  nearMiss(fc.tuple(b64json(header), b64json(payload), part).map((p) => p.join('.'))),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('parsers never throw anything undocumented', () => {
  it('parseClientFrame', () => {
    fc.assert(
      fc.property(anyText, (t) => onlyDocumented(() => parseClientFrame(t), FRAME_CODES)),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('parseClientFrame throws only FRAME_TOO_LARGE, BAD_FRAME, SCHEMA_INVALID');
  });

  it('parseServerFrame', () => {
    fc.assert(
      fc.property(anyText, (t) => onlyDocumented(() => parseServerFrame(t), FRAME_CODES)),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('parseServerFrame throws only FRAME_TOO_LARGE, BAD_FRAME, SCHEMA_INVALID');
  });

  it('parseStrictJson', () => {
    fc.assert(
      fc.property(anyText, (t) => onlyDocumented(() => parseStrictJson(t, 'BAD_FRAME', 'text'), ['BAD_FRAME'])),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('parseStrictJson throws only the code it is given');
  });

  it('inspectItem', () => {
    fc.assert(
      fc.property(jwsLike, (t) => onlyDocumented(() => inspectItem(t), ITEM_CODES)),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('inspectItem throws only BAD_JWS, BAD_ALGORITHM, BAD_TYPE, SCHEMA_INVALID');
  });
});

// A JSON tree whose objects are lists of members, so a name can repeat; names from a small alphabet so
// that repeats are common, each character written plainly or as a \u escape.
type Tree = { obj: [string, Tree][] } | { arr: Tree[] } | { leaf: unknown };
const NAME_CHARS = ['a', 'b', '"', '\\', 'é', '😀', '\u0000'];
const name = fc.array(fc.constantFrom(...NAME_CHARS), { maxLength: 2 }).map((cs) => cs.join(''));
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 0 }).map((leaf) => ({ leaf })),
    fc.array(fc.tuple(name, tie('tree')), { maxLength: 4 }).map((obj) => ({ obj })),
    fc.array(tie('tree'), { maxLength: 3 }).map((arr) => ({ arr })),
  ),
}));
const escapes = fc.infiniteStream(fc.boolean());

function writeName(n: string, escape: () => boolean): string {
  let out = '"';
  for (const ch of n) {
    if (escape() || ch === '"' || ch === '\\' || ch < ' ') {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}
function write(t: Tree, escape: () => boolean): string {
  if ('leaf' in t) return JSON.stringify(t.leaf) ?? 'null';
  if ('arr' in t) return `[${t.arr.map((x) => write(x, escape)).join(',')}]`;
  return `{${t.obj.map(([n, v]) => `${writeName(n, escape)}:${write(v, escape)}`).join(',')}}`;
}
/** The reference: a repeated name in any object of the tree, found on the tree itself. */
function repeats(t: Tree): boolean {
  if ('leaf' in t) return false;
  if ('arr' in t) return t.arr.some(repeats);
  const names = t.obj.map(([n]) => n);
  return new Set(names).size !== names.length || t.obj.some(([, v]) => repeats(v));
}

describe('the strict JSON parser agrees with a reference', () => {
  it('finds a repeated member exactly when the tree has one, and otherwise reads what JSON.parse reads', () => {
    fc.assert(
      fc.property(tree, escapes, (t, stream) => {
        const it = stream[Symbol.iterator]();
        const text = write(t, () => it.next().value as boolean);
        const dup = repeats(t);
        expect(duplicateMember(text) !== undefined).toBe(dup);
        if (dup) {
          expect(() => parseStrictJson(text, 'SCHEMA_INVALID', 'x')).toThrow(HotlineError);
        } else {
          expect(parseStrictJson(text, 'SCHEMA_INVALID', 'x')).toEqual(JSON.parse(text));
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('duplicateMember agrees with the tree reference');
  });
});
