// Where the CLI finds the relay and the trainer secret: options, then the environment. The secret comes
// from HOTLINE_TRAINER_SECRET or a file, never from a command-line argument (visible in `ps`).
import { readFileSync } from 'node:fs';
import { TrainerApi } from '../client/trainer-api.js';
import { HotlineError } from '../shared/errors.js';
import { clientEnv } from '../server/config.js';

export interface TrainerOptions {
  url?: string;
  secretFile?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export function trainerApi(o: TrainerOptions): TrainerApi {
  const env = clientEnv();
  const url = o.url ?? env.url ?? DEFAULT_URL;
  const secret = o.secretFile ? readFileSync(o.secretFile, 'utf8').trim() : env.trainerSecret;
  if (!secret) {
    throw new HotlineError(
      'UNAUTHORIZED',
      'Set HOTLINE_TRAINER_SECRET or pass --secret-file FILE (the secret `hotline serve` printed on its first start).',
    );
  }
  return new TrainerApi(url, { secret });
}
