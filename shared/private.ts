// Private entries in one shared chain. An inject for Beijing, a trainer's note or the scenario must stay in
// the one hash chain both consoles verify, yet Washington must never receive a byte of what they say. So the
// hashed entry holds only a commitment, `commit = base64url(SHA-256(JCS({data, salt})))`, and the content
// travels beside it as `reveal: {salt, data}`, outside the hash, only to readers it is addressed to. A
// station's stream carries the commitment alone for the rest: the chain still links, and the 256-bit random
// salt keeps a short content ("yes", a time) from being guessed by hashing candidates against the commitment.
// docs/PROTOCOL.md section 8 ("Private entries") specifies it.
import { canonicalize } from 'json-canonicalize';
import { base64url, sha256, utf8 } from './encoding.js';
import type { Entry, EntryKind, Reveal } from './entry.js';

/** The kinds whose content is private, and to whom: a station (`to`) or exercise control only. */
export const PRIVATE_KINDS: Readonly<Partial<Record<EntryKind, 'station' | 'control'>>> = {
  inject: 'station',
  note: 'control',
  scenario: 'control',
  'inject-control': 'control',
};

export function isPrivateKind(kind: EntryKind): boolean {
  return PRIVATE_KINDS[kind] !== undefined;
}

/** Who reads a stream: a station's console, or exercise control (trainers and the export), which reads all. */
export type Audience = { station: string } | 'control';

/** The exact text a commitment hashes. */
export function revealText(reveal: Reveal): string {
  return canonicalize({ data: reveal.data, salt: reveal.salt });
}

export async function commitmentOf(reveal: Reveal): Promise<string> {
  return base64url(await sha256(utf8(revealText(reveal))));
}

/** A fresh 32-byte salt (WebCrypto's generator, in Node and in browsers). */
export function newSalt(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether `audience` may read the content of `entry` (always true for a public entry). */
export function mayRead(entry: Pick<Entry, 'kind' | 'to'>, audience: Audience): boolean {
  const who = PRIVATE_KINDS[entry.kind];
  if (who === undefined || audience === 'control') return true;
  return who === 'station' && entry.to === audience.station;
}

/** The entry as `audience` receives it: the same hashed fields, the reveal only for its readers. */
export function redactFor(entry: Entry, audience: Audience): Entry {
  if (entry.reveal === undefined || mayRead(entry, audience)) return entry;
  const { reveal: _hidden, ...rest } = entry;
  return rest;
}
