// The self-contained export: JSON Lines of header, entries, and the relay's closing checkpoint.
// verifyExport proves it offline and names the first fault precisely.
import { z } from 'zod';
import { canonicalize } from 'json-canonicalize';
import { HotlineError, type ErrorCode } from './errors.js';
import type { Entry } from './entry.js';
import { ChainVerifier } from './chain.js';
import { importPublicKey, thumbprint } from './jws.js';
import { exerciseDef, publicJwk } from './items.js';
import { parseEntry, validate } from './protocol.js';
import { verifyCheckpoint } from './signed.js';
import { fromUtf8 } from './encoding.js';
import { parseStrictJson } from './strict-json.js';

export const EXPORT_FORMAT = 'hotline-log';

export const exportHeader = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  v: z.literal(1),
  exportedAt: z.string(),
  exercise: exerciseDef,
  relay: z.strictObject({ kid: z.string(), publicJwk }),
});
export type ExportHeader = z.infer<typeof exportHeader>;
const trailer = z.strictObject({ checkpoint: z.string() });

export function exportLines(header: ExportHeader, entries: Iterable<Entry>, checkpoint: string): string[] {
  const lines = [JSON.stringify(header)];
  for (const e of entries) lines.push(JSON.stringify(e));
  lines.push(JSON.stringify({ checkpoint }));
  return lines;
}

export interface ExportFault {
  /** 1-based line of the file where the fault shows. */
  line: number;
  idx?: number;
  code: ErrorCode;
  message: string;
}

export interface ExportReport {
  ok: boolean;
  fault?: ExportFault;
  header?: ExportHeader;
  entries: Entry[];
  verifier: ChainVerifier;
  checkpointIdx?: number;
}

export interface VerifyOptions {
  /** Checkpoints a console held: each must be covered by the log, or the log is truncated. */
  checkpoints?: string[];
  onProgress?: (done: number, total: number) => void;
}

/** JSON whitespace: the relay writes none around a line, and none is accepted, so one export has one spelling. */
const PADDED = /^[ \t\r\n]|[ \t\r\n]$/;

function parseLine(text: string, line: number, isLast = false): unknown {
  let value: unknown;
  try {
    value = parseStrictJson(text, 'BAD_EXPORT', `line ${line}`);
  } catch (err) {
    // A last line that is not JSON is a copy cut short mid-line: TRUNCATED, as a copy cut between two lines
    // is, since where the cut fell is an accident. A repeated member is a malformed line wherever it is.
    const e = err as HotlineError;
    const cut = isLast && e.details['duplicate'] === undefined;
    throw Object.assign(cut ? new HotlineError('TRUNCATED', `line ${line} is cut short: the file was truncated`) : e, {
      line,
    });
  }
  if (PADDED.test(text)) {
    throw Object.assign(new HotlineError('BAD_EXPORT', `line ${line} has whitespace around its JSON`), { line });
  }
  return value;
}

/** verifyExport over the file's bytes, which must be UTF-8: a replacement character would hide a changed byte. */
export async function verifyExportBytes(bytes: Uint8Array, options: VerifyOptions = {}): Promise<ExportReport> {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    let line = 1;
    for (let start = 0; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        fromUtf8(bytes.subarray(start, end < 0 ? bytes.length : end));
      } catch {
        break;
      }
      if (end < 0) break;
      start = end + 1;
    }
    const verifier = new ChainVerifier();
    return {
      ok: false,
      entries: [],
      verifier,
      fault: { line, code: 'BAD_EXPORT', message: `line ${line} is not UTF-8` },
    };
  }
  return verifyExport(text, options);
}

export async function verifyExport(text: string, options: VerifyOptions = {}): Promise<ExportReport> {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const verifier = new ChainVerifier();
  const entries: Entry[] = [];
  const report: ExportReport = { ok: false, entries, verifier };
  let line = 1;
  try {
    const header = validate(exportHeader, parseLine(lines[0] ?? '', 1), 'BAD_EXPORT');
    report.header = header;
    if ((await thumbprint(header.relay.publicJwk)) !== header.relay.kid) {
      throw new HotlineError('BAD_EXPORT', 'the relay kid is not the thumbprint of the relay key');
    }
    const relayKey = await importPublicKey(header.relay.publicJwk);
    const last = lines.length - 1;
    for (line = 2; line <= last; line++) {
      const value = parseLine(lines[line - 1]!, line);
      if (typeof value === 'object' && value !== null && 'checkpoint' in value) {
        throw new HotlineError(
          'BAD_EXPORT',
          `the closing checkpoint is on line ${line}, but entries follow it: they were added after the export was sealed`,
        );
      }
      const entry = parseEntry(value);
      await verifier.apply(entry);
      entries.push(entry);
      if (
        entry.idx === 0 &&
        (canonicalize(verifier.exercise) !== canonicalize(header.exercise) || verifier.relayKid !== header.relay.kid)
      ) {
        throw new HotlineError('BAD_EXPORT', 'the header does not match the exercise-created entry');
      }
      options.onProgress?.(line - 1, last - 1);
    }
    line = lines.length;
    const tail = lines.length > 1 ? parseLine(lines[last]!, lines.length, true) : undefined;
    if (typeof tail !== 'object' || tail === null || !('checkpoint' in tail)) {
      throw new HotlineError('TRUNCATED', 'the file does not end with the relay checkpoint: it was cut short');
    }
    const cp = await verifyCheckpoint(validate(trailer, tail, 'BAD_EXPORT').checkpoint, relayKey);
    const lastEntry = entries[entries.length - 1];
    if (cp.exercise !== header.exercise.id || !lastEntry || cp.idx !== lastEntry.idx || cp.hash !== lastEntry.hash) {
      throw new HotlineError(
        'TRUNCATED',
        `the closing checkpoint covers entry ${cp.idx}, the log ends at ${lastEntry?.idx ?? 'nothing'}`,
      );
    }
    report.checkpointIdx = cp.idx;
    for (const held of options.checkpoints ?? []) {
      const c = await verifyCheckpoint(held, relayKey);
      if (c.exercise !== header.exercise.id)
        throw new HotlineError('BAD_CHECKPOINT', `a held checkpoint is for exercise ${c.exercise}`);
      const have = verifier.hashes[c.idx];
      if (have === undefined) {
        throw new HotlineError(
          'TRUNCATED',
          `a held checkpoint covers entry ${c.idx} but the log ends at ${entries.length - 1}`,
          { idx: c.idx },
        );
      }
      if (have !== c.hash)
        throw new HotlineError(
          'TRUNCATED',
          `entry ${c.idx} differs from the one a held checkpoint covers: the log was rewritten`,
          { idx: c.idx },
        );
    }
    report.ok = true;
  } catch (err) {
    const e =
      err instanceof HotlineError
        ? err
        : new HotlineError('BAD_EXPORT', err instanceof Error ? err.message : String(err));
    const idx = typeof e.details['idx'] === 'number' ? e.details['idx'] : undefined;
    const at = (err as { line?: number }).line ?? line;
    report.fault = { line: at, code: e.code, message: e.message, ...(idx === undefined ? {} : { idx }) };
  }
  return report;
}
