// The bench signs with node:crypto for speed; it must produce exactly the JWS a console signing with jose
// (shared/jws.ts signJws) produces, and that JWS must pass the relay's own verification (shared/signed.ts).
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { importPublicKey, signJws } from '../../shared/jws.js';
import { TYP, type MessagePayload, type ReceiptPayload } from '../../shared/items.js';
import { verifyHello, verifyItem } from '../../shared/signed.js';
import { benchKeyFromJwk, decodePayload, JwsSigner, verifyCompact } from '../../bench/signer.js';

async function keys() {
  const pair = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  const bench = await benchKeyFromJwk({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, d: jwk.d! });
  return { josePrivate: pair.privateKey as CryptoKey, bench, signer: new JwsSigner(bench) };
}

const message = (seq: number, body: string): MessagePayload => ({
  v: 1,
  type: 'message',
  id: uuidv7(),
  exercise: 'bench-test',
  from: 'beijing',
  to: 'washington',
  seq,
  sentAt: '2026-01-02T03:04:05.678Z',
  precedence: 'FLASH',
  lang: 'zh',
  subject: 'Line check',
  body,
  classification: 'UNCLASSIFIED // EXERCISE',
});

describe('the bench signer', () => {
  it('makes byte-identical JWS to jose for messages, receipts and hellos', async () => {
    const { josePrivate, bench, signer } = await keys();
    const receipt: ReceiptPayload = {
      v: 1,
      type: 'receipt',
      id: uuidv7(),
      exercise: 'bench-test',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      sentAt: '2026-01-02T03:04:05.678Z',
      kind: 'delivered',
      ref: uuidv7(),
      refHash: 'A'.repeat(43),
    };
    const hello = { exercise: 'bench-test', station: 'beijing', nonce: 'n'.repeat(32), iat: 1_767_000_000 };
    const cases: [unknown, (typeof TYP)[keyof typeof TYP]][] = [
      [message(0, 'Hourly test. 北京 — Washington, "quoted" \\ and \u2028 unicode ✓'), TYP.message],
      [message(1, 'x'.repeat(16_000)), TYP.message],
      [receipt, TYP.receipt],
      [hello, TYP.hello],
    ];
    for (const [payload, typ] of cases) {
      const fast = signer.sign(payload, typ);
      expect(fast).toBe(await signJws(payload, josePrivate, bench.kid, typ));
      // The header is exactly {alg, kid, typ}.
      expect(JSON.parse(Buffer.from(fast.split('.')[0]!, 'base64url').toString())).toEqual({
        alg: 'Ed25519',
        kid: bench.kid,
        typ,
      });
    }
  });

  it('produces items and hellos that the relay verification accepts', async () => {
    const { bench, signer } = await keys();
    const key = await importPublicKey(bench.publicJwk);
    const m = message(3, 'verify me');
    const item = await verifyItem(signer.sign(m, TYP.message), (kid) => (kid === bench.kid ? key : undefined));
    expect(item).toMatchObject({ typ: TYP.message, kid: bench.kid, payload: m });
    const hello = {
      exercise: 'bench-test',
      station: 'beijing',
      nonce: 'z'.repeat(24),
      iat: Math.floor(Date.now() / 1000),
    };
    expect((await verifyHello(signer.sign(hello, TYP.hello), () => key)).payload).toEqual(hello);
  });

  it('verifies with node:crypto inline, rejects a tampered payload, and decodes payloads', async () => {
    const { bench, signer } = await keys();
    const m = message(4, 'inline');
    const jws = signer.sign(m, TYP.message);
    expect(verifyCompact(jws, bench.publicKey)).toBe(true);
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...m, body: 'forged' })).toString('base64url')}.${s}`;
    expect(verifyCompact(forged, bench.publicKey)).toBe(false);
    expect(decodePayload<MessagePayload>(jws)).toEqual(m);
  });
});
