// What strict base64url decoding costs on the relay's path (docs/performance.md, "Changes since"): the
// decoder in use (shared/encoding.ts: canonical form checked from the last character) against the check it
// replaced (decode, re-encode, compare), on a typical message payload and a signature. CPU per decode from
// process.cpuUsage, two rounds each, alternating. Run: npx tsx bench/decode-cost.ts
import { fromBase64url } from '../shared/encoding.js';

const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/;

/** The check before: decode, then re-encode and compare (a copy of the whole input for every decode). */
function reencodeCheck(text: string): Uint8Array | null {
  if (text.length % 4 === 1 || !ALPHABET_ONLY.test(text)) return null;
  const b = Buffer.from(text, 'base64url');
  return b.toString('base64url') === text ? new Uint8Array(b.buffer, b.byteOffset, b.length) : null;
}

const payload = Buffer.from(
  JSON.stringify({
    v: 1,
    type: 'message',
    id: '01a2352b-066a-70aa-b4a4-4d877a851bd8',
    exercise: 'dtl',
    from: 'beijing',
    to: 'washington',
    seq: 12,
    sentAt: '2026-12-02T05:12:21.866Z',
    precedence: 'ROUTINE',
    lang: 'en',
    subject: 'Line check',
    body: 'x'.repeat(256),
    classification: 'UNCLASSIFIED // EXERCISE',
  }),
).toString('base64url');
const signature = Buffer.alloc(64, 7).toString('base64url');

function cpuPerDecode(decode: (t: string) => Uint8Array | null, text: string, n = 200_000): number {
  for (let i = 0; i < n / 10; i++) decode(text);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) if (!decode(text)) throw new Error('refused a canonical input');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

for (let round = 1; round <= 2; round++) {
  for (const [name, text] of [
    [`payload (${payload.length} characters)`, payload],
    [`signature (${signature.length} characters)`, signature],
  ] as const) {
    const before = cpuPerDecode(reencodeCheck, text);
    const now = cpuPerDecode(fromBase64url, text);
    console.log(`round ${round}, ${name}: re-encode check ${before.toFixed(3)} µs, in use ${now.toFixed(3)} µs`);
  }
}
