// The bench's correctness checks on a synthetic, fully valid pair log (real keys, real signatures, real
// hash chain), then with one fault injected at a time: each must be caught and named.
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody } from '../../shared/entry.js';
import { TYP, type MessagePayload, type ReceiptPayload } from '../../shared/items.js';
import { checkPair, type PairLog, type SeenEntry } from '../../bench/checker.js';
import { benchExercise } from '../../bench/setup.js';
import { generateBenchKey, JwsSigner } from '../../bench/signer.js';
import { verifyLogs } from '../../bench/verify-logs.js';

const N = 6;
let valid: { log: PairLog; entries: Entry[] };

function seen(e: Entry, payload?: { id: string; seq: number; ref?: string }, kid?: string): SeenEntry {
  return {
    idx: e.idx,
    hash: e.hash,
    kind: e.kind,
    ...(e.jws ? { jws: e.jws } : {}),
    ...(payload ? { id: payload.id, seq: payload.seq, ...(payload.ref ? { ref: payload.ref } : {}) } : {}),
    ...(kid ? { kid } : {}),
  };
}

/** A pair's exercise log as the relay would write it: creation, two enrolments, then N messages each followed by its receipt. */
async function buildLog(): Promise<{ log: PairLog; entries: Entry[] }> {
  const def = benchExercise('bench-test-0', 0);
  const [a, b] = [await generateBenchKey(), await generateBenchKey()];
  const [sa, sb] = [new JwsSigner(a), new JwsSigner(b)];
  const entries: Entry[] = [];
  const append = async (body: Omit<EntryBody, 'idx' | 'prev' | 'at'>) => {
    const prev = entries.at(-1)?.hash ?? GENESIS_PREV;
    const full: EntryBody = {
      idx: entries.length,
      prev,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, entries.length)).toISOString(),
      ...body,
    };
    const entry: Entry = { ...full, hash: await hashEntry(full) };
    entries.push(entry);
    return entry;
  };
  await append({ kind: 'exercise-created', data: { exercise: def, relayKid: 'relay-kid' } });
  await append({
    kind: 'key-enrolled',
    data: { kid: a.kid, station: 'beijing', operator: 'bench sender', publicJwk: a.publicJwk },
  });
  await append({
    kind: 'key-enrolled',
    data: { kid: b.kid, station: 'washington', operator: 'bench receiver', publicJwk: b.publicJwk },
  });
  const log: PairLog = {
    pair: 0,
    senderKid: a.kid,
    receiverKid: b.kid,
    sent: [],
    atReceiver: [],
    atSender: [],
    receipts: true,
    receiptsSubmitted: N,
    receiptsAccepted: N,
  };
  const common = { v: 1 as const, exercise: def.id, sentAt: '2026-01-01T00:00:00.000Z' };
  for (let k = 0; k < N; k++) {
    const m: MessagePayload = {
      ...common,
      type: 'message',
      id: uuidv7(),
      from: 'beijing',
      to: 'washington',
      seq: k,
      precedence: 'ROUTINE',
      lang: 'zh',
      body: `message ${k}`,
      classification: def.classification,
    };
    const jws = sa.sign(m, TYP.message);
    log.sent.push({ id: m.id, seq: k, jws, accepted: 1, rejected: 0 });
    const me = await append({ kind: 'message', jws });
    const r: ReceiptPayload = {
      ...common,
      type: 'receipt',
      id: uuidv7(),
      from: 'washington',
      to: 'beijing',
      seq: k,
      kind: 'delivered',
      ref: m.id,
      refHash: me.hash,
    };
    await append({ kind: 'receipt', jws: sb.sign(r, TYP.receipt) });
  }
  for (const e of entries) {
    const payload = e.jws
      ? (JSON.parse(Buffer.from(e.jws.split('.')[1]!, 'base64url').toString()) as {
          id: string;
          seq: number;
          ref?: string;
        })
      : undefined;
    const kid = e.kind === 'message' ? a.kid : e.kind === 'receipt' ? b.kid : undefined;
    log.atReceiver.push(seen(e, payload, kid));
    log.atSender.push(seen(e, payload, kid));
  }
  return { log, entries };
}

/** A deep copy of the valid log to break. */
function copy(): PairLog {
  return structuredClone(valid.log);
}

const firstMessage = (side: SeenEntry[]) => side.findIndex((e) => e.kind === 'message');

beforeAll(async () => {
  valid = await buildLog();
});

