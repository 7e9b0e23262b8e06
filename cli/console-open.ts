// Opens a terminal console's client: enrols with a link or code when given one, otherwise reopens the
// state file of an earlier enrolment. The private key stays in that file (mode 0600), which one process
// at a time may hold (FILE.lock). `--relay URL` (repeatable) names other relays of the same log, which the
// console fails over to in turn: saved in the state file at enrolment, for this run only on a reopen.
import { existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { HotlineClient } from '../client/client.js';
import { codeFromLink, enrol, relayOrigin } from '../client/identity.js';
import { FileStorage } from '../client/node/file-storage.js';
import { nodeSocket } from '../client/node/ws-socket.js';
import { HotlineError } from '../shared/errors.js';
import { clientEnv } from '../server/config.js';
import { DEFAULT_URL } from './trainer-login.js';
import { diag } from './terminal.js';

export interface ConsoleOptions {
  link?: string;
  code?: string;
  url?: string;
  operator?: string;
  state?: string;
  station?: string;
  role?: string;
  /** Alternate relays (`--relay`, repeatable): saved at enrolment, for this run on a reopen. */
  relay?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const withConsoleOptions = (cmd: Command) =>
  cmd
    .option(
      '-l, --link <link>',
      'enrolment link printed by `hotline serve` or `hotline enrol-code` (enrols this console)',
    )
    .option('--code <code>', 'enrolment code, with --url (enrols this console)')
    .option('-u, --url <url>', 'relay URL for --code (default HOTLINE_URL or http://127.0.0.1:8080)')
    .option('--operator <name>', 'operator name recorded at enrolment (default: your user name)')
    .option('--state <file>', 'console state file (default: hotline-<station>.json here)')
    .option('--station <id>', 'reopen hotline-<id>.json here, when several consoles were enrolled in this folder')
    .option('--role <role>', 'enrol as "translator": a device that only translates (with --link or --code)')
    .option(
      '--relay <url>',
      'another relay of the same log to fail over to (repeatable; tried in turn after the enrolled one; saved when enrolling, for this run otherwise)',
      collect,
    );

const STATE_FILE = /^hotline-([a-z0-9-]+)\.json$/;

/** Refuses options that would be silently ignored, before anything is opened or written. */
export function checkConsoleOptions(o: ConsoleOptions): void {
  const enrolling = Boolean(o.link || o.code);
  for (const url of o.relay ?? []) relayOrigin(url);
  if (o.url && !o.code)
    throw new HotlineError(
      'BAD_REQUEST',
      o.link
        ? '--url goes with --code; a link carries its relay URL.'
        : '--url goes with --code; an enrolled console uses the relay URL saved in its state file.',
    );
  if (o.role !== undefined && (o.role !== 'translator' || !enrolling))
    throw new HotlineError(
      'BAD_REQUEST',
      o.role !== 'translator'
        ? `--role: only "translator" (an operator console needs no --role), not "${o.role}".`
        : '--role is chosen at enrolment: with --link or --code.',
    );
  if (o.station && (o.state || enrolling))
    throw new HotlineError(
      'BAD_REQUEST',
      '--station picks a state file to reopen: not with --state, --link or --code.',
    );
}

async function ask(files: string[]): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    files.forEach((f, i) => diag(`  ${i + 1}) ${f}`));
    for (let tries = 0; tries < 3; tries++) {
      const answer = (await rl.question(`Open which console? [1-${files.length}] `)).trim();
      const chosen = files[Number(answer) - 1] ?? files.find((f) => STATE_FILE.exec(f)?.[1] === answer);
      if (chosen) return chosen;
    }
  } finally {
    rl.close();
  }
  throw new HotlineError('BAD_REQUEST', 'No console chosen.');
}

async function findState(station: string | undefined): Promise<string> {
  const files = readdirSync('.')
    .filter((f) => STATE_FILE.test(f))
    .sort();
  if (station !== undefined) {
    const file = `hotline-${station}.json`;
    if (files.includes(file)) return file;
    throw new HotlineError(
      'NOT_FOUND',
      `No console of station ${station} here (${files.length > 0 ? `found ${files.join(', ')}` : 'none enrolled'}).`,
    );
  }
  if (files.length === 1) return files[0]!;
  if (files.length === 0)
    throw new HotlineError('NOT_FOUND', 'Not enrolled: pass --link <enrolment link> (or --state FILE).');
  if (process.stdin.isTTY && process.stderr.isTTY) return ask(files);
  const stations = files.map((f) => STATE_FILE.exec(f)![1]!);
  throw new HotlineError(
    'BAD_REQUEST',
    `Several consoles are enrolled here (${files.join(', ')}): pick one with ${stations.map((s) => `--station ${s}`).join(' or ')} (or --state FILE).`,
  );
}

async function reopen(stateFile: string, alternates: string[] = []): Promise<HotlineClient> {
  const storage = new FileStorage(stateFile);
  const lock = storage.lock();
  try {
    return await HotlineClient.open({ storage, socket: nodeSocket(), alternates });
  } catch (err) {
    lock.release();
    throw err;
  }
}

export async function openConsole(o: ConsoleOptions): Promise<{ client: HotlineClient; stateFile: string }> {
  checkConsoleOptions(o);
  if (o.link || o.code) {
    const target = o.link ? codeFromLink(o.link) : { url: o.url ?? clientEnv().url ?? DEFAULT_URL, code: o.code! };
    if (o.state && existsSync(o.state))
      throw new HotlineError('BAD_REQUEST', `${o.state} already holds an enrolled console; choose another --state.`);
    // The trainer's link may carry &role=translator; --role says the same from the command line.
    const role = o.role === 'translator' ? o.role : 'role' in target ? target.role : undefined;
    const identity = await enrol({
      ...target,
      operator: o.operator ?? userInfo().username,
      extractable: true,
      ...(role ? { role } : {}),
      ...(o.relay?.length ? { alternates: o.relay } : {}),
    });
    // A translator beside an operator console of the same station in one folder: a file of its own.
    const stateFile = o.state ?? `hotline-${identity.station}${identity.role ? `-${identity.role}` : ''}.json`;
    if (existsSync(stateFile))
      throw new HotlineError('BAD_REQUEST', `${stateFile} already exists; pass --state for this console.`);
    await new FileStorage(stateFile).save({ identity, nextSeq: 0, outbox: [], checkpoint: null });
    diag(
      `enrolled as ${identity.station}${identity.role ? ` ${identity.role}` : ''} (key ${identity.kid}); state in ${stateFile}`,
    );
    return { client: await reopen(stateFile), stateFile };
  }
  const stateFile = o.state ?? (await findState(o.station));
  if (!existsSync(stateFile))
    throw new HotlineError('NOT_FOUND', `No console state at ${stateFile}: enrol first with --link.`);
  return { client: await reopen(stateFile, o.relay), stateFile };
}
