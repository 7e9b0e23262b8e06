// What crosses between the main thread and the SQLite writer thread.
import { HotlineError, isErrorCode } from '../../shared/errors.js';
import type { AppendResult, Committed } from './types.js';

/** The store operations that write, and so run on the writer thread. */
export const WRITE_OPS = ['append', 'addEnrolmentCode', 'setMeta', 'swapMeta', 'probe', 'close'] as const;
export type WriteOp = (typeof WRITE_OPS)[number];

export interface WireError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export type WireResult = { ok: true; value: Committed } | { ok: false; error: WireError };

export function toError(e: WireError): HotlineError {
  return new HotlineError(isErrorCode(e.code) ? e.code : 'STORE_UNAVAILABLE', e.message, e.details);
}

export function decodeResults(results: WireResult[]): AppendResult[] {
  return results.map((r) => (r.ok ? r : { ok: false, error: toError(r.error) }));
}
