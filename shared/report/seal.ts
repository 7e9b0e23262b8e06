// The closing checkpoint of an export: the relay's signed statement that the log ends at entry idx with
// hash H. verifyExport proved it covers the last entry; the report also states when the relay signed it and
// with which key, so it is read again here from the file's last line and verified again against the header's
// relay key (one signature: nothing is taken on trust from the first pass).
import { fromUtf8 } from '../encoding.js';
import { HotlineError } from '../errors.js';
import type { ExportReport } from '../export.js';
import { decodeHeader, importPublicKey } from '../jws.js';
import { verifyCheckpoint } from '../signed.js';

export interface ClosingCheckpoint {
  idx: number;
  hash: string;
  /** When the relay signed it (its clock), ms since the epoch. */
  at: number;
  /** The kid in the checkpoint's JWS header: the relay key that signed it. */
  kid: string;
}

/** The last line of the file that is not empty (the export ends each line with \n). */
function lastLine(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  return fromUtf8(bytes.subarray(start, end));
}

export async function closingCheckpoint(bytes: Uint8Array, report: ExportReport): Promise<ClosingCheckpoint> {
  if (!report.ok || !report.header) throw new HotlineError('BAD_EXPORT', 'the export did not verify');
  const line = JSON.parse(lastLine(bytes)) as { checkpoint?: unknown };
  if (typeof line.checkpoint !== 'string') throw new HotlineError('TRUNCATED', 'the file has no closing checkpoint');
  const jws = line.checkpoint;
  const cp = await verifyCheckpoint(jws, await importPublicKey(report.header.relay.publicJwk));
  if (cp.idx !== report.checkpointIdx)
    throw new HotlineError('TRUNCATED', `the closing checkpoint covers entry ${cp.idx}, not ${report.checkpointIdx}`);
  return { idx: cp.idx, hash: cp.hash, at: Date.parse(cp.at), kid: decodeHeader(jws).kid };
}
