// From an export's bytes to the report, the one path both the CLI and the trainer's page take: verify the
// whole file first (verifyExportBytes), read its closing checkpoint, then compute the model. A file that does
// not verify yields no model, only the verifier's fault.
import { verifyExportBytes, type ExportReport, type VerifyOptions } from '../export.js';
import { reportModel, type ReportModel, type ReportOptions } from './model.js';
import { closingCheckpoint } from './seal.js';

export interface VerifiedReport {
  report: ExportReport;
  /** Only when the export verified. */
  model?: ReportModel;
}

export async function reportFromExport(
  bytes: Uint8Array,
  options: ReportOptions & VerifyOptions,
): Promise<VerifiedReport> {
  const { verifiedBy, verifiedAt, ...verify } = options;
  const report = await verifyExportBytes(bytes, verify);
  if (!report.ok) return { report };
  const checkpoint = await closingCheckpoint(bytes, report);
  return { report, model: reportModel(report, checkpoint, { verifiedBy, verifiedAt }) };
}
