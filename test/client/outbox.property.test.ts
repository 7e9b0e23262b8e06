// Exactly once, as a property: the reference client's outbox (client/outbox.ts, client/refusals.ts) talking
// to the relay's append rules (the MemoryStore's ChainLinker: dedupe by kid, seq and payload hash, seq
// continuity, ids) over simulated connections that drop at random (losing answers and some submits in
// flight, delivering others late, interleaved with the next connection's), duplicate submits and reorder
// answers. Whatever happens, once the network heals every item the operator wrote is in the
// log exactly once, gap-free, and the outbox is empty. No sockets, no signatures (signJws is replaced by
// a cheap stand-in: what is under test is the bookkeeping), so thousands of cases run in seconds.
// Reproduce a failure with FC_SEED=<the printed seed> (and FC_RUNS to change the number of cases).
import { NUM_RUNS, SEED } from '../helpers/properties.js';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Identity } from '../../client/identity.js';
import { Outbox } from '../../client/outbox.js';
import { handleRefusal } from '../../client/refusals.js';
import { MemoryStorage } from '../../client/storage.js';
import { MemoryStore } from '../../server/store/memory.js';
import type { AppendRequest } from '../../server/store/types.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { base64url, fromBase64url, utf8 } from '../../shared/encoding.js';
import type { ItemPayload } from '../../shared/items.js';
import type * as Jws from '../../shared/jws.js';
import type { AcceptedFrame, RejectedFrame } from '../../shared/protocol.js';

vi.mock('../../shared/jws.js', async (importOriginal) => ({
  ...(await importOriginal<typeof Jws>()),
  // The payload travels in the clear, as in a real JWS; the "signature" only names the key.
  signJws: async (payload: unknown, _key: unknown, kid: string) =>
    `${kid}.${base64url(utf8(JSON.stringify(payload)))}.sig`,
}));

const KID = 'kid-beijing';
/** Bounds the healing phase: each round delivers everything in flight, so a few rounds always suffice. */
const HEAL_ROUNDS = 50;

type Step =
  /** The operator writes an item; a bad one is refused for good by the relay's verifier (WRONG_RECIPIENT). */
  | { t: 'write'; bad: boolean }
  | { t: 'toRelay'; pick: number }
  | { t: 'duplicate'; pick: number }
  | { t: 'toClient'; pick: number }
  /** Bit i of `keep` says whether the i-th submit still in flight reaches the relay after all. */
  | { t: 'disconnect'; keep: number }
  | { t: 'reconnect' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 5 }).map((n) => ({ t: 'write' as const, bad: n === 0 })),
  },
  { weight: 5, arbitrary: fc.nat(16).map((pick) => ({ t: 'toRelay' as const, pick })) },
  { weight: 1, arbitrary: fc.nat(16).map((pick) => ({ t: 'duplicate' as const, pick })) },
  { weight: 5, arbitrary: fc.nat(16).map((pick) => ({ t: 'toClient' as const, pick })) },
  { weight: 2, arbitrary: fc.nat(0xffff).map((keep) => ({ t: 'disconnect' as const, keep })) },
  { weight: 2, arbitrary: fc.constant({ t: 'reconnect' as const }) },
);

type Answer = AcceptedFrame | RejectedFrame;

/** One console and one relay, and the frames between them, each tagged with its connection. */
class World {
  readonly store = new MemoryStore();
  readonly outbox: Outbox;
  readonly written: string[] = [];
  readonly bad = new Set<string>();
  readonly refusedForGood: string[] = [];
  readonly fresh = new Map<string, number>();
  toRelay: { conn: number; jws: string }[] = [];
  toClient: { conn: number; frame: Answer }[] = [];
  conn = 0;
  open = false;

  constructor() {
    const identity = { exercise: DEFAULT_EXERCISE, station: 'beijing', kid: KID } as unknown as Identity;
    this.outbox = new Outbox(identity, new MemoryStorage());
  }

  async init(): Promise<void> {
    const at = new Date().toISOString();
    await this.store.append([
      { exercise: 'dtl', kind: 'exercise-created', at, data: { exercise: DEFAULT_EXERCISE, relayKid: 'k' } },
    ]);
  }