describe('the pair checker', () => {
  it('passes a complete, in-order log', () => {
    expect(checkPair(valid.log)).toEqual({ pair: 0, ok: true, counts: {}, faults: [] });
  });

  it('catches a dropped message', () => {
    const log = copy();
    const i = firstMessage(log.atReceiver) + 2; // the second message
    const dropped = log.atReceiver.splice(i, 1)[0]!;
    const r = checkPair(log);
    expect(r.ok).toBe(false);
    expect(r.counts.lost).toBe(1);
    expect(r.counts.gap).toBe(1);
    expect(r.faults.find((f) => f.kind === 'lost')!.detail).toContain(dropped.id);
  });

  it('catches a duplicated message', () => {
    const log = copy();
    const i = firstMessage(log.atReceiver) + 2;
    log.atReceiver.splice(i + 1, 0, { ...log.atReceiver[i]! });
    const r = checkPair(log);
    expect(r.ok).toBe(false);
    expect(r.counts.duplicated).toBe(2); // once as an entry idx seen twice, once as a message id seen twice
    expect(r.counts.lost).toBeUndefined();
  });

  it('catches reordered messages', () => {
    const log = copy();
    const i = firstMessage(log.atReceiver);
    // message 0, receipt 0, message 1 → message 1 first, then message 0 and its receipt
    const [m0, r0, m1] = log.atReceiver.splice(i, 3);
    log.atReceiver.splice(i, 0, m1!, m0!, r0!);
    const r = checkPair(log);
    expect(r.ok).toBe(false);
    expect(r.counts.reordered).toBeGreaterThanOrEqual(2);
    expect(r.counts.lost).toBeUndefined();
    expect(r.counts.duplicated).toBeUndefined();
  });

  it('catches a JWS that is not exactly the one sent', () => {
    const log = copy();
    const e = log.atReceiver[firstMessage(log.atReceiver)]!;
    e.jws = `${e.jws!.slice(0, -1)}${e.jws!.endsWith('A') ? 'B' : 'A'}`;
    expect(checkPair(log).counts.altered).toBe(1);
  });

  it('catches a lost and a duplicated receipt, a message never accepted or accepted twice, and views that differ', () => {
    const log = copy();
    const receipts = log.atSender.map((e, i) => [e, i] as const).filter(([e]) => e.kind === 'receipt');
    log.atSender.splice(receipts[1]![1], 1);
    log.atSender.push({ ...receipts[3]![0], idx: log.atSender.length + 1 });
    log.sent[0]!.accepted = 0;
    log.sent[1]!.accepted = 2;
    log.atSender[0]!.hash = 'x'.repeat(43);
    const r = checkPair(log);
    expect(r.counts).toMatchObject({
      'receipt-lost': 1,
      'receipt-duplicated': 1,
      'not-accepted': 1,
      'accepted-twice': 1,
      'views-differ': 1,
    });
  });

  it('lists at most a few faults of a kind but counts them all', () => {
    const log = copy();
    log.atReceiver = log.atReceiver.filter((e) => e.kind !== 'message');
    const r = checkPair(log);
    expect(r.counts.lost).toBe(N);
    expect(r.faults.filter((f) => f.kind === 'lost').length).toBeLessThanOrEqual(5);
  });
});

describe('verification after the run', () => {
  it('verifies every signature and hash link of a valid log', async () => {
    const v = await verifyLogs([{ pair: 0, entries: valid.entries, checkpoints: [] }], undefined);
    expect(v.faults).toEqual([]);
    expect(v.signatures).toBe(2 * N);
  });

  it('names a signature that does not verify', async () => {
    const entries = structuredClone(valid.entries);
    const e = entries.find((x) => x.kind === 'message')!;
    const sig = e.jws!.split('.')[2]!;
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    e.jws = e.jws!.replace(/[^.]+$/, flipped);
    // Re-hash so only the signature is wrong, not the chain.
    const { hash: _h, ...body } = e;
    e.hash = await hashEntry(body);
    const v = await verifyLogs([{ pair: 0, entries, checkpoints: [] }], undefined);
    expect(v.faults).toHaveLength(1);
    expect(v.faults[0]!.kind).toBe('bad-signature');
  });

  it('names a broken hash chain', async () => {
    const entries = structuredClone(valid.entries);
    entries[5]!.at = '2030-01-01T00:00:00.000Z';
    const v = await verifyLogs([{ pair: 0, entries, checkpoints: [] }], undefined);
    expect(v.faults[0]).toMatchObject({ pair: 0, kind: 'chain' });
    expect(v.faults[0]!.detail).toMatch(/CHAIN_BROKEN: entry 5/);
  });
});
