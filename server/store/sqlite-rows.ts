// Rows of the embedded store as the store interface returns them, and reads that fail as STORE_UNAVAILABLE.
import { HotlineError } from '../../shared/errors.js';
import type { KeyRecord } from './types.js';

export type Row = Record<string, unknown>;

export function toKey(row: Row): KeyRecord {
  return {
    kid: row['kid'] as string,
    exercise: row['exercise'] as string,
    station: row['station'] as string,
    operator: row['operator'] as string,
    publicJwk: JSON.parse(row['jwk'] as string) as KeyRecord['publicJwk'],
    enrolledIdx: row['enrolled_idx'] as number,
    revokedIdx: (row['revoked_idx'] as number | null) ?? null,
    role: row['role'] === 'translator' ? 'translator' : 'operator',
  };
}

/** A failed read (a damaged page, an I/O error) as STORE_UNAVAILABLE: the socket or request that asked for
 * it fails, and nothing else; /readyz reads the same way and says not ready. */
export function reading<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof HotlineError) throw err;
    const code = (err as { code?: unknown }).code;
    const what = typeof code === 'string' ? code : 'error';
    throw new HotlineError('STORE_UNAVAILABLE', `The log store cannot be read (${what}).`);
  }
}
