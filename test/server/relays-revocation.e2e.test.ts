// A key revoked through one relay of a log is revoked on every relay (issue 13): a console connected to relay
// B is disconnected with KEY_REVOKED when a trainer revokes its key through relay A, its key opens neither
// relay again, and the export, from either relay, shows its items before the revocation and none after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../shared/export.js';
import { ERRORS } from '../../shared/errors.js';
import { enrolKey, RawConsole } from '../helpers/raw-console.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';

describe('revocation on two relays of one log', () => {
  let pair: RelayPair;
  const consoles: RawConsole[] = [];

  beforeAll(async () => {
    pair = await startRelayPair('hotline_relays_revoke');
  });

  afterAll(async () => {
    for (const c of consoles) c.close();
    await pair?.cleanup();
  });

  it('revoked through A ends the key’s connection on B and opens neither relay again', async () => {
    const { a, b, onB } = pair;
    await enrolKey(a, 'washington');
    const key = await enrolKey(onB, 'beijing');
    const c = await RawConsole.open(b, key);
    consoles.push(c);
    const { accepted } = await c.accept({ body: 'before the revocation' });

    const trainer = await a.trainer();
    await trainer.revoke('dtl', key.kid, 'lost device');
    expect((await c.waitForClose(10_000)).code).toBe(ERRORS.KEY_REVOKED.close);

    for (const relay of [a, b]) {
      const again = await RawConsole.connect(relay);
      consoles.push(again);
      await expect(again.authenticate(key), relay === a ? 'on A' : 'on B').rejects.toThrow();
    }
    const exported = (await b.api<string>('GET', '/v1/exercises/dtl/export', undefined, await a.trainerToken())).body;
    const report = await verifyExport(exported);
    expect(report.ok).toBe(true);
    const revokedAt = report.entries.find((e) => e.kind === 'key-revoked')!.idx;
    expect(accepted.idx).toBeLessThan(revokedAt);
  });
});
