// `hotline verify FILE`: proves an exported log offline and names the first fault precisely.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyExportBytes } from '../shared/export.js';
import type { CallState, LineBook } from '../shared/line-book.js';
import { color, diag, EXIT, out, progress } from './terminal.js';

export function registerVerify(program: Command): void {
  program
    .command('verify <file>')
    .description(
      'verify an exported log offline: hash chain, every signature, seq continuity, receipts, the line procedures (calls, translations, link tests), private entries against their commitments, relay checkpoint',
    )
    .option('-c, --checkpoint <jws...>', 'checkpoints a console held; the log must cover each of them')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 the log verifies; 5 it does not (the first fault is named); 1 the file cannot be read.

Examples:
  $ hotline verify dtl.jsonl
  $ hotline verify dtl.jsonl --checkpoint "$(jq -r .checkpoint hotline-beijing.json)"`,
    )
    .action(async (file: string, o: { checkpoint?: string[]; json?: boolean }) => {
      // Bytes, not text: the verifier refuses invalid UTF-8 rather than reading it as U+FFFD.
      const bytes = new Uint8Array(readFileSync(file));
      const bar = progress('verify');
      const report = await verifyExportBytes(bytes, {
        checkpoints: o.checkpoint ?? [],
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.done();
      const v = report.verifier;
      let messages = 0;
      let receipts = 0;
      let opened = 0;
      for (const e of report.entries) {
        if (e.kind === 'message') messages++;
        if (e.kind === 'receipt') receipts++;
        if (e.reveal !== undefined) opened++;
      }
      const summary = {
        entries: report.entries.length,
        messages,
        receipts,
        keys: v.keys.size,
        /** Private entries whose content was checked against its commitment (an export reveals all). */
        privateEntries: opened,
        injects: v.injects.size,
        phase: v.clock.phase,
        checkpointIdx: report.checkpointIdx ?? null,
        /** The line's procedures as the verifier followed them (the same rules the relay applied). */
        calls: callCounts(v.line),
        translations: v.line.translations.size,
        linkTests: linkCounts(v.line),
      };
      if (o.json) {
        out(
          JSON.stringify(
            { ok: report.ok, exercise: report.header?.exercise.id ?? null, ...summary, fault: report.fault ?? null },
            null,
            2,
          ),
        );
      } else if (report.ok) {
        out(
          color.green(
            `OK  ${file}: exercise ${report.header!.exercise.id}, ${summary.entries} entries (${messages} messages, ${receipts} receipts, ${summary.keys} keys, ${opened} private entries opened and matched to their commitments; ${lineSummary(summary)}), ${v.clock.phase === 'ended' ? 'ended (ENDEX) and ' : ''}sealed by relay checkpoint at entry ${summary.checkpointIdx}`,
          ),
        );
      } else {
        const f = report.fault!;
        out(
          color.red(
            `FAULT  ${file} line ${f.line}${f.idx === undefined ? '' : ` (entry ${f.idx})`}: ${f.code}: ${f.message}`,
          ),
        );
        diag(`${report.entries.length} entries verified before the fault.`);
      }
      process.exitCode = report.ok ? EXIT.ok : EXIT.verifyFailed;
    });
}

function callCounts(line: LineBook): { total: number } & Record<CallState, number> {
  const counts = { total: 0, awaiting: 0, accepted: 0, declined: 0, expired: 0 };
  for (const c of line.calls.values()) {
    counts.total++;
    counts[c.state]++;
  }
  return counts;
}

function linkCounts(line: LineBook): { total: number; answered: number; missed: number; open: number } {
  const counts = { total: 0, answered: 0, missed: 0, open: 0 };
  for (const t of line.tests.values()) {
    counts.total++;
    if (t.reply) counts.answered++;
    else if (t.missed) counts.missed++;
    else counts.open++;
  }
  return counts;
}

/** "3 calls (1 accepted, 1 declined, 1 expired), 2 translations, 12 link tests (11 answered, 1 missed)" */
function lineSummary(s: {
  calls: ReturnType<typeof callCounts>;
  translations: number;
  linkTests: ReturnType<typeof linkCounts>;
}): string {
  const parts = (o: Record<string, number>, keys: string[]) =>
    keys
      .filter((k) => o[k]! > 0)
      .map((k) => `${o[k]} ${k}`)
      .join(', ');
  const calls = parts(s.calls, ['awaiting', 'accepted', 'declined', 'expired']);
  const tests = parts(s.linkTests, ['answered', 'missed', 'open']);
  return `${s.calls.total} calls${calls ? ` (${calls})` : ''}, ${s.translations} translations, ${s.linkTests.total} link tests${tests ? ` (${tests})` : ''}`;
}
