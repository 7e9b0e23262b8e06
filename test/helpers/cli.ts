// Runs the built `hotline` CLI as real child processes and reads their output as it comes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve('dist/cli/main.js');

export interface Proc {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number>;
  write(line: string): void;
}

export function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    write: (line) => child.stdin.write(`${line}\n`),
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${pattern} in:\n${out}\n--- stderr ---\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

export async function runToEnd(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = run(args, options);
  p.child.stdin.end();
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
