// `npm start` under a supervisor: SIGTERM goes to npm, and the relay must get it too, stop, and free its
// port, instead of living on as an orphan. Runs the repository's real start script, in a scratch package
// whose `build` does nothing (the built dist/ is linked in), so the test does not rebuild.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, until } from '../helpers/relay.js';

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  const dir = tempDir('hotline-npm-start-');
  let pgid = 0;

  afterAll(() => {
    // Whatever the outcome, nothing this test started outlives it: the group is the npm process's own.
    if (pgid && groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes SIGTERM on to the relay, which stops and frees its port', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'start-check', type: 'module', scripts: { build: 'true', start: pkg.scripts['start'] } }),
    );
    symlinkSync(path.resolve('dist'), path.join(app, 'dist'));
    symlinkSync(path.resolve('node_modules'), path.join(app, 'node_modules'));

    const npm = spawn('npm', ['start', '--silent'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOTLINE_PORT: '0',
        HOTLINE_DATA_DIR: path.join(dir, 'data'),
        HOTLINE_LOG_LEVEL: 'warn',
        HOTLINE_PRINT_LINKS: 'false',
        NO_COLOR: '1',
      },
    });
    pgid = npm.pid!;
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
    await until(() => /Hotline relay on http:\/\/[\d.]+:\d+/.test(out), 20_000, `the relay to start:\n${out}`);
    const url = /Hotline relay on (http:\/\/[\d.]+:\d+)/.exec(out)![1]!;
    expect((await fetch(`${url}/livez`)).status).toBe(200);

    npm.kill('SIGTERM');
    await exited;
    // npm is gone; the relay must follow it rather than keep the port.
    await until(() => !groupAlive(pgid), 10_000, 'every process of `npm start` to end');
    await expect(fetch(`${url}/livez`)).rejects.toThrow();
  });
});