  #submit(jws: string): void {
    if (this.open) this.toRelay.push({ conn: this.conn, jws });
  }

  async write(bad: boolean): Promise<void> {
    const body = `${bad ? 'bad' : 'ok'} ${this.written.length + this.bad.size}`;
    const item = await this.outbox.add({
      type: 'message',
      to: 'washington',
      precedence: 'ROUTINE',
      lang: 'en',
      body,
      classification: '',
    });
    if (bad) this.bad.add(item.id);
    else this.written.push(item.id);
    this.#submit(item.jws);
  }

  /** The relay commits one submit and answers on the connection it came from. */
  async relay(i: number): Promise<void> {
    const [frame] = this.toRelay.splice(i, 1);
    if (!frame) return;
    const [, body] = frame.jws.split('.');
    const p = JSON.parse(new TextDecoder().decode(fromBase64url(body!))) as ItemPayload;
    if (p.type === 'message' && p.body.startsWith('bad')) {
      const refusal = {
        type: 'rejected' as const,
        code: 'WRONG_RECIPIENT' as const,
        message: '',
        id: p.id,
        seq: p.seq,
      };
      this.toClient.push({ conn: frame.conn, frame: refusal });
      return;
    }
    const req: AppendRequest = {
      exercise: 'dtl',
      kind: p.type,
      at: new Date().toISOString(),
      jws: frame.jws,
      item: {
        kid: KID,
        seq: p.seq,
        id: p.id,
        type: p.type,
        payloadHash: body!,
        from: p.from,
        to: p.to,
        sentAt: p.sentAt,
      },
    };
    const [r] = await this.store.append([req]);
    if (r!.ok && !r!.value.duplicate) this.fresh.set(p.id, (this.fresh.get(p.id) ?? 0) + 1);
    const answer: Answer = r!.ok
      ? {
          type: 'accepted',
          id: p.id,
          seq: p.seq,
          idx: r!.value.entry.idx,
          hash: r!.value.entry.hash,
          at: r!.value.entry.at,
          checkpoint: '',
        }
      : {
          type: 'rejected',
          code: r!.error.code,
          message: r!.error.message,
          id: p.id,
          seq: p.seq,
          ...(typeof r!.error.details['expectedSeq'] === 'number'
            ? { expectedSeq: r!.error.details['expectedSeq'] }
            : {}),
        };
    this.toClient.push({ conn: frame.conn, frame: answer });
  }

  /** The console handles one answer as client.ts does: accepted leaves the outbox, refusals by the rules. */
  async client(i: number): Promise<void> {
    const [a] = this.toClient.splice(i, 1);
    if (!a || !this.open || a.conn !== this.conn) return;
    if (a.frame.type === 'accepted') {
      await this.outbox.accepted(a.frame.id);
      return;
    }
    const r = await handleRefusal(a.frame, this.outbox);
    if (r.action === 'ignore') return;
    if (r.action === 'reconnect') return this.disconnect(0xffff);
    if (r.action === 'refused') this.refusedForGood.push(r.item.id);
    for (const item of r.items) this.#submit(item.jws);
  }

  /** The socket closes: answers in flight are lost; each submit in flight is lost or still reaches the relay
   * (later, possibly after submits of the next connection). A live connection loses nothing (TCP). */
  disconnect(keep: number): void {
    this.open = false;
    this.toClient = [];
    this.toRelay = this.toRelay.filter((_, i) => (keep >> (i % 16)) & 1);
  }

  /** A new connection: welcome with the relay's next seq, then every outbox item again, in seq order. */
  async reconnect(): Promise<void> {
    if (this.open) return;
    this.conn += 1;
    this.open = true;
    const nextSeq = await this.store.nextSeq(KID);
    if (this.outbox.items.length === 0 && nextSeq > this.outbox.nextSeq) await this.outbox.refused(undefined, nextSeq);
    for (const item of [...this.outbox.items]) this.#submit(item.jws);
  }

  async run(s: Step): Promise<void> {
    const at = (pick: number, list: unknown[]) => pick % Math.max(1, list.length);
    switch (s.t) {
      case 'write':
        return this.write(s.bad);
      case 'toRelay': {
        // One connection's submits arrive in order (TCP, and the relay admits them in order); submits of
        // different connections interleave any way.
        const heads = this.toRelay.flatMap((f, i) =>
          this.toRelay.findIndex((g) => g.conn === f.conn) === i ? [i] : [],
        );
        return this.relay(heads[at(s.pick, heads)] ?? 0);
      }
      case 'duplicate': {
        const f = this.toRelay[at(s.pick, this.toRelay)];
        if (f) this.toRelay.push({ ...f });
        return;
      }
      case 'toClient':
        return this.client(at(s.pick, this.toClient));
      case 'disconnect':
        return this.disconnect(s.keep);
      case 'reconnect':
        return this.reconnect();
    }
  }

  /** The network heals: no more losses or reorders; reconnect and deliver everything until all is quiet. */
  async heal(): Promise<void> {
    for (let round = 0; round < HEAL_ROUNDS; round++) {
      if (!this.open) await this.reconnect();
      while (this.toRelay.length > 0) await this.relay(0);
      while (this.toClient.length > 0) await this.client(0);
      if (this.open && this.outbox.items.length === 0 && this.toRelay.length === 0) return;
    }
  }
}

describe('outbox and relay dedupe, as a property', () => {
  it('deliver every written item exactly once under random disconnects, reorders and duplicates', async () => {
    let cases = 0;
    console.log(`outbox property: seed ${SEED}, ${NUM_RUNS} cases (FC_SEED=${SEED} to reproduce)`);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        cases += 1;
        const w = new World();
        await w.init();
        await w.reconnect();
        for (const s of steps) await w.run(s);
        await w.heal();
        const log = (await w.store.read('dtl', 1, 10_000)).map((c) => {
          const body = c.entry.jws!.split('.')[1]!;
          return JSON.parse(new TextDecoder().decode(fromBase64url(body))) as ItemPayload;
        });
        // Bad items are refused for good, once each; no good item ever is.
        expect(w.refusedForGood.sort()).toEqual([...w.bad].sort());
        expect(w.outbox.items).toEqual([]);
        // Exactly once: each good item committed once, nothing else in the log, seqs 0..n-1 in order (the
        // refused items' seqs were given to their successors).
        expect([...w.fresh.values()].every((n) => n === 1)).toBe(true);
        expect(log.map((p) => p.id).sort()).toEqual([...w.written].sort());
        expect(log.map((p) => p.seq)).toEqual(w.written.map((_, i) => i));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    console.log(`outbox property: ${cases} cases run`);
    expect(cases).toBeGreaterThanOrEqual(NUM_RUNS);
  }, 60_000);
});
