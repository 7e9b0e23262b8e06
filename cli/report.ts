// `hotline report EXPORT -o report.html`: verifies an exported log offline (as `hotline verify` does) and,
// only if it verifies, writes its after-action report as one self-contained HTML file: the same model and the
// same renderer as the trainer console's report page, with the same stylesheet inlined.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { reportFromExport } from '../shared/report/from-export.js';
import { reportDocument } from '../shared/report/render.js';
import { WEB_ROOT } from '../server/static.js';
import { color, diag, EXIT, out, progress } from './terminal.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The report's stylesheet: the one the relay serves with the report page (Vite's bundle of
 * shared/report/report.css, found through the built page), else that source file itself (a checkout that
 * built only the TypeScript). One source either way.
 */
export function reportStylesheet(): string {
  const page = path.join(WEB_ROOT, 'report.html');
  if (existsSync(page)) {
    const hrefs = [...readFileSync(page, 'utf8').matchAll(/<link[^>]+href="\/(assets\/[^"]+\.css)"/g)].map(
      (m) => m[1]!,
    );
    const files = hrefs.map((h) => path.join(WEB_ROOT, h));
    if (files.length > 0 && files.every((f) => existsSync(f)))
      return withoutWebFonts(files.map((f) => readFileSync(f, 'utf8')).join('\n'));
  }
  for (const source of ['../../shared/report/report.css', '../shared/report/report.css']) {
    const file = path.resolve(here, source);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  diag('hotline report: the report stylesheet was not found (run `npm run build`); the report is unstyled.');
  return '';
}

/**
 * The page's @font-face rules (the Chinese web font's ~100 slices) name woff2 files on the relay that a
 * self-contained file cannot reach: the offline report uses the reader's own fonts (docs/report.md).
 */
function withoutWebFonts(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*\}/g, '');
}

/** dtl.hotline.jsonl → dtl.hotline.report.html, beside the export. */
function defaultOutput(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.jsonl?$/i, '')}.report.html`);
}

export function registerReport(program: Command): void {
  program
    .command('report <export>')
    .description(
      'verify an exported log offline, then write its after-action report (figures, injects, notes, transcript, verification) as one HTML file to print',
    )
    .option('-o, --output <file>', 'the report file ("-" for stdout); default: beside the export, .report.html')
    .option('-c, --checkpoint <jws...>', 'checkpoints a console held; the log must cover each of them')
    .addHelpText(
      'after',
      `
The export is verified in full first (hash chain, every signature, private entries against their
commitments, the relay's closing checkpoint). A file that does not verify gets no report: the fault is
printed as by \`hotline verify\` and the exit code is 5. The report says what was verified.

Print it from a browser (A4 or Letter): each section starts a page.

Exit codes: 0 report written; 5 the export does not verify; 1 a file cannot be read or written.

Examples:
  $ hotline export -o dtl.jsonl && hotline report dtl.jsonl -o dtl-report.html
  $ hotline report dtl.jsonl --checkpoint "$(jq -r .checkpoint hotline-beijing.json)"
  $ hotline report dtl.jsonl -o - > report.html`,
    )
    .action(async (file: string, o: { output?: string; checkpoint?: string[] }) => {
      const bytes = new Uint8Array(readFileSync(file));
      const bar = progress('verify');
      const { report, model } = await reportFromExport(bytes, {
        checkpoints: o.checkpoint ?? [],
        onProgress: (d, t) => bar.update(d, t),
        verifiedBy: `hotline report (offline, from ${path.basename(file)})`,
        verifiedAt: Date.now(),
      });
      bar.done();
      if (!model) {
        const f = report.fault!;
        out(
          color.red(
            `FAULT  ${file} line ${f.line}${f.idx === undefined ? '' : ` (entry ${f.idx})`}: ${f.code}: ${f.message}`,
          ),
        );
        diag(`${report.entries.length} entries verified before the fault. No report was written.`);
        process.exitCode = EXIT.verifyFailed;
        return;
      }
      const document = reportDocument(model, reportStylesheet());
      const target = o.output ?? defaultOutput(file);
      const v = model.verification;
      const summary = `${file}: exercise ${model.exercise.id}, ${v.entries} entries, ${v.signatures} signatures and ${v.privateOpened} private entries verified, sealed by relay checkpoint at entry ${v.checkpoint.idx}${v.sealedByEndex ? ' (ENDEX)' : ''}`;
      if (target === '-') {
        process.stdout.write(document);
        diag(`OK  ${summary}`);
      } else {
        writeFileSync(target, document);
        out(color.green(`OK  ${summary}`));
        out(`Report written to ${target}`);
      }
      process.exitCode = EXIT.ok;
    });
}
