// A key revoked while it streams: the log must never hold an item of that key after its key-revoked entry
// (the export verifier refuses such a log as a whole), and every item that lost the race is answered
// KEY_REVOKED. Real sockets, real SQLite, the trainer's revoke endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../shared/export.js';
import type { Entry } from '../../shared/entry.js';
import { enrolKey, RawConsole, type FrameOf } from '../helpers/raw-console.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

/** Items signed ahead of the stream, per round; enough that the revocation lands mid-stream. */
const ITEMS = 160;
/** The stream: this many submits every tick of TICK_MS. */
const PER_TICK = 4;
const TICK_MS = 2;
/** The trainer revokes once this many items were sent. */
const REVOKE_AFTER = 40;
/** Several streams, each revoked: every round is one more chance for the race. */
const ROUNDS = 3;

type Answer = FrameOf<'accepted'> | FrameOf<'rejected'>;

const kidOf = (e: Entry): string | undefined =>
  e.jws
    ? (JSON.parse(Buffer.from(e.jws.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid
    : undefined;

describe('revoking a key in the middle of its stream', () => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay();
  });

  afterAll(async () => {
    await relay.cleanup();
  });

  /** Streams ITEMS pipelined submits from a fresh key and revokes it after REVOKE_AFTER of them. */
  async function streamAndRevoke(): Promise<{ kid: string; answers: Map<number, Answer>; close: number }> {
    const key = await enrolKey(relay, 'beijing');
    await enrolKey(relay, 'washington');
    const c = await RawConsole.open(relay, key);
    const jws = await Promise.all(
      Array.from({ length: ITEMS }, (_, i) => c.sign(c.message({ seq: c.seq + i, body: `stream item ${i}` }))),
    );
    const answers = new Map<number, Answer>();
    c.ws.on('message', () => {
      for (const f of c.queue.splice(0))
        if (f.type === 'accepted' || f.type === 'rejected') answers.set(f.seq ?? -1, f);
    });
    const trainer = await relay.trainer();
    let sent = 0;
    let revoked: Promise<unknown> | undefined;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let k = 0; k < PER_TICK && sent < ITEMS && c.isOpen; k++) c.send({ type: 'submit', jws: jws[sent++]! });
        if (sent >= REVOKE_AFTER && !revoked) revoked = trainer.revoke('dtl', key.kid, 'mid-stream');
        if (sent >= ITEMS || !c.isOpen) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    await revoked;
    const { code } = await c.waitForClose(10_000);
    for (const f of c.queue.splice(0)) if (f.type === 'accepted' || f.type === 'rejected') answers.set(f.seq ?? -1, f);
    return { kid: key.kid, answers, close: code };
  }

  it('never logs an item of the key after its revocation, answers the late ones KEY_REVOKED, and the export verifies', async () => {
    const streams = [];
    for (let round = 0; round < ROUNDS; round++) streams.push(await streamAndRevoke());

    const token = await relay.trainerToken();
    const text = (await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, token)).body;
    const report = await verifyExport(text);
    expect(report.fault ?? null).toBeNull();
    expect(report.ok).toBe(true);

    let late = 0;
    for (const { kid, answers, close } of streams) {
      expect(close).toBe(4403);
      const revocation = report.entries.find(
        (e) => e.kind === 'key-revoked' && (e.data as { kid: string }).kid === kid,
      );
      expect(revocation).toBeDefined();
      const logged = report.entries.filter((e) => kidOf(e) === kid);
      // The order the relay decided: every item of the key before its revocation, none after.
      for (const e of logged) expect(e.idx).toBeLessThan(revocation!.idx);
      const loggedIdx = new Set(logged.map((e) => e.idx));
      for (const a of answers.values()) {
        if (a.type === 'accepted') expect(loggedIdx.has(a.idx)).toBe(true);
        else {
          // A late item: refused because its key was revoked first, and not in the log.
          expect(a.code).toBe('KEY_REVOKED');
          late += 1;
        }
      }
      // Every item the log holds was answered accepted (none was committed silently).
      const accepted = [...answers.values()].filter((a) => a.type === 'accepted').length;
      expect(accepted).toBe(logged.length);
    }
    console.log(`revocation race: ${late} late item(s) answered KEY_REVOKED over ${ROUNDS} rounds`);
  }, 30_000);
});
