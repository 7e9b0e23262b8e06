// The replay player's keyboard: Space play/pause, arrows seek (Shift: previous/next event), + and - change
// speed, Home/End, I toggles idle skipping, D opens or closes the side drawer. Keys typed into a form field
// stay there, and Space on a focused button presses that button.
import { h } from './dom.js';

export const STEP_MS = 10_000;

export interface PlayerActions {
  togglePlay(): void;
  /** Seeks by `ms` of log time (negative: back). */
  seekBy(ms: number): void;
  jumpEvent(dir: 1 | -1): void;
  speed(delta: 1 | -1): void;
  home(): void;
  end(): void;
  toggleIdle(): void;
  toggleDrawer(): void;
}

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Space', 'play / pause'],
  ['← / →', `seek ${STEP_MS / 1000} s back / forward`],
  ['Shift + ← / →', 'previous / next event'],
  ['+ / −', 'faster / slower (1x to 64x)'],
  ['Home / End', 'start / end of the log'],
  ['I', 'collapse idle stretches on / off'],
  ['D', 'show / hide the details drawer'],
];

export function shortcutsHelp(): HTMLElement {
  return h(
    'details',
    { class: 'shortcuts' },
    h('summary', {}, 'Keyboard shortcuts'),
    h('dl', {}, ...SHORTCUTS.flatMap(([k, v]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, v)])),
  );
}

/** Listens on the document while `el` is in the page; returns the function that stops listening. */
export function playerKeys(el: HTMLElement, a: PlayerActions): () => void {
  const onKey = (ev: KeyboardEvent) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !el.isConnected) return;
    const target = ev.target as HTMLElement | null;
    const tag = target?.tagName;
    const typing =
      tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && (target as HTMLInputElement).type !== 'range');
    if (typing) return;
    if (ev.key === ' ' && tag === 'BUTTON') return; // Space presses the focused button.
    switch (ev.key) {
      case ' ':
        a.togglePlay();
        break;
      case 'ArrowLeft':
        if (ev.shiftKey) a.jumpEvent(-1);
        else a.seekBy(-STEP_MS);
        break;
      case 'ArrowRight':
        if (ev.shiftKey) a.jumpEvent(1);
        else a.seekBy(STEP_MS);
        break;
      case '+':
      case '=':
        a.speed(1);
        break;
      case '-':
      case '_':
        a.speed(-1);
        break;
      case 'Home':
        a.home();
        break;
      case 'End':
        a.end();
        break;
      case 'i':
      case 'I':
        a.toggleIdle();
        break;
      case 'd':
      case 'D':
        a.toggleDrawer();
        break;
      default:
        return;
    }
    ev.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
