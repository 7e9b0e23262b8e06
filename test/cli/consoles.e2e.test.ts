// The terminal console as a new user meets it: two consoles enrolled in one folder, a state file already
// open in another process, a revoked key, a relay that is down, options that make no sense. Runs the
// BUILT CLI (`npx tsc -p tsconfig.build.json` first) against a real relay.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runToEnd } from '../helpers/cli.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

describe('terminal consoles', () => {
  const dir = tempDir('hotline-consoles-');
  let relay: TestRelay;

  const link = async (station: string) => (await (await relay.trainer()).issueCode('dtl', station, 600)).link;
  const enrol = async (station: string, state: string) => {
    const r = await runToEnd(['enrol', '--link', await link(station), '--operator', 'tester', '--state', state], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { kid: string; state: string };
  };

  beforeAll(async () => {
    relay = await startTestRelay();
    // The README's tour: both consoles enrolled in the same folder, under their default names.
    for (const station of ['beijing', 'washington']) {
      const r = await runToEnd(['enrol', '--link', await link(station), '--operator', 'tester'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await relay.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reopens one of two consoles enrolled in the same folder with --station', async () => {
    const r = await runToEnd(['console', '--station', 'washington'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/=== Washington/);
  });

  it('names --station in the error when it cannot ask which console (no terminal)', async () => {
    const r = await runToEnd(['console'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--station beijing/);
  });

  it('refuses a second process on an open console state file, with its own code and exit status', async () => {
    const open = run(['console', '--station', 'beijing'], { cwd: dir });
    try {
      await open.waitFor(/live ---/);
      expect(existsSync(path.join(dir, 'hotline-beijing.json.lock'))).toBe(true);
      const second = await runToEnd(['send', '--state', 'hotline-beijing.json', 'hello'], { cwd: dir });
      expect(second.code, second.stderr).toBe(8);
      expect(second.stderr).toMatch(/CONSOLE_IN_USE: .*already open/);
    } finally {
      open.child.stdin.end();
      expect(await open.exited).toBe(0);
    }
    // Released on exit: the next process may open it.
    expect(existsSync(path.join(dir, 'hotline-beijing.json.lock'))).toBe(false);
    const after = await runToEnd(['send', '--station', 'beijing', 'after the console closed'], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = run(['--version']);
    await dead.exited;
    writeFileSync(path.join(dir, 'hotline-washington.json.lock'), `${dead.child.pid}\n`);
    const r = await runToEnd(['send', '--station', 'washington', 'after a crash'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'hotline-washington.json.lock'))).toBe(false);
  });

  it('validates send options before opening anything', async () => {
    const before = readFileSync(path.join(dir, 'hotline-beijing.json'), 'utf8');
    for (const args of [
      ['--wait', 'bogus'],
      ['--timeout', 'soon'],
      ['--precedence', 'URGENT'],
    ]) {
      const r = await runToEnd(['send', '--station', 'beijing', ...args, 'text'], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/BAD_REQUEST/);
    }
    expect(readFileSync(path.join(dir, 'hotline-beijing.json'), 'utf8')).toBe(before);
  });

  it('refuses --url next to a state file instead of ignoring it', async () => {
    const r = await runToEnd(['send', '--station', 'beijing', '--url', 'http://127.0.0.1:1', 'text'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_REQUEST: --url/);
  });

  it('reports a revoked key as KEY_REVOKED in send, listen and the console', async () => {
    const { kid } = await enrol('beijing', 'revoked.json');
    await (await relay.trainer()).revoke('dtl', kid, 'test');
    const send = await runToEnd(['send', '--state', 'revoked.json', '--timeout', '5000', 'text'], { cwd: dir });
    expect(send.stderr).toMatch(/KEY_REVOKED/);
    expect(send.code).toBe(4);
    const listen = await runToEnd(['listen', '--state', 'revoked.json', '--timeout', '5000'], { cwd: dir });
    expect(listen.stderr).toMatch(/KEY_REVOKED/);
    expect(listen.code).toBe(4);

    const { kid: live } = await enrol('beijing', 'revoked-live.json');
    const con = run(['console', '--state', 'revoked-live.json'], { cwd: dir });
    await con.waitFor(/live ---/);
    await (await relay.trainer()).revoke('dtl', live, 'test');
    await con.waitFor(/KEY_REVOKED/);
    con.write('typed after the revocation');
    await con.waitFor(/refused: this console's key was revoked/);
    con.child.stdin.end();
    expect(await con.exited).toBe(4);
    expect(con.stdout()).not.toMatch(/typed after the revocation/);
  });

  it('fails fast with RELAY_UNREACHABLE when the relay is down', async () => {
    const other = await startTestRelay();
    const issued = await (await other.trainer()).issueCode('dtl', 'beijing', 600);
    const e = await runToEnd(['enrol', '--link', issued.link, '--state', 'down.json'], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    await other.cleanup();
    const r = await runToEnd(['send', '--state', 'down.json', '--timeout', '5000', 'text'], { cwd: dir });
    expect(r.stderr).toMatch(/RELAY_UNREACHABLE/);
    expect(r.code).toBe(3);
  });
});
