import type { HotlineError } from '../shared/errors.js';
import { clientEnv } from '../server/config.js';

// Terminal output for the CLI: data on stdout, diagnostics on stderr, colour and progress only on a TTY.
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  verifyFailed: 5,
  /** `hotline bench`: a --max-p99 or --min-rate threshold was missed (the run itself was correct). */
  thresholdMissed: 6,
  /** `hotline serve`: the data file failed its integrity check (STORE_CORRUPT); the relay did not start. */
  storeCorrupt: 7,
  /** A console's state file is open in another live process (CONSOLE_IN_USE). */
  consoleInUse: 8,
} as const;

/** The exit code for a Hotline error (the mapping in docs/errors.md, "CLI exit codes"). */
export function exitCodeFor(err: HotlineError): number {
  if (err.code === 'RELAY_UNREACHABLE') return EXIT.unreachable;
  if (err.code === 'CONSOLE_IN_USE') return EXIT.consoleInUse;
  if (['UNAUTHORIZED', 'KEY_REVOKED', 'UNKNOWN_KEY'].includes(err.code) || err.code.startsWith('ENROLMENT_CODE'))
    return EXIT.unauthorized;
  if (err.code === 'BAD_REQUEST' || err.code === 'SCENARIO_INVALID') return EXIT.usage;
  return EXIT.failure;
}

const tty = Boolean(process.stdout.isTTY) && !clientEnv().noColor;

const paint = (code: number) => (text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
export const color = {
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  cyan: paint(36),
  bold: paint(1),
  dim: paint(2),
};

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function diag(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** `[#####.....]`: how much of `total` is `done`, in `width` cells. */
export function bar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** A progress bar on stderr when it is a terminal; silent otherwise, so pipes and logs stay clean. */
export function progress(label: string): { update(done: number, total: number): void; done(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      process.stderr.write(`\r${label} ${bar(done, total, 30)} ${done}/${total}`);
    },
    done() {
      process.stderr.write('\n');
    },
  };
}
