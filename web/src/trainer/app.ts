// The trainer console's entry point: the page shell, sign-in state and the hash router
// (#/exercises, #/exercises/ID/TAB, #/replay). The token never appears in a URL.
import './trainer.css';
import './run.css';
import './phone.css';
import { Session, signInView } from './auth.js';
import { h, fill } from './dom.js';
import { exercisePage, TABS, type ExercisePage, type Tab } from './exercise-page.js';
import { exercisesView } from './exercises.js';
import { fileReplayView } from './replay-screens.js';
import { zuluTime } from './format.js';
import type { View } from './view.js';

const session = new Session();
const api = session.api();
const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;

let current: View | undefined;
let page: ExercisePage | undefined;
let generation = 0;

function mount(view: View, title: string): void {
  if (current !== view) current?.destroy?.();
  if (page !== view) page = undefined;
  current = view;
  fill(main, view.el);
  document.title = `${title} · Hotline trainer`;
  main.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

function renderChrome(signedIn: boolean): void {
  nav.hidden = !signedIn;
  if (!signedIn) return fill(who, '');
  const signOut = h('button', { type: 'button', class: 'ghost' }, 'Sign out');
  signOut.addEventListener('click', () => session.signOut());
  const until = session.expiresAt;
  fill(
    who,
    h('span', { class: 'trainer-name', title: 'Your name as the log records it' }, session.name ?? 'Trainer'),
    h('span', { class: 'muted' }, until ? ` · session until ${zuluTime(until)}` : ''),
    ' ',
    signOut,
  );
  const hash = location.hash;
  for (const a of nav.querySelectorAll('a')) {
    const active = (a.getAttribute('href') === '#/replay') === hash.startsWith('#/replay');
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route(): Promise<void> {
  const gen = ++generation;
  const signedIn = session.token !== undefined;
  renderChrome(signedIn);
  if (!signedIn) {
    page?.destroy?.();
    page = undefined;
    return mount({ el: signInView(session) }, 'Sign in');
  }
  const hash = location.hash || '#/exercises';
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'replay') return mount(fileReplayView(), 'Replay a file');
  if (parts[0] === 'exercises' && parts[1]) {
    const tab = (TABS.some(([t]) => t === parts[2]) ? parts[2] : 'live') as Tab;
    if (page?.id !== parts[1]) {
      current?.destroy?.();
      current = undefined;
      fill(main, h('p', { class: 'muted', role: 'status' }, 'Loading the exercise…'));
      let loaded: ExercisePage;
      try {
        loaded = await exercisePage(api, session, parts[1]);
      } catch (err) {
        if (gen !== generation) return;
        return mount(
          {
            el: h(
              'div',
              {},
              h('h1', { tabindex: -1 }, 'Exercise not available'),
              h('p', { role: 'alert' }, (err as Error).message),
              h('p', {}, h('a', { href: '#/exercises' }, 'Back to the exercises')),
            ),
          },
          'Error',
        );
      }
      if (gen !== generation) return loaded.destroy?.();
      mount(loaded, loaded.id);
      page = loaded;
    }
    page.show(tab);
    return;
  }
  mount(exercisesView(api), 'Exercises');
}

window.addEventListener('hashchange', () => {
  // In-page anchors (the skip link) are not routes.
  if (location.hash.startsWith('#/') || location.hash === '') void route();
});
session.onChange(() => void route());
// The header shows the session's expiry, which a renewal moves; the page itself stays as it is.
session.onRenewed(() => renderChrome(true));
document.getElementById('skip')?.addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
});
void route();
