// Loads an exported log for replay: verifyExportBytes proves the whole file, from its bytes (a byte that is
// not UTF-8 is a fault, not a replacement character) (hash chain, every console
// signature, the relay's closing checkpoint) before anything plays; then the verified entries are turned
// into the same (entry, item) pairs a live ChainVerifier yields. Pure: no DOM.
import type { Applied } from '../../../shared/chain.js';
import { base64url, sha256 } from '../../../shared/encoding.js';
import { verifyExportBytes, type ExportReport } from '../../../shared/export.js';
import { inspectItem, type SignedItem } from '../../../shared/signed.js';

export interface VerifiedLog {
  report: ExportReport;
  /** Only when report.ok: every entry with its decoded item. */
  records: Applied[];
  counts: { entries: number; messages: number; receipts: number; keys: number; signatures: number };
}

export async function toApplied(report: ExportReport): Promise<Applied[]> {
  const out: Applied[] = [];
  for (const entry of report.entries) {
    if (entry.jws === undefined) {
      out.push({ entry });
      continue;
    }
    // Already verified with the whole file: only decode the payload again.
    const { bytes, ...rest } = inspectItem(entry.jws);
    const item = { ...rest, payloadHash: base64url(await sha256(bytes)) } as SignedItem;
    out.push({ entry, item });
  }
  return out;
}

export async function verifyLog(
  bytes: Uint8Array,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifiedLog> {
  const report = await verifyExportBytes(bytes, onProgress ? { onProgress } : {});
  const records = report.ok ? await toApplied(report) : [];
  const messages = report.entries.filter((e) => e.kind === 'message').length;
  const receipts = report.entries.filter((e) => e.kind === 'receipt').length;
  return {
    report,
    records,
    counts: {
      entries: report.entries.length,
      messages,
      receipts,
      keys: report.verifier.keys.size,
      // Every signed item: messages and receipts, call requests and answers, translations, link replies.
      signatures: report.entries.filter((e) => e.jws !== undefined).length,
    },
  };
}
