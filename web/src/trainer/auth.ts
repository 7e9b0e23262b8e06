// Trainer sign-in: the session of this tab (on sessionStorage and the page's origin) and the sign-in screen.
// The display name is asked for every time: it is written into every lifecycle, inject and note entry the
// trainer causes, so it names a person, not a default.
import { LIMITS } from '../../../shared/items.js';
import { h, field, statusLine, status } from './dom.js';
import { TrainerSession } from './session.js';

export class Session extends TrainerSession {
  constructor() {
    super(location.origin, sessionStorage);
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
  const name = h('input', {
    type: 'text',
    name: 'name',
    autocomplete: 'name',
    required: true,
    minlength: 1,
    maxlength: LIMITS.operator,
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
      'Your name',
      name,
      `As the log records you: every start, pause, inject and note you make carries it (1 to ${LIMITS.operator} characters).`,
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
    const who = name.value.trim();
    if (who.length === 0) {
      status(msg, 'Give your name: the log records who runs the exercise.', 'error');
      name.focus();
      return;
    }
    submit.disabled = true;
    status(msg, 'Signing in…');
    session.signIn(secret.value, who).then(
      () => undefined,
      (err: unknown) => {
        submit.disabled = false;
        status(msg, err instanceof Error ? err.message : String(err), 'error');
        secret.select();
      },
    );
  });
  queueMicrotask(() => name.focus());
  return h('div', { class: 'narrow' }, form);
}
