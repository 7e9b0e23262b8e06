// Modules started on their own thread or in their own process run from the TypeScript sources (tests need
// no build) and from the build (production, where tsx, a devDependency, is not installed).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processEntry, siblingModule, startWorker } from '../../server/module-launcher.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('the module launcher', () => {
  it('picks the sibling in the caller’s own form: .ts from the sources, .js when built', () => {
    expect(siblingModule('file:///app/server/store/threaded-sqlite.ts', 'sqlite-worker').href).toBe(
      'file:///app/server/store/sqlite-worker.ts',
    );
    expect(siblingModule('file:///app/dist/server/store/threaded-sqlite.js', 'sqlite-worker').href).toBe(
      'file:///app/dist/server/store/sqlite-worker.js',
    );
  });

  it('runs a built child as it is and a source child through tsx', () => {
    expect(processEntry(new URL('file:///app/dist/bench/relay-child.js'))).toEqual({
      execArgv: [],
      script: '/app/dist/bench/relay-child.js',
    });
    const source = processEntry(new URL('file:///app/bench/relay-child.ts'));
    expect(source.script).toBe('/app/bench/relay-child.ts');
    expect(source.execArgv).toEqual(['--import', expect.stringMatching(/\/node_modules\/tsx\/.*\.mjs$/)]);
  });

  it('starts a worker thread from a .ts module, with its workerData', async () => {
    const worker = startWorker(new URL('../fixtures/echo.ts', import.meta.url), { workerData: { n: 7 } });
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(reply).toEqual({ echo: { n: 7 } });
    } finally {
      await worker.terminate();
    }
  });

  it('reports a .ts worker that cannot start as the worker’s error', async () => {
    const worker = startWorker(new URL('../fixtures/no-such-worker.ts', import.meta.url));
    const error = await new Promise<Error>((resolve) => worker.once('error', resolve));
    expect(error.message).toMatch(/no-such-worker/);
  });

  it('starts a child process from a .ts module', async () => {
    const { execArgv, script } = processEntry(new URL('../fixtures/echo.ts', import.meta.url));
    const child = spawn(process.execPath, [...execArgv, script, 'hello'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ echo: 'hello' });
  });

  it('is the only way the build reaches tsx, and only from the sources: no module imports it', () => {
    const imports = /\b(?:from|import|import\(|require\()\s*['"]tsx[/'"]/;
    const offenders = ['server', 'client', 'shared', 'cli', 'bench']
      .flatMap(sourceFiles)
      .filter((f) => imports.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
