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
  /** The reason recorded with a revocation. */
  revocationReason: 500,
  title: 120,
  stationName: 60,
  /** How far a hello's `iat` or an item's `sentAt` may be from the relay's clock, either way. */
  clockSkewSeconds: 300,
  /** Call requests a station may have open (awaiting an answer from either side) at once. */
  openCalls: 4,
} as const;

/**
 * A string of `min` to `max` UTF-16 code units, the unit PROTOCOL.md section 1 documents and JavaScript's
 * `length` and HTML's maxlength count. zod's own min/max count code points since zod 4 (an astral character
 * is one there, two here), so a 4,001-emoji body of 8,002 units would pass them.
 */
export function utf16Text(max: number, min = 0) {
  return z.string().check((ctx) => {
    const units = ctx.value.length;
    if (units > max) {
      ctx.issues.push({
        code: 'too_big',
        origin: 'string',
        maximum: max,
        inclusive: true,
        input: ctx.value,
        message: `at most ${max} UTF-16 code units (found ${units})`,
      });
    } else if (units < min) {
      ctx.issues.push({
        code: 'too_small',
        origin: 'string',
        minimum: min,
        inclusive: true,
        input: ctx.value,
        message: `at least ${min} UTF-16 code units (found ${units})`,
      });
    }
  });
}

export const TYP = {
  hello: 'hotline-hello+jws',
  message: 'hotline-msg+jws',
  receipt: 'hotline-rcpt+jws',
  checkpoint: 'hotline-checkpoint+jws',
  call: 'hotline-call+jws',
  translation: 'hotline-xlat+jws',
  linkReply: 'hotline-link+jws',
} as const;
export type Typ = (typeof TYP)[keyof typeof TYP];

const slug = z.string().regex(SLUG, 'must be a lower-case slug (a-z, 0-9, -; at most 32)');
const seq = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: false, precision: 3 });
const uuid7 = z.uuid({ version: 'v7' });

export const helloPayload = z.strictObject({
  exercise: slug,
  station: slug,
  nonce: utf16Text(64, 16),
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
  subject: utf16Text(LIMITS.subject, 1).optional(),
  body: utf16Text(LIMITS.body, 1),
  classification: utf16Text(LIMITS.classification),
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
  note: utf16Text(LIMITS.note).optional(),
});
export type ReceiptPayload = z.infer<typeof receiptPayload>;

/** Who a call request is for (docs/PROTOCOL.md section 16): the ministers, their deputies, or working level. */
export const CALL_LEVELS = ['principal', 'deputy', 'working'] as const;
export type CallLevel = (typeof CALL_LEVELS)[number];
export const CALL_ACTIONS = ['request', 'accept', 'propose', 'decline'] as const;
export type CallAction = (typeof CALL_ACTIONS)[number];

const itemBase = { v: z.literal(1), id: uuid7, exercise: slug, from: slug, to: slug, seq, sentAt: instant } as const;
/** An answer names the call request it answers: its id and its entry's log hash. */
const callRef = { ref: uuid7, refHash: z.string().regex(B64URL_HASH) } as const;

/**
 * A call request and its answers (DTL practice): request (level, subject, proposed time); the awaited side
 * accepts (with the agreed time), proposes another time (the other side is then awaited), or declines.
 */
export const callPayload = z.discriminatedUnion('action', [
  z.strictObject({
    ...itemBase,
    type: z.literal('call'),
    action: z.literal('request'),
    level: z.enum(CALL_LEVELS),
    subject: utf16Text(LIMITS.subject, 1),
    proposedAt: instant,
  }),
  z.strictObject({ ...itemBase, type: z.literal('call'), action: z.literal('accept'), ...callRef, callAt: instant }),
  z.strictObject({
    ...itemBase,
    type: z.literal('call'),
    action: z.literal('propose'),
    ...callRef,
    proposedAt: instant,
    note: utf16Text(LIMITS.note).optional(),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal('call'),
    action: z.literal('decline'),
    ...callRef,
    note: utf16Text(LIMITS.note).optional(),
  }),
]);
export type CallPayload = z.infer<typeof callPayload>;

/** The receiving station's translation of a message into its own language (`lang`). */
export const translationPayload = z.strictObject({
  ...itemBase,
  type: z.literal('translation'),
  ref: uuid7,
  refHash: z.string().regex(B64URL_HASH),
  lang: z.enum(LANGS),
  subject: utf16Text(LIMITS.subject, 1).optional(),
  body: utf16Text(LIMITS.body, 1),
});
export type TranslationPayload = z.infer<typeof translationPayload>;

/** A console's answer to the relay's link test: `ref` is the test's id, `refHash` its entry's log hash. */
export const linkReplyPayload = z.strictObject({
  ...itemBase,
  type: z.literal('link-reply'),
  ref: uuid7,
  refHash: z.string().regex(B64URL_HASH),
});
export type LinkReplyPayload = z.infer<typeof linkReplyPayload>;

export type ItemPayload = MessagePayload | ReceiptPayload | CallPayload | TranslationPayload | LinkReplyPayload;

export const checkpointPayload = z.strictObject({
  exercise: slug,
  idx: z.int().min(0),
  hash: z.string().regex(B64URL_HASH),
  at: instant,
});
export type CheckpointPayload = z.infer<typeof checkpointPayload>;

export const stationDef = z.strictObject({
  id: slug,
  name: utf16Text(LIMITS.stationName, 1),
  lang: z.enum(LANGS),
});
export type StationDef = z.infer<typeof stationDef>;

export const exerciseDef = z.strictObject({
  id: slug,
  title: utf16Text(LIMITS.title, 1),
  classification: utf16Text(LIMITS.classification),
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
  [TYP.call]: callPayload,
  [TYP.translation]: translationPayload,
  [TYP.linkReply]: linkReplyPayload,
} as const;

/** The payload `type` each item typ carries: a different typ keeps one kind from passing as another. */
export const ITEM_TYPES = {
  [TYP.message]: 'message',
  [TYP.receipt]: 'receipt',
  [TYP.call]: 'call',
  [TYP.translation]: 'translation',
  [TYP.linkReply]: 'link-reply',
} as const;
export type ItemTyp = keyof typeof ITEM_TYPES;
export type ItemType = (typeof ITEM_TYPES)[ItemTyp];

export function otherStation(def: ExerciseDef, station: string): string | undefined {
  const [a, b] = def.stations;
  if (a.id === station) return b.id;
  if (b.id === station) return a.id;
  return undefined;
}
