// Schemas of the signed items (JWS payloads). Strict: an unknown field is an error, so nothing unsigned
// or unexpected can ride along in a payload that a verifier would then ignore.
import { z } from 'zod';

export const SLUG = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const B64URL_HASH = /^[A-Za-z0-9_-]{43}$/;

export const PRECEDENCES = ['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE'] as const;
export type Precedence = (typeof PRECEDENCES)[number];
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const LIMITS = {
  /** Client -> relay frames (a submit carries one JWS). */
  frameBytes: 64 * 1024,
  /** Relay -> client frames (an entry wraps a JWS with the log fields). */
  serverFrameBytes: 256 * 1024,
  subject: 200,
  // 8,000 characters of CJK text is 24 KB of UTF-8 and 32 KB as base64url: a signed item always fits a frame.
  body: 8_000,
  note: 1_000,
  classification: 120,
  operator: 80,
  title: 120,
  stationName: 60,
} as const;

export const TYP = {
  hello: 'hotline-hello+jws',
  message: 'hotline-msg+jws',
  receipt: 'hotline-rcpt+jws',
  checkpoint: 'hotline-checkpoint+jws',
} as const;
export type Typ = (typeof TYP)[keyof typeof TYP];

const slug = z.string().regex(SLUG, 'must be a lower-case slug (a-z, 0-9, -; at most 32)');
const seq = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: false, precision: 3 });
const uuid7 = z.uuid({ version: 'v7' });

export const helloPayload = z.strictObject({
  exercise: slug,
  station: slug,
  nonce: z.string().min(16).max(64),
  iat: z.int().positive(),
});
export type HelloPayload = z.infer<typeof helloPayload>;

export const messagePayload = z.strictObject({
  v: z.literal(1),
  type: z.literal('message'),
  id: uuid7,
  exercise: slug,
  from: slug,
  to: slug,
  seq,
  sentAt: instant,
  precedence: z.enum(PRECEDENCES),
  lang: z.enum(LANGS),
  subject: z.string().min(1).max(LIMITS.subject).optional(),
  body: z.string().min(1).max(LIMITS.body),
  classification: z.string().max(LIMITS.classification),
  replyTo: uuid7.optional(),
});
export type MessagePayload = z.infer<typeof messagePayload>;

export const receiptPayload = z.strictObject({
  v: z.literal(1),
  type: z.literal('receipt'),
  id: uuid7,
  exercise: slug,
  from: slug,
  to: slug,
  seq,
  sentAt: instant,
  kind: z.enum(['delivered', 'acknowledged']),
  ref: uuid7,
  refHash: z.string().regex(B64URL_HASH),
  note: z.string().max(LIMITS.note).optional(),
});
export type ReceiptPayload = z.infer<typeof receiptPayload>;
export type ItemPayload = MessagePayload | ReceiptPayload;

export const checkpointPayload = z.strictObject({
  exercise: slug,
  idx: z.int().min(0),
  hash: z.string().regex(B64URL_HASH),
  at: instant,
});
export type CheckpointPayload = z.infer<typeof checkpointPayload>;

export const stationDef = z.strictObject({
  id: slug,
  name: z.string().min(1).max(LIMITS.stationName),
  lang: z.enum(LANGS),
});
export type StationDef = z.infer<typeof stationDef>;

export const exerciseDef = z.strictObject({
  id: slug,
  title: z.string().min(1).max(LIMITS.title),
  classification: z.string().max(LIMITS.classification),
  stations: z.tuple([stationDef, stationDef]).refine(([a, b]) => a.id !== b.id, 'the two stations need different ids'),
});
export type ExerciseDef = z.infer<typeof exerciseDef>;

export const publicJwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(B64URL_HASH, 'x must be 32 bytes, base64url'),
});
export type PublicJwk = z.infer<typeof publicJwk>;

/** The typ each item kind must carry, and the schema of its payload. */
export const ITEM_SCHEMAS = {
  [TYP.message]: messagePayload,
  [TYP.receipt]: receiptPayload,
} as const;

export function otherStation(def: ExerciseDef, station: string): string | undefined {
  const [a, b] = def.stations;
  if (a.id === station) return b.id;
  if (b.id === station) return a.id;
  return undefined;
}
