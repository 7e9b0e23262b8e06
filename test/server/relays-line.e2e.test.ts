// The line's procedures on two relays of one log (issue 13): two Washington devices, one on relay A and one
// on relay B, answer one call request at the same moment. Each relay checks its answer against the line as
// it knows it; the store appends an answer only onto the line it was checked against (afterControl), and the
// relay whose answer lost checks it again and refuses it (PROCEDURE_STATE). Exactly one answer is logged,
// and the log verifies, over many rounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog, accepted } from '../helpers/line-fixture.js';
import { enrolKey, LINE_TYP, RawConsole } from '../helpers/raw-console.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';

const SOON = '2026-12-03T08:00:00.000Z';
const ROUNDS = 8;

describe('the line on two relays of one log', () => {
  let pair: RelayPair;
  const consoles: RawConsole[] = [];

  beforeAll(async () => {
    pair = await startRelayPair('hotline_relays_line');
  });

  afterAll(async () => {
    for (const c of consoles) c.close();
    await pair?.cleanup();
  });

  it('logs exactly one of two answers to one call given at once through two relays', async () => {
    const { a, b, onB } = pair;
    const bj = await RawConsole.open(a, await enrolKey(a, 'beijing'));
    const wa1 = await RawConsole.open(a, await enrolKey(a, 'washington'));
    const wa2 = await RawConsole.open(b, await enrolKey(onB, 'washington'));
    consoles.push(bj, wa1, wa2);
    const codes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { payload, answer } = await bj.submitLine({
        type: 'call',
        action: 'request',
        level: 'principal',
        subject: `Round ${round}`,
        proposedAt: SOON,
      });
      const call = { id: payload['id'] as string, hash: accepted(answer).hash };
      const sign = (c: RawConsole) =>
        c.sign(c.lineItem({ type: 'call', action: 'accept', ref: call.id, refHash: call.hash, callAt: SOON }), {
          typ: LINE_TYP.call,
        });
      const [j1, j2] = [await sign(wa1), await sign(wa2)];
      wa1.send({ type: 'submit', jws: j1 });
      wa2.send({ type: 'submit', jws: j2 });
      const answers = [await wa1.result(), await wa2.result()];
      expect(answers.map((x) => x.type).sort(), `round ${round}`).toEqual(['accepted', 'rejected']);
      const refused = answers.find((x) => x.type === 'rejected') as { code: string };
      codes.push(refused.code);
      // The loser's seq was not used: its next item takes it again.
      for (const [c, x] of [
        [wa1, answers[0]!],
        [wa2, answers[1]!],
      ] as const)
        if (x.type === 'accepted') c.seq++;
    }
    expect(new Set(codes)).toEqual(new Set(['PROCEDURE_STATE']));
    const v = await verifyLog(a);
    for (const call of v.line.calls.values()) expect(call.steps).toHaveLength(2);
  });
});
