import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runToEnd, type Proc } from '../helpers/cli.js';
import { tempDir } from '../helpers/relay.js';

describe('the hotline CLI', () => {
  const dir = tempDir('hotline-cli-');
  let serve: Proc;
  let url = '';
  let secret = '';
  const links: Record<string, string> = {};

  beforeAll(async () => {
    serve = run(['serve', '--data', path.join(dir, 'data'), '--port', '0', '--log-level', 'warn'], { cwd: dir });
    url = (await serve.waitFor(/Hotline relay on (http:\/\/\S+)/))[1]!;
    secret = (await serve.waitFor(/shown once[^\n]*\n\s+(hts_\S+)/))[1]!;
    await serve.waitFor(/washington\s+(http\S+)/);
    links['beijing'] = serve.stdout().match(/beijing\s+(http\S+#code=\S+)/)![1]!;
    links['washington'] = serve.stdout().match(/washington\s+(http\S+#code=\S+)/)![1]!;
  });

  afterAll(async () => {
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints links whose one-time code is only in the #fragment', () => {
    for (const link of Object.values(links)) {
      const u = new URL(link);
      expect(u.search).toBe('');
      expect(u.pathname).toBe('/console');
      expect(u.hash).toMatch(/^#code=[0-9A-Z-]{26,}$/);
    }
  });

  it('lets two terminal consoles exchange a signed, acknowledged message through their stdin', async () => {
    const bj = run(['console', '--link', links['beijing']!, '--operator', 'BJ duty officer'], { cwd: dir });
    const wa = run(['console', '--link', links['washington']!, '--operator', 'WA duty officer'], { cwd: dir });
    // Wait for both to have replayed the log: state changes are printed from then on.
    await bj.waitFor(/live ---/);
    await wa.waitFor(/live ---/);
    await bj.waitFor(/peer washington: online/);
    bj.write('/subject Line check');
    bj.write('/flash Please acknowledge this test of the link.');
    await wa.waitFor(/FLASH from beijing: acknowledge with \/ack 1/);
    expect(wa.stdout()).toMatch(/Line check: Please acknowledge this test of the link\./);
    expect(wa.stdout()).toMatch(/\[verified\]/);
    wa.write('/ack 1 Received in Washington');
    await bj.waitFor(/#1 → acknowledged/);
    expect(bj.stdout()).toMatch(/#1 → accepted/);
    expect(bj.stdout()).toMatch(/#1 → delivered/);
    bj.child.stdin.end();
    wa.child.stdin.end();
    expect(await bj.exited).toBe(0);
    expect(await wa.exited).toBe(0);
  });

  it('exports a log that verifies, and names the first fault of a tampered copy', async () => {
    const file = path.join(dir, 'dtl.jsonl');
    const exp = await runToEnd(['export', '--url', url, '-o', file], { env: { HOTLINE_TRAINER_SECRET: secret } });
    expect(exp.code, exp.stderr).toBe(0);
    const ok = await runToEnd(['verify', file, '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { ok: boolean; messages: number; receipts: number };
    expect(report).toMatchObject({ ok: true, messages: 1, receipts: 2 });

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const tampered = path.join(dir, 'tampered.jsonl');
    writeFileSync(tampered, [...lines.slice(0, 3), ...lines.slice(4)].join('\n'));
    const bad = await runToEnd(['verify', tampered]);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/FAULT .* line 4 \(entry 3\): CHAIN_BROKEN: entry 3: entry 2 is missing/);
  });

  it('refuses a reused enrolment link with its documented code and exit status', async () => {
    const again = await runToEnd(['enrol', '--link', links['beijing']!, '--state', path.join(dir, 'again.json')]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/ENROLMENT_CODE_USED/);
  });

  it('has --help with examples on every command', async () => {
    for (const cmd of [
      'serve',
      'console',
      'enrol',
      'send',
      'listen',
      'enrol-code',
      'export',
      'verify',
      'exercise create',
    ]) {
      const r = await runToEnd([...cmd.split(' '), '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Example/);
    }
  });
});
