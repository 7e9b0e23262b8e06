// The verification statement: what was proved about the log this report was computed from, in numbers a
// reader can check against `hotline verify` (entries, signatures, private entries opened against their
// commitments, the head, the relay's closing checkpoint, and whether ENDEX sealed the line).
import type { ExportReport } from '../export.js';
import { isPrivateKind } from '../private.js';
import type { ClosingCheckpoint } from './seal.js';

export interface Verification {
  /** Who verified, where: "hotline report 0.1.0", "the trainer console in this browser". */
  verifiedBy: string;
  /** When the verification ran (ms). */
  verifiedAt: number;
  exportedAt: string;
  entries: number;
  /** Console signatures verified: one per signed item (message, receipt, call, translation, link reply). */
  signatures: number;
  messages: number;
  receipts: number;
  /** Call requests and answers, translations and link replies: the line's signed items. */
  lineItems: number;
  keys: number;
  /** Private entries (inject, note, scenario, inject-control) and how many were opened: content matched to
   * the commitment in the hash. */
  privateEntries: number;
  privateOpened: number;
  head: { idx: number; hash: string; at: number };
  checkpoint: ClosingCheckpoint;
  /** The relay key in the export's header (and in the exercise-created entry). */
  relayKid: string;
  /** ENDEX is the last entry: the line was closed and the closing checkpoint covers the seal. */
  sealedByEndex: boolean;
  endex?: { idx: number; at: number; by: string };
}

export function verification(
  report: ExportReport,
  checkpoint: ClosingCheckpoint,
  verifiedBy: string,
  verifiedAt: number,
): Verification {
  const entries = report.entries;
  const last = entries[entries.length - 1]!;
  const count = (kind: string) => entries.filter((e) => e.kind === kind).length;
  const priv = entries.filter((e) => isPrivateKind(e.kind));
  const end = report.verifier.clock.transitions.find((t) => t.state === 'ended');
  return {
    verifiedBy,
    verifiedAt,
    exportedAt: report.header!.exportedAt,
    entries: entries.length,
    signatures: entries.filter((e) => e.jws !== undefined).length,
    messages: count('message'),
    receipts: count('receipt'),
    lineItems: count('call') + count('translation') + count('link-reply'),
    keys: report.verifier.keys.size,
    privateEntries: priv.length,
    // The verifier reads an export as exercise control: it refuses a private entry without its content and
    // checks every content against its commitment, so a verified export opened each one it carries.
    privateOpened: priv.filter((e) => e.reveal !== undefined).length,
    head: { idx: last.idx, hash: last.hash, at: Date.parse(last.at) },
    checkpoint,
    relayKid: report.header!.relay.kid,
    sealedByEndex: end !== undefined && end.idx === last.idx,
    ...(end ? { endex: { idx: end.idx, at: end.at, by: end.by } } : {}),
  };
}
