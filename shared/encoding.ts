// Byte encodings that behave the same in Node and in browsers (no Buffer, no node: imports).

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding: invalid bytes throw rather than turning into U+FFFD silently. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

// Node's Buffer decodes in C++, far cheaper than the loop below, which showed in the relay's profile
// (docs/performance.md). Browsers have no Buffer and take the loop; both accept exactly the same strings.
const NativeBuffer = (
  globalThis as {
    Buffer?: { from(text: string, enc: 'base64url'): Uint8Array & { toString(enc: 'base64url'): string } };
  }
).Buffer;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Whether `text` is canonical unpadded base64url, exactly what fromBase64url accepts, without decoding it:
 * only alphabet characters, no length of 4n+1, and zero unused bits in the last character (otherwise two
 * spellings would carry the same bytes).
 */
export function isBase64url(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 1 || !BASE64URL.test(text)) return false;
  if (rest === 0) return true;
  const last = LOOKUP[text.charCodeAt(text.length - 1)]!;
  // Two characters carry one byte (4 bits to spare), three carry two (2 bits to spare).
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** Decodes canonical unpadded base64url; null on a character outside the alphabet, a bad length or a
 * non-canonical last character. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!NativeBuffer) return fromBase64urlPortable(text);
  // isBase64url refuses what the portable decoder refuses (non-zero leftover bits included) without the
  // re-encoded copy an equality check would need.
  if (!isBase64url(text)) return null;
  const bytes = NativeBuffer.from(text, 'base64url');
  // A plain Uint8Array view (no copy), so callers see the same type in Node and in browsers.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The decoder browsers use; exported so tests can prove both decoders accept the same strings. */
export function fromBase64urlPortable(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding: two strings would decode to the same bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}
