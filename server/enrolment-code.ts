// One-time enrolment codes: 130 random bits in Crockford base32, grouped for reading aloud or typing.
// Only a SHA-256 of the code is stored; the code itself travels in a link's #fragment, never a path or query.
import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 26;

export function newEnrolmentCode(): string {
  const bytes = randomBytes(LENGTH);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out.match(/.{1,5}/g)!.join('-');
}

/** Accepts what a person types: any case, dashes or spaces, O for 0 and I or L for 1. */
export function normalizeEnrolmentCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashEnrolmentCode(code: string): string {
  return createHash('sha256').update(normalizeEnrolmentCode(code)).digest('base64url');
}

export function enrolmentLink(publicUrl: string, code: string): string {
  return `${publicUrl}/console#code=${code}`;
}
