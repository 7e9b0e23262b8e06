// The `data` of the relay-authored entries that set an exercise up: its creation, and the enrolment and
// revocation of console keys (docs/PROTOCOL.md section 8). The data of the entries that run an exercise is in
// run-entries.ts.
import { z } from 'zod';
import { exerciseDef, LIMITS, publicJwk, SLUG, utf16Text } from './items.js';

/** The roles a console device may enrol in. */
export const KEY_ROLES = ['operator', 'translator'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export const keyEnrolledData = z.strictObject({
  kid: utf16Text(64, 1),
  station: z.string().regex(SLUG),
  operator: utf16Text(LIMITS.operator),
  publicJwk,
  /** A translator device signs translations and link replies only; absent means an operator console. */
  role: z.enum(KEY_ROLES).optional(),
});
export type KeyEnrolledData = z.infer<typeof keyEnrolledData>;
export const keyRevokedData = z.strictObject({ kid: z.string(), reason: utf16Text(LIMITS.revocationReason) });
export const exerciseCreatedData = z.strictObject({ exercise: exerciseDef, relayKid: z.string() });
