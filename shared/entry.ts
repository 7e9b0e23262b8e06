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
  'exercise-state',
  'scenario',
  'procedures',
  'inject-control',
  'inject',
  'note',
  'call',
  'call-expired',
  'translation',
  'link-test',
  'link-reply',
  'link-missed',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The kinds whose entry holds a console's signed item (`jws`, no `data`); every other kind is the relay's. */
export const ITEM_KINDS = [
  'message',
  'receipt',
  'call',
  'translation',
  'link-reply',
] as const satisfies readonly EntryKind[];
export type ItemKind = (typeof ITEM_KINDS)[number];
export function isItemKind(kind: EntryKind): kind is ItemKind {
  return (ITEM_KINDS as readonly string[]).includes(kind);
}

/** 32 zero bytes, base64url: the `prev` of entry 0. */
export const GENESIS_PREV = base64url(new Uint8Array(32));

export interface EntryBody {
  idx: number;
  prev: string;
  at: string;
  kind: EntryKind;
  jws?: string;
  data?: Record<string, unknown>;
  /** A private entry's audience station; absent on a private entry for exercise control only (shared/private.ts). */
  to?: string;
  /** A private entry's commitment to its content: the hash covers this, never the content itself. */
  commit?: string;
}

/** A private entry's content and the salt that hides it from anyone who holds only its commitment. */
export interface Reveal {
  salt: string;
  data: Record<string, unknown>;
}

export interface Entry extends EntryBody {
  hash: string;
  /** Present for readers the private entry is addressed to; outside the hash, proved by `commit`. */
  reveal?: Reveal;
}

/** The exact text that is hashed: canonical JSON (RFC 8785) of the entry's own fields, nothing else. */
export function entryHashText(entry: EntryBody): string {
  return directHashText(entry) ?? canonicalEntryText(entry);
}

/**
 * The hashed text of an entry with no data (messages and receipts, nearly every entry), written directly,
 * because the general canonicalizer showed in the relay's CPU profile (docs/performance.md); undefined for
 * any other entry. RFC 8785 serializes strings exactly as JSON.stringify does and sorts keys by UTF-16 code
 * units, which for these keys is at < idx < jws < kind < prev; test/shared/protocol.test.ts compares both on
 * awkward inputs.
 */
export function directHashText(entry: EntryBody): string | undefined {
  if (entry.data !== undefined || entry.commit !== undefined || !Number.isSafeInteger(entry.idx)) return undefined;
  const jws = entry.jws === undefined ? '' : `"jws":${JSON.stringify(entry.jws)},`;
  return `{"at":${JSON.stringify(entry.at)},"idx":${entry.idx},${jws}"kind":${JSON.stringify(entry.kind)},"prev":${JSON.stringify(entry.prev)}}`;
}

/** The general rule, through the RFC 8785 canonicalizer: any entry, data or not; never `hash` or `reveal`. */
export function canonicalEntryText(entry: EntryBody): string {
  const body: Record<string, unknown> = { idx: entry.idx, prev: entry.prev, at: entry.at, kind: entry.kind };
  if (entry.jws !== undefined) body['jws'] = entry.jws;
  if (entry.data !== undefined) body['data'] = entry.data;
  if (entry.to !== undefined) body['to'] = entry.to;
  if (entry.commit !== undefined) body['commit'] = entry.commit;
  return canonicalize(body);
}

/** The exact bytes that are hashed. */
export function entryHashInput(entry: EntryBody): Uint8Array {
  return utf8(entryHashText(entry));
}

export async function hashEntry(entry: EntryBody): Promise<string> {
  return base64url(await sha256(entryHashInput(entry)));
}
