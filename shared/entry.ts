// Log entries and the hash rule: hash = base64url(SHA-256(RFC 8785 canonical JSON of the entry without hash)).
import { canonicalize } from 'json-canonicalize';
import { base64url, sha256, utf8 } from './encoding.js';

export const ENTRY_KINDS = [
  'exercise-created',
  'key-enrolled',
  'key-revoked',
  'message',
  'receipt',
  'alarm',
  'note',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** 32 zero bytes, base64url: the `prev` of entry 0. */
export const GENESIS_PREV = base64url(new Uint8Array(32));

export interface EntryBody {
  idx: number;
  prev: string;
  at: string;
  kind: EntryKind;
  jws?: string;
  data?: Record<string, unknown>;
}

export interface Entry extends EntryBody {
  hash: string;
}

/** The exact bytes that are hashed: canonical JSON of the entry's own fields, nothing else. */
export function entryHashInput(entry: EntryBody): Uint8Array {
  const body: Record<string, unknown> = { idx: entry.idx, prev: entry.prev, at: entry.at, kind: entry.kind };
  if (entry.jws !== undefined) body['jws'] = entry.jws;
  if (entry.data !== undefined) body['data'] = entry.data;
  return utf8(canonicalize(body));
}

export async function hashEntry(entry: EntryBody): Promise<string> {
  return base64url(await sha256(entryHashInput(entry)));
}

export function stripHash(entry: Entry): EntryBody {
  const { hash: _hash, ...body } = entry;
  return body;
}
