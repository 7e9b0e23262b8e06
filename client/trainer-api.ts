// The trainer's HTTP client, used by the CLI and the load generator: secret -> short-lived JWT -> API
// calls. Isomorphic (fetch only); where the secret comes from is the caller's business.
import { HotlineError, isErrorCode } from '../shared/errors.js';

export class TrainerApi {
  #token: string | undefined;

  constructor(
    readonly url: string,
    private readonly secret: string,
  ) {}

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
      throw new HotlineError(
        isErrorCode(data.code) ? data.code : 'INTERNAL',
        typeof data.message === 'string' ? data.message : `HTTP ${res.status}`,
      );
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
