// Version 2 of the protocol on a live relay (real sockets, real SQLite): a new item's submitter gets one
// frame, its entry with the answer inside, where version 1 gets the entry and an `accepted` frame; every
// other answer (a duplicate, a refusal) and every other connection is as in version 1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL, SUBPROTOCOL_V2, SUBPROTOCOLS } from '../../shared/protocol.js';
import { verifyCheckpoint } from '../../shared/signed.js';
import { enrolKey, RawConsole, refusedUpgrade, type Frame, type TestKey } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

type EntryFrame = Extract<Frame, { type: 'entry' }>;

describe('protocol version 2: one frame answers a new item', () => {
  let relay: TestRelay;
  let bj: TestKey;
  let wa: TestKey;
  const consoles: RawConsole[] = [];

  async function open(key: TestKey, protocols: string[]): Promise<RawConsole> {
    const c = await RawConsole.open(relay, key, { protocols });
    consoles.push(c);
    return c;
  }

  /** Reads this console's stream up to and including entry `idx`. */
  async function entryAt(c: RawConsole, idx: number): Promise<EntryFrame> {
    for (;;) {
      const f = await c.waitFor('entry');
      if (f.entry.idx === idx) return f;
      expect(f.entry.idx).toBeLessThan(idx);
    }
  }

  beforeAll(async () => {
    relay = await startTestRelay();
    [bj, wa] = await Promise.all([enrolKey(relay, 'beijing'), enrolKey(relay, 'washington')]);
  });

  afterEach(() => {
    for (const c of consoles.splice(0)) {
      expect(c.malformed).toEqual([]);
      c.close();
    }
  });

  afterAll(async () => {
    await relay.close();
  });

  it('picks the newest version offered, and refuses an upgrade that offers neither', async () => {
    const both = await open(bj, [...SUBPROTOCOLS]);
    expect(both.ws.protocol).toBe(SUBPROTOCOL_V2);
    const old = await open(wa, [SUBPROTOCOL]);
    expect(old.ws.protocol).toBe(SUBPROTOCOL);
    const reversed = await open(wa, [SUBPROTOCOL, SUBPROTOCOL_V2]);
    expect(reversed.ws.protocol).toBe(SUBPROTOCOL_V2);
    const none = await refusedUpgrade(relay, { protocols: ['hotline.v3'] });
    expect(none).toMatchObject({ status: 400, body: { code: 'SUBPROTOCOL_REQUIRED' } });
  });

  it("answers a new item inside its entry, with a checkpoint that covers it; the peer's copy has no answer", async () => {
    const sender = await open(bj, [...SUBPROTOCOLS]);
    const peer = await open(wa, [SUBPROTOCOL]);
    const payload = sender.message();
    sender.send({ type: 'submit', jws: await sender.sign(payload) });
    const own = await sender.waitForFrame(
      (f): f is EntryFrame => f.type === 'entry' && f.entry.jws !== undefined && f.accepted !== undefined,
    );
    expect(own.accepted).toMatchObject({ id: payload.id, seq: payload.seq });
    const checkpoint = await verifyCheckpoint(own.accepted!.checkpoint, relay.key.verifyKey);
    expect(checkpoint.exercise).toBe('dtl');
    expect(checkpoint.idx).toBeGreaterThanOrEqual(own.entry.idx);
    const theirs = await entryAt(peer, own.entry.idx);
    expect(theirs.accepted).toBeUndefined();
    expect(theirs.entry).toEqual(own.entry);
    // No accepted frame follows: the entry was the answer. A ping's pong shows nothing else was sent first.
    sender.send({ type: 'ping', id: 'after' });
    await sender.waitFor('pong');
    expect(sender.queue.filter((f) => f.type === 'accepted' || f.type === 'rejected')).toEqual([]);
  });

  it('answers 40 pipelined submits with 40 entries in order, each carrying its own answer, and nothing else', async () => {
    const sender = await open(bj, [...SUBPROTOCOLS]);
    const payloads = [];
    const texts = [];
    for (let i = 0; i < 40; i++) {
      const payload = sender.message({ seq: sender.seq + i });
      payloads.push(payload);
      texts.push(await sender.sign(payload));
    }
    for (const jws of texts) sender.send({ type: 'submit', jws });
    const answers: EntryFrame[] = [];
    while (answers.length < 40) {
      const f = await sender.waitFor('entry');
      if (f.accepted) answers.push(f);
    }
    expect(answers.map((f) => f.accepted!.id)).toEqual(payloads.map((p) => p.id));
    expect(answers.map((f) => f.accepted!.seq)).toEqual(payloads.map((p) => p.seq));
    const idxs = answers.map((f) => f.entry.idx);
    expect(idxs).toEqual(idxs.map((_, i) => idxs[0]! + i));
    sender.send({ type: 'ping', id: 'after' });
    await sender.waitFor('pong');
    expect(sender.queue.filter((f) => f.type === 'accepted' || f.type === 'rejected')).toEqual([]);
  });

  it('answers a resubmission of a logged item with an accepted frame, and a refusal with a rejected frame', async () => {
    const sender = await open(bj, [...SUBPROTOCOLS]);
    const payload = sender.message();
    const jws = await sender.sign(payload);
    sender.send({ type: 'submit', jws });
    const first = await sender.waitForFrame((f): f is EntryFrame => f.type === 'entry' && f.accepted !== undefined);
    // The entry was streamed already: the duplicate's answer cannot ride on it again.
    const again = await sender.submit(jws);
    expect(again).toMatchObject({
      type: 'accepted',
      id: payload.id,
      seq: payload.seq,
      idx: first.entry.idx,
      hash: first.entry.hash,
    });
    const gap = await sender.submit(await sender.sign(sender.message({ seq: payload.seq + 5 })));
    expect(gap).toMatchObject({ type: 'rejected', code: 'SEQ_GAP', expectedSeq: payload.seq + 1 });
  });

  it('keeps version 1 as it was: the entry, then an accepted frame', async () => {
    const sender = await open(bj, [SUBPROTOCOL]);
    const { payload, accepted } = await sender.accept();
    expect(accepted.id).toBe(payload.id);
    const own = await entryAt(sender, accepted.idx);
    expect(own.accepted).toBeUndefined();
    expect(own.entry.hash).toBe(accepted.hash);
  });
});
