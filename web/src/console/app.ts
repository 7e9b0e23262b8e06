// Boot of the operator console: an enrolment link (#code=, maybe with &role=translator) always leads to
// enrolment; otherwise the console remembered as active in this browser is opened from IndexedDB; failing
// that, enrolment.
import { HotlineClient, type ClientOptions } from '../../../client/client.js';
import type { SocketLike } from '../../../client/connection.js';
import { Announcer, byId, h, replaceChildren } from '../common/dom.js';
import { brand, languageButton } from './banner.js';
import { ConsoleScreen } from './console-screen.js';
import { EnrolmentScreen, takeCodeFromFragment, type KnownConsole, type LinkCode } from './enrolment.js';
import { browserLang, lang, setLang, t } from './i18n.js';
import { SlotStorage, activeSlot, enrolledSlots, prefs, setActiveSlot } from './slots.js';

/** The browser's WebSocket; the backoff is short because a hotline console must come back quickly. */
const CLIENT: Omit<ClientOptions, 'storage'> = {
  socket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
  backoff: { baseMs: 250, maxMs: 4_000 },
};

let announcer: Announcer;

export async function boot(): Promise<void> {
  announcer = new Announcer();
  const link = takeCodeFromFragment();
  const active = activeSlot();
  if (link === undefined && active !== undefined) {
    const client = await openSlot(active);
    if (client) return showConsole(client, active);
    setActiveSlot(undefined);
  }
  await showEnrolment(link);
}

async function openSlot(slot: string): Promise<HotlineClient | undefined> {
  try {
    return await HotlineClient.open({ ...CLIENT, storage: new SlotStorage(slot) });
  } catch {
    return undefined;
  }
}

async function knownConsoles(): Promise<KnownConsole[]> {
  const out: KnownConsole[] = [];
  for (const slot of await enrolledSlots()) {
    const state = await new SlotStorage(slot).load().catch(() => undefined);
    if (state) out.push({ slot, state });
  }
  return out;
}

async function showEnrolment(link: LinkCode | undefined): Promise<void> {
  setLang(prefs.lang() ?? browserLang());
  const screen = new EnrolmentScreen({
    code: link?.code,
    ...(link?.role ? { role: link.role } : {}),
    known: await knownConsoles(),
    client: CLIENT,
    onEnrolled: (client, slot) => {
      setActiveSlot(slot);
      showConsole(client, slot);
    },
    onOpen: (slot) => {
      void openSlot(slot).then((client) => {
        if (!client) return;
        setActiveSlot(slot);
        showConsole(client, slot);
      });
    },
  });
  const relabel = () => {
    document.title = t('enrolTitle');
    setSkipLink();
    const switcher = languageButton(() => {
      setLang(lang() === 'zh' ? 'en' : 'zh');
      prefs.setLang(undefined, lang());
      relabel();
      screen.render();
      byId('topbar').querySelector<HTMLButtonElement>('[data-testid="lang-switch"]')?.focus();
    });
    replaceChildren(byId('topbar'), brand(), h('div', { class: 'tools' }, switcher));
  };
  relabel();
  byId('classification').hidden = true;
  replaceChildren(byId('main'), screen.element);
  screen.render();
  screen.focus();
}

function showConsole(client: HotlineClient, slot: string): void {
  const screen = new ConsoleScreen(client, slot, announcer, {
    enrolAgain: () => {
      // Leave once the console's state is saved: the next page reads the same IndexedDB.
      void client.stop().finally(() => {
        setActiveSlot(undefined);
        location.assign('/console');
      });
    },
    relabelPage: () => setSkipLink(),
  });
  screen.mount(byId('main'));
}

function setSkipLink(): void {
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('skipToMain');
}
