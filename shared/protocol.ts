// The wire protocol: every frame in both directions, validated by one module on both ends.
import { z } from 'zod';
import { HotlineError, isErrorCode, type ErrorCode } from './errors.js';
import { LIMITS, SLUG, B64URL_HASH, utf16Text } from './items.js';
import { ENTRY_KINDS, type Entry } from './entry.js';
import { parseStrictJson } from './strict-json.js';

/** Version 1, which every relay and client speaks. */
export const SUBPROTOCOL = 'hotline.v1';
/** Version 2 (docs/PROTOCOL.md section 6): version 1 except that a new item's submitter receives one frame,
 * its entry with an `accepted` member, where version 1 sends the entry and an `accepted` frame. */
export const SUBPROTOCOL_V2 = 'hotline.v2';
/** What a client offers, newest first; the relay picks the newest it knows. */
export const SUBPROTOCOLS = [SUBPROTOCOL_V2, SUBPROTOCOL] as const;
export type Subprotocol = (typeof SUBPROTOCOLS)[number];

/** The relay's choice among the subprotocols a client offered, or undefined when it offered none it speaks. */
export function chooseSubprotocol(offered: Iterable<string>): Subprotocol | undefined {
  const set = new Set(offered);
  return SUBPROTOCOLS.find((p) => set.has(p));
}
export const WS_PATH = '/v1/ws';

const compactJws = utf16Text(LIMITS.frameBytes, 10);
const idx = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const slug = z.string().regex(SLUG);
const hash = z.string().regex(B64URL_HASH);
const at = z.iso.datetime({ offset: false, precision: 3 });

// Client -> relay.
const hello = z.strictObject({ type: z.literal('hello'), jws: compactJws, since: z.int().min(-1).optional() });
const submit = z.strictObject({ type: z.literal('submit'), jws: compactJws });
const ping = z.strictObject({ type: z.literal('ping'), id: utf16Text(64), t: z.number().optional() });
/** A trainer watching an exercise live: read-only, authenticated by a trainer JWT (never in the URL). */
const observe = z.strictObject({
  type: z.literal('observe'),
  token: utf16Text(4096, 10),
  exercise: slug,
  since: z.int().min(-1).optional(),
});
export const clientFrame = z.discriminatedUnion('type', [hello, submit, ping, observe]);
export type ClientFrame = z.infer<typeof clientFrame>;

// Relay -> client.
export const entrySchema = z.strictObject({
  idx,
  prev: hash,
  at,
  kind: z.enum(ENTRY_KINDS),
  jws: compactJws.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  to: slug.optional(),
  commit: hash.optional(),
  hash,
  reveal: z.strictObject({ salt: hash, data: z.record(z.string(), z.unknown()) }).optional(),
});
const head = z.strictObject({ idx, hash }).nullable();
const challenge = z.strictObject({ type: z.literal('challenge'), nonce: z.string(), relayKid: z.string() });
const welcome = z.strictObject({
  type: z.literal('welcome'),
  exercise: slug,
  station: slug,
  kid: z.string(),
  peer: z.strictObject({ station: slug, online: z.boolean() }),
  head,
  checkpoint: z.string().nullable(),
  nextSeq: z.int().min(0),
});
const observing = z.strictObject({
  type: z.literal('observing'),
  exercise: slug,
  head,
  checkpoint: z.string().nullable(),
  online: z.record(z.string(), z.boolean()),
});
const accepted = z.strictObject({
  type: z.literal('accepted'),
  id: z.string(),
  seq: z.int().min(0),
  idx,
  hash,
  at,
  checkpoint: z.string(),
});
const rejected = z.strictObject({
  type: z.literal('rejected'),
  id: z.string().optional(),
  seq: z.int().optional(),
  code: z.string().refine(isErrorCode, 'unknown error code'),
  message: z.string(),
  expectedSeq: z.int().optional(),
});
/** Version 2's answer to a new item's submitter, inside its entry frame: the entry gives idx, hash and at. */
const entryAccepted = z.strictObject({ id: z.string(), seq: z.int().min(0), checkpoint: z.string() });
const entry = z.strictObject({ type: z.literal('entry'), entry: entrySchema, accepted: entryAccepted.optional() });
const presence = z.strictObject({ type: z.literal('presence'), station: slug, online: z.boolean() });
const pong = z.strictObject({ type: z.literal('pong'), id: z.string(), t: z.number().optional(), at });
const error = z.strictObject({ type: z.literal('error'), code: z.string().refine(isErrorCode), message: z.string() });
export const serverFrame = z.discriminatedUnion('type', [
  challenge,
  welcome,
  observing,
  accepted,
  rejected,
  entry,
  presence,
  pong,
  error,
]);
export type ServerFrame = z.infer<typeof serverFrame>;
export type WelcomeFrame = z.infer<typeof welcome>;
export type ObservingFrame = z.infer<typeof observing>;
export type AcceptedFrame = z.infer<typeof accepted>;
export type EntryFrame = z.infer<typeof entry>;
export type RejectedFrame = z.infer<typeof rejected> & { code: ErrorCode };

function describe(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : '(frame)';
  return `${path}: ${issue.message}`;
}

function parseFrame<T>(schema: z.ZodType<T>, text: string, limit: number): T {
  if (text.length > limit) throw new HotlineError('FRAME_TOO_LARGE');
  const value = parseStrictJson(text, 'BAD_FRAME', 'The frame');
  const result = schema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    // Not an object, or no known type (zod reports the discriminator at path ["type"]): not a frame at all.
    const notAnObject = first?.code === 'invalid_type' && first.path.length === 0;
    const unknownType =
      first?.code === 'invalid_union' &&
      (first.path.length === 0 || (first.path.length === 1 && first.path[0] === 'type'));
    throw new HotlineError(notAnObject || unknownType ? 'BAD_FRAME' : 'SCHEMA_INVALID', describe(first));
  }
  return result.data;
}

export function parseClientFrame(text: string): ClientFrame {
  return parseFrame(clientFrame, text, LIMITS.frameBytes);
}

export function parseServerFrame(text: string): ServerFrame {
  return parseFrame(serverFrame, text, LIMITS.serverFrameBytes);
}

export function parseEntry(value: unknown): Entry {
  const result = entrySchema.safeParse(value);
  if (!result.success) throw new HotlineError('SCHEMA_INVALID', describe(result.error.issues[0]));
  return result.data as Entry;
}

/** Validates a payload against a schema and names the first problem. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, code: ErrorCode = 'SCHEMA_INVALID'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HotlineError(code, describe(result.error.issues[0]));
  return result.data;
}
