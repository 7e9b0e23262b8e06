// Verifying a console's signed item: structure first (cheap), then key, then signature (expensive).
import type { CryptoKey } from 'jose';
import { HotlineError } from './errors.js';
import { base64url, sha256 } from './encoding.js';
import { decodeHeader, parseJsonPayload, payloadBytes, verifySignature } from './jws.js';
import {
  TYP,
  ITEM_SCHEMAS,
  ITEM_TYPES,
  helloPayload,
  checkpointPayload,
  type CallPayload,
  type CheckpointPayload,
  type HelloPayload,
  type ItemTyp,
  type LinkReplyPayload,
  type MessagePayload,
  type ReceiptPayload,
  type TranslationPayload,
  type Typ,
} from './items.js';
import { validate } from './protocol.js';

export type SignedItem =
  | { typ: typeof TYP.message; kid: string; payload: MessagePayload; payloadHash: string }
  | { typ: typeof TYP.receipt; kid: string; payload: ReceiptPayload; payloadHash: string }
  | { typ: typeof TYP.call; kid: string; payload: CallPayload; payloadHash: string }
  | { typ: typeof TYP.translation; kid: string; payload: TranslationPayload; payloadHash: string }
  | { typ: typeof TYP.linkReply; kid: string; payload: LinkReplyPayload; payloadHash: string };

export type KeyResolver = (kid: string) => Promise<CryptoKey | undefined> | CryptoKey | undefined;

/** What an item's own checks depend on: a signature check and a payload hash. jose and WebCrypto by
 * default; the relay supplies node:crypto equivalents that accept and refuse exactly the same JWS. */
export interface ItemCrypto {
  /** Checks the signature only: the header was already checked by decodeHeader. */
  verify(jws: string, key: CryptoKey, typ: Typ): Promise<unknown>;
  hash(bytes: Uint8Array): Promise<string> | string;
}

export const WEB_CRYPTO: ItemCrypto = {
  verify: verifySignature,
  hash: async (bytes) => base64url(await sha256(bytes)),
};

export type InspectedItem = Omit<SignedItem, 'payloadHash'> & { bytes: Uint8Array };

function isItemTyp(typ: string): typ is ItemTyp {
  return Object.hasOwn(ITEM_TYPES, typ);
}

/** Parses a console's item without checking its signature: kid, typ and a schema-valid payload of that typ. */
export function inspectItem(jws: string): InspectedItem {
  const header = decodeHeader(jws);
  const typ = header.typ;
  if (!isItemTyp(typ))
    throw new HotlineError(
      'BAD_TYPE',
      `typ ${typ} cannot be submitted; use one of ${Object.keys(ITEM_TYPES).join(', ')}.`,
    );
  const bytes = payloadBytes(jws);
  const value = parseJsonPayload(bytes);
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type !== ITEM_TYPES[typ])
    throw new HotlineError('BAD_TYPE', `typ ${typ} carries a payload of type ${String(type)}.`);
  const payload = validate(ITEM_SCHEMAS[typ] as Parameters<typeof validate>[0], value);
  return { typ, kid: header.kid, payload, bytes } as InspectedItem;
}

/** Full check of a console's item. The payload hash is what deduplication compares. */
export async function verifyItem(
  jws: string,
  resolve: KeyResolver,
  crypto: ItemCrypto = WEB_CRYPTO,
  inspected?: InspectedItem,
): Promise<SignedItem> {
  const item = inspected ?? inspectItem(jws);
  const key = await resolve(item.kid);
  if (!key) throw new HotlineError('UNKNOWN_KEY', `No enrolled key has kid ${item.kid}.`);
  await crypto.verify(jws, key, item.typ);
  const payloadHash = await crypto.hash(item.bytes);
  const { bytes: _bytes, ...rest } = item;
  return { ...rest, payloadHash } as SignedItem;
}

export async function verifyHello(jws: string, resolve: KeyResolver): Promise<{ kid: string; payload: HelloPayload }> {
  const header = decodeHeader(jws);
  if (header.typ !== TYP.hello) throw new HotlineError('BAD_TYPE', `A hello needs typ ${TYP.hello}.`);
  const key = await resolve(header.kid);
  if (!key) throw new HotlineError('UNKNOWN_KEY', `No enrolled key has kid ${header.kid}.`);
  const bytes = await verifySignature(jws, key, TYP.hello);
  return { kid: header.kid, payload: validate(helloPayload, parseJsonPayload(bytes)) };
}

export async function verifyCheckpoint(jws: string, relayKey: CryptoKey): Promise<CheckpointPayload> {
  try {
    const header = decodeHeader(jws);
    if (header.typ !== TYP.checkpoint) throw new HotlineError('BAD_TYPE');
    const bytes = await verifySignature(jws, relayKey, TYP.checkpoint);
    return validate(checkpointPayload, parseJsonPayload(bytes));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new HotlineError('BAD_CHECKPOINT', `The checkpoint does not verify against the relay key: ${detail}`);
  }
}
