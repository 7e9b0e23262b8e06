// The trainer's HTTP client used by CLI commands: secret -> short-lived JWT -> API calls. The secret comes
// from HOTLINE_TRAINER_SECRET or a file, never from a command-line argument (visible in `ps`).
import { readFileSync } from 'node:fs';
import { HotlineError, isErrorCode } from '../../shared/errors.js';
import { clientEnv } from '../config.js';

export interface TrainerOptions {
  url?: string;
  secretFile?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export class TrainerApi {
  #token: string | undefined;

  constructor(
    readonly url: string,
    private readonly secret: string,
  ) {}

  static fromOptions(o: TrainerOptions): TrainerApi {
    const env = clientEnv();
    const url = o.url ?? env.url ?? DEFAULT_URL;
    const secret = o.secretFile ? readFileSync(o.secretFile, 'utf8').trim() : env.trainerSecret;
    if (!secret) {
      throw new HotlineError('UNAUTHORIZED', 'Set HOTLINE_TRAINER_SECRET or pass --secret-file FILE (the secret `hotline serve` printed on its first start).');
    }
    return new TrainerApi(url, secret);
  }

  async #fetch(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.url), {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new HotlineError('RELAY_UNREACHABLE', `Cannot reach the relay at ${this.url}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const data = (await res.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
      throw new HotlineError(isErrorCode(data.code) ? data.code : 'INTERNAL', typeof data.message === 'string' ? data.message : `HTTP ${res.status}`);
    }
    return res;
  }

  async #auth(): Promise<string> {
    if (!this.#token) {
      const res = await this.#fetch('POST', '/v1/auth/token', { secret: this.secret });
      this.#token = ((await res.json()) as { token: string }).token;
    }
    return this.#token;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(method, path, body, await this.#auth());
    return (await res.json()) as T;
  }

  async stream(path: string): Promise<Response> {
    return this.#fetch('GET', path, undefined, await this.#auth());
  }
}
