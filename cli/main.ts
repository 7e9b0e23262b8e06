#!/usr/bin/env node
// The `hotline` command line. Data goes to stdout, diagnostics to stderr; exit codes in terminal.ts.
import { Command, CommanderError } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { registerAdmin } from './admin.js';
import { registerBench } from './bench.js';
import { registerConsole } from './console.js';
import { registerExerciseControl } from './exercise-control.js';
import { registerScripted } from './scripted.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { diag, EXIT, exitCodeFor } from './terminal.js';
import { registerVerify } from './verify.js';

const program = new Command('hotline')
  .description('Hotline: a training simulator of a government-to-government crisis hotline')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    `
Quick start:
  $ hotline serve                                   # relay + default exercise "dtl"; prints two links
  $ hotline console --link '<beijing link>'         # terminal 2
  $ hotline console --link '<washington link>'      # terminal 3
  $ HOTLINE_TRAINER_SECRET=hts_... hotline export -o dtl.jsonl && hotline verify dtl.jsonl`,
  );

registerServe(program);
registerConsole(program);
registerScripted(program);
registerAdmin(program);
registerExerciseControl(program);
registerVerify(program);
registerReplay(program);
registerReport(program);
registerBench(program);

/** A kid is a base64url SHA-256 thumbprint, 43 characters, and one in 64 starts with "-", which commander
 * would take for an unknown option. Such an operand moves behind "--", where only operands stand. */
function kidOperands(argv: string[]): string[] {
  const isKid = (a: string) => /^-[A-Za-z0-9_-]{42}$/.test(a);
  if (argv.includes('--') || !argv.slice(2).some(isKid)) return argv;
  return [...argv.slice(0, 2), ...argv.slice(2).filter((a) => !isKid(a)), '--', ...argv.slice(2).filter(isKid)];
}

try {
  await program.parseAsync(kidOperands(process.argv));
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (err instanceof HotlineError) {
    diag(`hotline: ${err.code}: ${err.message}`);
    process.exit(exitCodeFor(err));
  }
  diag(`hotline: ${(err as Error).message ?? String(err)}`);
  process.exit(EXIT.failure);
}
