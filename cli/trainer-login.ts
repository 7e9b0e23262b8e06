// Where the CLI finds the relay, the trainer secret and the trainer's name: options, then the environment.
// The secret comes from HOTLINE_TRAINER_SECRET or a file, never from a command-line argument (visible in `ps`).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TrainerApi } from '../client/trainer-api.js';
import { HotlineError } from '../shared/errors.js';
import { trainerName } from '../shared/run-entries.js';
import { clientEnv } from '../server/config.js';

export interface TrainerOptions {
  url?: string;
  secretFile?: string;
  /** The display name the relay records as `by` in every entry this trainer causes. */
  name?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';
export const DEFAULT_TRAINER_NAME = 'Trainer (CLI)';

/** The options every trainer command takes. */
export const withApi = (cmd: Command) =>
  cmd
    .option('-u, --url <url>', 'relay URL (default HOTLINE_URL or http://127.0.0.1:8080)')
    .option('--secret-file <file>', 'file holding the trainer secret (default: HOTLINE_TRAINER_SECRET)')
    .option(
      '--name <name>',
      `trainer name recorded in the log (default HOTLINE_TRAINER_NAME or "${DEFAULT_TRAINER_NAME}")`,
    );

export function trainerApi(o: TrainerOptions): TrainerApi {
  const env = clientEnv();
  const url = o.url ?? env.url ?? DEFAULT_URL;
  const [name, source] =
    o.name !== undefined ? [o.name, '--name'] : [env.trainerName ?? DEFAULT_TRAINER_NAME, 'HOTLINE_TRAINER_NAME'];
  // Checked before anything is sent, with the relay's own rule, so a typo is a usage error naming its source.
  const checked = trainerName.safeParse(name);
  if (!checked.success) throw new HotlineError('BAD_REQUEST', `${source}: ${checked.error.issues[0]?.message}`);
  const secret = o.secretFile ? readFileSync(o.secretFile, 'utf8').trim() : env.trainerSecret;
  if (!secret) {
    throw new HotlineError(
      'UNAUTHORIZED',
      'Set HOTLINE_TRAINER_SECRET or pass --secret-file FILE (the secret `hotline serve` printed on its first start).',
    );
  }
  return new TrainerApi(url, { secret, name });
}
