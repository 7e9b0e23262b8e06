// Property: the text an entry's hash covers (shared/entry.ts: a hand-written fast path for entries without
// data, json-canonicalize for the rest; server/store/chain-linker.ts hashes the same text on the writer
// thread) is RFC 8785 canonical JSON, as written by the small reference below, for arbitrary entries.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTRY_KINDS, entryHashText, hashEntry, type EntryBody } from '../../shared/entry.js';
import { hashBody } from '../../server/store/chain-linker.js';
import { NUM_RUNS, SEED, report } from '../helpers/properties.js';

// RFC 8785, straight from the text. Strings (3.2.2.2): '"' and '\' escaped, the five control characters
// with short forms use them, the other controls are \u00xx in lower-case hex, everything else is itself.
const SHORT: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
function jcsString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += SHORT[c] ?? (c < 0x20 ? `\\u${c.toString(16).padStart(4, '0')}` : s[i]);
  }
  return `${out}"`;
}
/** Numbers (3.2.2.3): ECMAScript's Number.prototype.toString, with -0 as 0; NaN and infinities are not JSON. */
function jcsNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error('not I-JSON');
  return Object.is(n, -0) ? '0' : n.toString();
}
/** Objects (3.2.3): members sorted by their names as arrays of UTF-16 code units, which is what
 * Array.prototype.sort compares by default. */
function jcs(v: unknown): string {
  if (v === null || v === true || v === false) return String(v);
  if (typeof v === 'number') return jcsNumber(v);
  if (typeof v === 'string') return jcsString(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  const o = v as Record<string, unknown>;
  const names = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${names.map((k) => `${jcsString(k)}:${jcs(o[k])}`).join(',')}}`;
}

// Strings of any Unicode scalar values (no lone surrogates: RFC 8785 takes I-JSON), controls included.
const str = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => v);
const entry: fc.Arbitrary<EntryBody> = fc
  .record(
    {
      idx: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      prev: str,
      at: str,
      kind: fc.constantFrom(...ENTRY_KINDS),
      jws: str,
      data: fc.dictionary(str, json, { maxKeys: 5 }),
    },
    { requiredKeys: ['idx', 'prev', 'at', 'kind'] },
  )
  .map((e) => e as EntryBody);

function reference(e: EntryBody): string {
  const body: Record<string, unknown> = { idx: e.idx, prev: e.prev, at: e.at, kind: e.kind };
  if (e.jws !== undefined) body['jws'] = e.jws;
  if (e.data !== undefined) body['data'] = e.data;
  return jcs(body);
}

describe('canonical entry text', () => {
  it('agrees with an RFC 8785 reference for arbitrary entries, with and without data', async () => {
    await fc.assert(
      fc.asyncProperty(entry, async (e) => {
        const text = reference(e);
        expect(entryHashText(e)).toBe(text);
        const hash = createHash('sha256').update(text, 'utf8').digest('base64url');
        expect(hashBody(e)).toBe(hash);
        expect(await hashEntry(e)).toBe(hash);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('entryHashText, hashEntry and the writer thread hashBody agree with the RFC 8785 reference');
  });
});
