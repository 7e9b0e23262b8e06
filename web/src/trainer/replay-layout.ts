// The player's layout: the two consoles first, filling the viewport below the scrubber (each console scrolls
// inside itself; under a tall page header the player takes the whole viewport), and beside them a drawer for everything else (the verification statement, the alarms
// standing, the event list, the legend), which the trainer can close to give the consoles the whole width.
// On a narrow screen the drawer goes below the consoles and the page scrolls as usual.
import { h } from './dom.js';

/** Wide enough for two consoles side by side, with or without the drawer. */
const WIDE = '(min-width: 1000px)';
/** The consoles are never squeezed below this height (px): a short window scrolls instead. */
const MIN_HEIGHT = 280;
/** Below this (px) the consoles would be cramped under the page above the player: the player fills the view. */
const COMFORTABLE = 320;
const BOTTOM_GAP = 12;

export interface ReplayLayout {
  /** The consoles and the drawer. */
  body: HTMLElement;
  /** The button that opens and closes the drawer (the player puts it in its toolbar). */
  toggle: HTMLButtonElement;
  setOpen(open: boolean): void;
  readonly open: boolean;
  /** Sizes the consoles to the viewport; called after every layout change above them. */
  fit(): void;
  destroy(): void;
}

export function replayLayout(consoles: HTMLElement, drawerContent: readonly Node[]): ReplayLayout {
  const drawer = h(
    'aside',
    { class: 'replay-drawer', id: 'replay-drawer', 'aria-label': 'Replay details' },
    ...drawerContent,
  );
  const toggle = h('button', {
    type: 'button',
    class: 'drawer-toggle',
    'aria-controls': 'replay-drawer',
    'aria-keyshortcuts': 'D',
  });
  const body = h('div', { class: 'player-body' }, consoles, drawer);
  const wide = window.matchMedia(WIDE);
  let open = true;

  const setOpen = (on: boolean) => {
    open = on;
    drawer.hidden = !on;
    body.classList.toggle('drawer-closed', !on);
    toggle.setAttribute('aria-expanded', String(on));
    toggle.textContent = on ? 'Hide details ▸' : '◂ Details';
  };

  let shown = '';
  let placed = false;
  const fit = () => {
    if (!body.isConnected) return;
    let height = '';
    if (wide.matches) {
      const player = body.closest('.player') ?? body;
      const bodyTop = body.getBoundingClientRect().top + window.scrollY;
      const playerTop = player.getBoundingClientRect().top + window.scrollY;
      const below = window.innerHeight - bodyTop - BOTTOM_GAP;
      // Where the page above leaves too little room (a window shorter than 800 px under an exercise's header
      // and run bar), the player takes the whole viewport and is brought into view once, as it opens, unless
      // the trainer scrolled.
      const fill = below < COMFORTABLE;
      height = `${Math.floor(Math.max(MIN_HEIGHT, fill ? window.innerHeight - (bodyTop - playerTop) - 2 * BOTTOM_GAP : below))}px`;
      if (fill && !placed && window.scrollY === 0) window.scrollTo({ top: playerTop - BOTTOM_GAP });
    }
    placed = true;
    // Only a change is written: the observer below sees every write, and an equal one must end the loop.
    if (height === shown) return;
    shown = height;
    body.style.height = height;
  };
  // The page above the player can change height (a status line, the drawer's heading wrapping): refit.
  const observer = new ResizeObserver(() => fit());
  observer.observe(document.body);
  window.addEventListener('resize', fit);
  wide.addEventListener('change', fit);
  toggle.addEventListener('click', () => setOpen(!open));
  setOpen(wide.matches);

  return {
    body,
    toggle,
    setOpen,
    get open() {
      return open;
    },
    fit,
    destroy() {
      observer.disconnect();
      window.removeEventListener('resize', fit);
      wide.removeEventListener('change', fit);
    },
  };
}
