// `--relay URL` on the terminal console commands: saved with the key at enrolment, for one run on a
// reopen, tried in turn after the enrolled relay; RELAY_UNREACHABLE only when every URL refuses. The
// relays take turns on one data directory (two must never open one SQLite file at once).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processEntry } from '../../server/module-launcher.js';
import { runCli } from '../helpers/child-relay.js';
import { parseExport } from '../helpers/durability.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';
import { freePort } from '../helpers/free-port.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A relay on `dataDir` at `port`, closed after the test unless the test closes it first. */
async function relayOn(dataDir: string, port: number): Promise<TestRelay> {
  const relay = await startTestRelay({ port }, dataDir);
  const close = relay.close.bind(relay);
  let open = true;
  relay.close = async () => {
    if (!open) return;
    open = false;
    await close();
  };
  cleanups.push(() => relay.close());
  return relay;
}

const CLI = processEntry(new URL('../../cli/main.ts', import.meta.url));

/** `hotline console ARGS` from the sources, its stdin a pipe: types `lines` once `ready` shows, then closes
 * stdin and resolves with everything it printed when it ends. */
async function consoleRun(args: string[], ready: RegExp, lines: string[]): Promise<{ code: number; out: string }> {
  const proc = spawn(process.execPath, [...CLI.execArgv, CLI.script, 'console', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL'));
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number>((resolve) => proc.once('exit', (code) => resolve(code ?? 1)));
  const deadline = Date.now() + 20_000;
  while (!ready.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the console never showed ${ready}:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const line of lines) proc.stdin.write(`${line}\n`);
  proc.stdin.end();
  return { code: await exited, out };
}

async function bodies(relay: TestRelay): Promise<string[]> {
  const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
  return parseExport(res.body).flatMap(({ item }) => (item?.payload.type === 'message' ? [item.payload.body] : []));
}

describe('hotline console commands with --relay', () => {
  it('fail over to saved and given relays, and report RELAY_UNREACHABLE only when every one refuses', async () => {
    const dir = tempDir('hotline-relays-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const data = path.join(dir, 'data');
    const state = path.join(dir, 'bj.json');
    const [portB, portC] = [await freePort(), await freePort()];
    const [urlB, urlC] = [`http://127.0.0.1:${portB}`, `http://127.0.0.1:${portC}`];

    const a = await relayOn(data, 0);
    const link = `${a.url}/console#code=${await a.issueCode('beijing')}`;
    const enrolled = await runCli(['enrol', '--link', link, '--operator', 'BJ', '--state', state, '--relay', urlB]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { identity: { url: string; alternates?: string[] } };
    expect(saved.identity).toMatchObject({ url: a.url, alternates: [urlB] });
    await a.close();

    // The enrolled relay is gone; B (saved at enrolment) serves the same data.
    const b = await relayOn(data, portB);
    const viaB = await runCli(['send', '--state', state, '--timeout', '15000', 'via the saved alternate']);
    expect(viaB.code, viaB.stderr).toBe(0);
    expect(JSON.parse(viaB.stdout)).toMatchObject({ state: 'accepted' });
    expect(await bodies(b)).toEqual(['via the saved alternate']);
    await b.close();

    // Neither A nor B: C, given for this run only, is not saved.
    const c = await relayOn(data, portC);
    const viaC = await runCli(['send', '--state', state, '--relay', urlC, '--timeout', '15000', 'via C']);
    expect(viaC.code, viaC.stderr).toBe(0);
    expect(await bodies(c)).toEqual(['via the saved alternate', 'via C']);
    const after = JSON.parse(readFileSync(state, 'utf8')) as { identity: { alternates?: string[] } };
    expect(after.identity.alternates).toEqual([urlB]);

    // The terminal console names the relay it tries next and the one it is on.
    const shown = await consoleRun(['--state', state, '--relay', urlC], /live ---/, ['/status']);
    expect(shown.code, shown.out).toBe(0);
    expect(shown.out).toContain(`link: reconnecting ${urlB} in `);
    expect(shown.out).toContain(`link: connected ${urlC}`);
    expect(shown.out).toMatch(new RegExp(`link open ${urlC.replaceAll('.', '\\.')}`));
    await c.close();

    const none = await runCli(['send', '--state', state, '--relay', urlC, '--timeout', '15000', 'nowhere']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('RELAY_UNREACHABLE');
    for (const url of [a.url, urlB, urlC]) expect(none.stderr).toContain(url);

    const bad = await runCli(['send', '--state', state, '--relay', 'ftp://relay', 'never sent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/BAD_REQUEST.*http or https/);
  }, 120_000);
});
