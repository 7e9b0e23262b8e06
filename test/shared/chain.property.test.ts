// Property: `hotline verify` (verifyExportBytes: strict UTF-8, strict JSON, the ChainVerifier consoles run,
// the relay's closing checkpoint) accepts every honest export and refuses every export with one byte
// changed, wherever the byte is, except the header's exportedAt, which nothing signs (it says when the file
// was written, not what the log holds).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { verifyExportBytes } from '../../shared/export.js';
import { NUM_RUNS, SEED, report } from '../helpers/properties.js';
import { LogBuilder, logKeys, type LogKeys } from '../helpers/log-fixture.js';

/** What an operator might type: any Unicode, astral and CJK included, within the schema's limits. */
const typed = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const content = fc.record({
  operators: fc.tuple(typed(6), typed(6)),
  messages: fc.array(
    fc.record({ body: typed(60), subject: fc.option(typed(15), { nil: undefined }), receipts: fc.nat(2) }),
    { maxLength: 3 },
  ),
  note: fc.option(typed(30), { nil: undefined }),
});
type Content = typeof content extends fc.Arbitrary<infer T> ? T : never;

async function honest(keys: LogKeys, c: Content): Promise<Uint8Array> {
  const log = await LogBuilder.start(keys, c.operators);
  for (const m of c.messages) {
    const sent = await log.message({ body: m.body, ...(m.subject === undefined ? {} : { subject: m.subject }) });
    for (let r = 0; r < m.receipts; r++) await log.receipt(sent, r === 1 ? (c.note ?? 'Acknowledged.') : undefined);
  }
  if (c.note !== undefined) await log.add('alarm', { data: { text: c.note } });
  return utf8(await log.exportText());
}

/** Where a change is most likely to slip through: the last byte before a dot, a quote or a line end (the
 * last character of each JWS part, with its spare bits), and the line ends themselves. */
function edges(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const next = bytes[i + 1];
    if (next === undefined || next === 0x2e || next === 0x22 || next === 0x0a || bytes[i] === 0x0a) out.push(i);
  }
  return out;
}

/** The byte range of the header's exportedAt value (unsigned by design). */
function exportedAtRange(bytes: Uint8Array): [number, number] {
  const text = new TextDecoder().decode(bytes);
  const start = utf8(text.slice(0, text.indexOf('"exportedAt":"') + '"exportedAt":"'.length)).length;
  return [start, start + '2026-11-29T10:00:00.000Z'.length];
}

describe('chain verification', () => {
  let keys: LogKeys;
  let logs: Uint8Array[];
  /** The logs the mutations change, built once: each mutation then costs one verification only. */
  const MUTATED_LOGS = 48;

  beforeAll(async () => {
    keys = await logKeys();
    logs = [];
    for (const c of fc.sample(content, { seed: SEED, numRuns: MUTATED_LOGS })) logs.push(await honest(keys, c));
  });

  it('accepts every honest log', async () => {
    // Each case builds its log with real signatures and verifies it: the slowest property of the suite.
    await fc.assert(
      fc.asyncProperty(content, async (c) => {
        const r = await verifyExportBytes(await honest(keys, c));
        expect(r.fault).toBeUndefined();
        expect(r.ok).toBe(true);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report('verify accepts honest logs with arbitrary operators, bodies, subjects, notes and receipts');
  }, 180_000);

  it('refuses every single-byte change', async () => {
    const mutation = fc.record({
      log: fc.nat(logs.length - 1),
      at: fc.nat(),
      edge: fc.boolean(),
      delta: fc.integer({ min: 1, max: 255 }),
    });
    const edgesOf = logs.map((log) => {
      const [from, to] = exportedAtRange(log);
      return edges(log).filter((i) => i < from || i >= to);
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ log, at, edge, delta }) => {
        const original = logs[log]!;
        const [from, to] = exportedAtRange(original);
        // Half the positions anywhere outside exportedAt, half at the edges where a change is subtlest.
        let i = at % (original.length - (to - from));
        if (i >= from) i += to - from;
        if (edge) i = edgesOf[log]![at % edgesOf[log]!.length]!;
        const bytes = original.slice();
        bytes[i] = (bytes[i]! + delta) & 0xff;
        const r = await verifyExportBytes(bytes);
        expect(r.ok, `byte ${i} of log ${log} changed by ${delta}`).toBe(false);
        expect(r.fault?.code).toMatch(/^[A-Z_]+$/);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    report(`verify refuses one changed byte anywhere in ${logs.length} honest exports`);
  });
});
