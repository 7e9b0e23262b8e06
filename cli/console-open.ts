// Opens a terminal console's client: enrols with a link or code when given one, otherwise reopens the
// state file of an earlier enrolment. The private key stays in that file (mode 0600).
import { existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { HotlineClient } from '../client/client.js';
import { codeFromLink, enrol } from '../client/identity.js';
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
}

export const withConsoleOptions = (cmd: Command) =>
  cmd
    .option(
      '-l, --link <link>',
      'enrolment link printed by `hotline serve` or `hotline enrol-code` (enrols this console)',
    )
    .option('--code <code>', 'enrolment code, with --url (enrols this console)')
    .option('-u, --url <url>', 'relay URL for --code (default HOTLINE_URL or http://127.0.0.1:8080)')
    .option('--operator <name>', 'operator name recorded at enrolment (default: your user name)')
    .option('--state <file>', 'console state file (default: hotline-<station>.json here)');

function findState(): string {
  const files = readdirSync('.').filter((f) => /^hotline-[a-z0-9-]+\.json$/.test(f));
  if (files.length === 1) return files[0]!;
  if (files.length === 0)
    throw new HotlineError('NOT_FOUND', 'Not enrolled: pass --link <enrolment link> (or --state FILE).');
  throw new HotlineError(
    'BAD_REQUEST',
    `Several console state files here (${files.join(', ')}): pick one with --state.`,
  );
}

export async function openConsole(o: ConsoleOptions): Promise<{ client: HotlineClient; stateFile: string }> {
  const socket = nodeSocket();
  if (o.link || o.code) {
    const target = o.link ? codeFromLink(o.link) : { url: o.url ?? clientEnv().url ?? DEFAULT_URL, code: o.code! };
    if (o.state && existsSync(o.state))
      throw new HotlineError('BAD_REQUEST', `${o.state} already holds an enrolled console; choose another --state.`);
    const identity = await enrol({ ...target, operator: o.operator ?? userInfo().username, extractable: true });
    const stateFile = o.state ?? `hotline-${identity.station}.json`;
    if (existsSync(stateFile))
      throw new HotlineError('BAD_REQUEST', `${stateFile} already exists; pass --state for this console.`);
    const storage = new FileStorage(stateFile);
    await storage.save({ identity, nextSeq: 0, outbox: [], checkpoint: null });
    diag(`enrolled as ${identity.station} (key ${identity.kid}); state in ${stateFile}`);
    return { client: await HotlineClient.open({ storage, socket }), stateFile };
  }
  const stateFile = o.state ?? findState();
  if (!existsSync(stateFile))
    throw new HotlineError('NOT_FOUND', `No console state at ${stateFile}: enrol first with --link.`);
  return { client: await HotlineClient.open({ storage: new FileStorage(stateFile), socket }), stateFile };
}
