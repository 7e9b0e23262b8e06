// Trainer sign-in: the trainer secret is exchanged once for a short-lived JWT, kept in sessionStorage (gone
// when the tab closes; never in a URL, never in localStorage). Every API call and the live observer use it.
import { TrainerApi } from '../../../client/trainer-api.js';
import type { TrainerToken } from '../../../shared/http-api.js';
import { h, field, statusLine, status } from './dom.js';

const KEY = 'hotline.trainer.session';
const EXPIRED = 'Your trainer session expired. Sign in again.';

type Listener = (signedIn: boolean) => void;

export class Session {
  #listeners = new Set<Listener>();
  #expiry: ReturnType<typeof setTimeout> | undefined;
  /** Why the last session ended, shown on the sign-in screen. */
  reason = '';

  constructor() {
    this.#schedule();
  }

  #read(): TrainerToken | undefined {
    try {
      const raw = sessionStorage.getItem(KEY);
      const s = raw ? (JSON.parse(raw) as TrainerToken) : undefined;
      if (!s || typeof s.token !== 'string' || typeof s.expiresAt !== 'string') return undefined;
      return s;
    } catch {
      return undefined;
    }
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

  onChange(fn: Listener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The trainer API on this session's token; a missing or refused token signs out. */
  api(): TrainerApi {
    return new TrainerApi(location.origin, {
      token: () => this.token,
      onUnauthorized: (why) =>
        this.signOut(why === 'expired' ? EXPIRED : 'Your trainer session expired or was refused. Sign in again.'),
    });
  }

  async signIn(secret: string): Promise<void> {
    const { token, expiresAt } = await new TrainerApi(location.origin, { secret }).signIn();
    sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt } satisfies TrainerToken));
    this.reason = '';
    this.#schedule();
    for (const fn of this.#listeners) fn(true);
  }

  signOut(reason = ''): void {
    sessionStorage.removeItem(KEY);
    clearTimeout(this.#expiry);
    this.reason = reason;
    for (const fn of this.#listeners) fn(false);
  }

  #schedule(): void {
    clearTimeout(this.#expiry);
    const at = this.expiresAt;
    if (!at) return;
    const ms = Date.parse(at) - Date.now();
    if (ms > 0 && ms < 2 ** 31 - 1) this.#expiry = setTimeout(() => this.signOut(EXPIRED), ms);
  }
}

/** The sign-in screen. */
export function signInView(session: Session): HTMLElement {
  const secret = h('input', {
    type: 'password',
    name: 'secret',
    autocomplete: 'current-password',
    required: true,
    spellcheck: 'false',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const msg = statusLine();
  if (session.reason) status(msg, session.reason, 'error');
  const form = h(
    'form',
    { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: -1 }, 'Trainer sign-in'),
    h(
      'p',
      { class: 'muted' },
      'Exercise control for the Hotline simulator. Sign in with the trainer secret the relay printed on its first start.',
    ),
    field(
      'Trainer secret',
      secret,
      'Exchanged for a session token that lasts until the tab is closed or the token expires.',
    ),
    submit,
    msg,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    status(msg, 'Signing in…');
    session.signIn(secret.value).then(
      () => undefined,
      (err: unknown) => {
        submit.disabled = false;
        status(msg, err instanceof Error ? err.message : String(err), 'error');
        secret.select();
      },
    );
  });
  queueMicrotask(() => secret.focus());
  return h('div', { class: 'narrow' }, form);
}
