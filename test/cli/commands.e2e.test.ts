// What a new user trips over outside the consoles: help examples, configuration errors that name what
// to change, exit codes that match docs/errors.md, a second revocation, key files kept out of git.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/cli.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

describe('hotline commands', () => {
  const dir = tempDir('hotline-commands-');
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has --help with examples on revoke, exercise, exercise list, trainer-secret and bench', async () => {
    for (const cmd of ['revoke', 'exercise', 'exercise list', 'trainer-secret', 'bench']) {
      const r = await runToEnd([...cmd.split(' '), '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Example/);
    }
  });

  it('names the environment variable or the flag in configuration errors', async () => {
    const data = path.join(dir, 'data');
    const flag = await runToEnd(['serve', '--data', data, '--port', '99999']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/BAD_REQUEST: --port: must be between 0 and 65535/);
    const env = await runToEnd(['serve', '--data', data], { env: { HOTLINE_PORT: '99999' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/BAD_REQUEST: HOTLINE_PORT: must be between 0 and 65535/);
    const level = await runToEnd(['serve', '--data', data], { env: { HOTLINE_LOG_LEVEL: 'loud' } });
    expect(level.stderr).toMatch(/BAD_REQUEST: HOTLINE_LOG_LEVEL: must be one of/);
    expect(level.code).toBe(2);
  });

  it('answers a second revocation of the same key KEY_ALREADY_REVOKED, with one log entry', async () => {
    const issued = await (await relay.trainer()).issueCode('dtl', 'beijing', 600);
    const e = await runToEnd(['enrol', '--link', issued.link, '--state', 'k.json'], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    const { kid } = JSON.parse(e.stdout) as { kid: string };
    const env = { HOTLINE_TRAINER_SECRET: relay.newTrainerSecret! };
    const first = await runToEnd(['revoke', kid, '--url', relay.url], { env });
    expect(first.code, first.stderr).toBe(0);
    const idx = Number(/at entry (\d+)/.exec(first.stdout)![1]);
    const second = await runToEnd(['revoke', kid, '--url', relay.url], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`KEY_ALREADY_REVOKED: .*entry ${idx}`));
    const entries = await relay.store.read('dtl', 0, 1000);
    const revocations = entries.filter((c) => c.entry.kind === 'key-revoked');
    expect(revocations).toHaveLength(1);
  });

  it('takes a kid that starts with "-" (a base64url thumbprint may) as the kid, not as an option', async () => {
    const env = { HOTLINE_TRAINER_SECRET: relay.newTrainerSecret! };
    const kid = `-${'A'.repeat(42)}`;
    const r = await runToEnd(['revoke', kid, '--url', relay.url], { env });
    expect(r.stderr).not.toMatch(/unknown option/);
    expect(r.stderr).toMatch(/NOT_FOUND: .*No key -A{42}/);
  });

  it('keeps console key files out of git', () => {
    const ignored = execFileSync('git', ['check-ignore', '--no-index', 'hotline-beijing.json', 'hotline-x.json.lock'], {
      encoding: 'utf8',
    });
    expect(ignored.trim().split('\n')).toEqual(['hotline-beijing.json', 'hotline-x.json.lock']);
  });
});
