// The trainer's session: the trainer secret (with the trainer's display name, which the relay writes into the
// token and into every entry the trainer causes) is exchanged once for a short-lived JWT, kept in a token store
// (sessionStorage in the page: gone when the tab closes; never in a URL, never in localStorage). Every API
// call and the live observer use it. Shortly before it expires the session swaps it for a fresh one
// (POST /v1/auth/renew) without touching the page, so an open live view keeps running; the relay stops
// renewing 12 h after the secret was used. No DOM: tests run it in Node against a real relay.
import { TrainerApi } from '../../../client/trainer-api.js';
import { fromBase64url, fromUtf8 } from '../../../shared/encoding.js';
import { HotlineError } from '../../../shared/errors.js';
import type { TrainerToken } from '../../../shared/http-api.js';

const KEY = 'hotline.trainer.session';
const EXPIRED = 'Your trainer session expired. Sign in again.';
/** Renew this long before expiry, or halfway through a token that lives less than twice as long. */
const RENEW_LEAD_MS = 60_000;
/** After a renewal that failed for a reason that may pass (relay unreachable), try again this soon. */
const RETRY_MS = 5_000;

type Listener = (signedIn: boolean) => void;
/** Where the token is kept: sessionStorage in the page, a stand-in in tests. */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class TrainerSession {
  #listeners = new Set<Listener>();
  #renewed = new Set<() => void>();
  #expiry: ReturnType<typeof setTimeout> | undefined;
  #renewal: ReturnType<typeof setTimeout> | undefined;
  /** Why the relay refused to renew (the session is too old): shown when the token then runs out. */
  #refused = '';
  /** Why the last session ended, shown on the sign-in screen. */
  reason = '';

  constructor(
    private readonly origin: string,
    private readonly storage: TokenStore,
  ) {
    this.#schedule();
  }

  #read(): TrainerToken | undefined {
    try {
      const raw = this.storage.getItem(KEY);
      const s = raw ? (JSON.parse(raw) as TrainerToken) : undefined;
      if (!s || typeof s.token !== 'string' || typeof s.expiresAt !== 'string') return undefined;
      return s;
    } catch {
      return undefined;
    }
  }

  #write({ token, expiresAt }: TrainerToken): void {
    this.storage.setItem(KEY, JSON.stringify({ token, expiresAt } satisfies TrainerToken));
  }

  get token(): string | undefined {
    const s = this.#read();
    if (!s) return undefined;
    if (Date.parse(s.expiresAt) <= Date.now()) return undefined;
    return s.token;
  }

  get expiresAt(): string | undefined {
    return this.#read()?.expiresAt;
  }

  /**
   * The display name the token carries, which the relay records as `by` in every entry this trainer causes;
   * read to show it, never trusted (the relay checks the token). Undefined when it names none.
   */
  get name(): string | undefined {
    const payload = this.token?.split('.')[1];
    const bytes = payload === undefined ? null : fromBase64url(payload);
    if (!bytes) return undefined;
    try {
      const name = (JSON.parse(fromUtf8(bytes)) as { name?: unknown }).name;
      return typeof name === 'string' && name.length > 0 ? name : undefined;
    } catch {
      return undefined;
    }
  }

  onChange(fn: Listener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Called after each renewal: for what shows the token's expiry, never for the page itself. */
  onRenewed(fn: () => void): () => void {
    this.#renewed.add(fn);
    return () => this.#renewed.delete(fn);
  }

  /** The trainer API on this session's token; a missing or refused token signs out. */
  api(): TrainerApi {
    return new TrainerApi(this.origin, {
      token: () => this.token,
      onUnauthorized: (why) =>
        this.signOut(why === 'expired' ? EXPIRED : 'Your trainer session expired or was refused. Sign in again.'),
    });
  }

  /** Exchanges the secret for a token carrying `name`, the trainer's display name (1 to 80 characters). */
  async signIn(secret: string, name?: string): Promise<void> {
    const api = new TrainerApi(this.origin, name === undefined ? { secret } : { secret, name });
    this.#write(await api.signIn());
    this.reason = '';
    this.#refused = '';
    this.#schedule();
    for (const fn of this.#listeners) fn(true);
  }

  signOut(reason = ''): void {
    this.storage.removeItem(KEY);
    clearTimeout(this.#expiry);
    clearTimeout(this.#renewal);
    this.reason = reason;
    for (const fn of this.#listeners) fn(false);
  }

  /**
   * Swaps the token for a fresh one of the same session. Sign-in listeners are not told: no page depends
   * on which token it is, and the live observer picks the new one up when it next connects; only what shows
   * the expiry (onRenewed) is.
   * Never rejects: a refusal lets the token run out (then signs out), anything else is tried again.
   */
  async renew(): Promise<void> {
    const current = this.token;
    if (current === undefined) return;
    try {
      // Its own client, without the sign-out on 401: a refused renewal still leaves the token's time.
      const fresh = await new TrainerApi(this.origin, { token: () => current }).renew();
      // Signed out, or in again, meanwhile: that session is not this one.
      if (this.#read()?.token !== current) return;
      this.#write(fresh);
      this.#schedule();
      for (const fn of this.#renewed) fn();
    } catch (err) {
      if (err instanceof HotlineError && err.code === 'UNAUTHORIZED') {
        this.#refused = err.message;
        return;
      }
      const left = Date.parse(this.expiresAt ?? '') - Date.now();
      if (left > 2 * 1000) this.#renewIn(Math.min(RETRY_MS, left / 2));
    }
  }

  #renewIn(ms: number): void {
    clearTimeout(this.#renewal);
    this.#renewal = setTimeout(() => void this.renew(), ms);
  }

  #schedule(): void {
    clearTimeout(this.#expiry);
    clearTimeout(this.#renewal);
    const at = this.expiresAt;
    if (!at) return;
    const ms = Date.parse(at) - Date.now();
    if (!(ms > 0 && ms < 2 ** 31 - 1)) return;
    this.#expiry = setTimeout(() => this.signOut(this.#refused || EXPIRED), ms);
    this.#renewIn(ms - Math.min(RENEW_LEAD_MS, ms / 2));
  }
}
