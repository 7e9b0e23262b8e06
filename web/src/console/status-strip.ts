// The console's status as the banner shows it (link, peer, verified entries, catching up, halted, outbox,
// sound, exercise clock) and the link-loss banner above the page. One place reads it all from the client, so
// an event, the one-second tick and a relabel show the same picture; the banner's own buttons (sound, retry)
// act here too.
import type { HotlineClient } from '../../../client/client.js';
import type { LinkState } from '../../../client/connection.js';
import type { Announcer } from '../common/dom.js';
import { Banner, type Status } from './banner.js';
import { t } from './i18n.js';
import { LinkLoss } from './link-banner.js';
import { prefs } from './slots.js';
import type { Siren } from './sound.js';

export interface StatusStripHooks {
  switchLanguage(): void;
  /** Whether the console has caught up with the log (notices.ts): before, the banner says it is catching up. */
  live(): boolean;
}

export class StatusStrip {
  readonly #banner: Banner;
  readonly #linkLoss = new LinkLoss();
  #halted = false;

  /** `extra`: status groups kept at the end of the banner's strip (they update themselves). */
  constructor(
    private readonly client: HotlineClient,
    private readonly siren: Siren,
    private readonly announcer: Announcer,
    private readonly hooks: StatusStripHooks,
    extra: HTMLElement[],
  ) {
    this.#banner = new Banner(
      client.identity,
      {
        switchLanguage: () => hooks.switchLanguage(),
        toggleSound: () => this.#toggleSound(),
        retryNow: () => this.#retry(),
      },
      extra,
    );
  }

  /** The link-loss banner, placed above the console. */
  get linkLossElement(): HTMLElement {
    return this.#linkLoss.banner.element;
  }

  /** A fault in an entry: the client applies nothing more of the log, and the banner says so. */
  halt(): void {
    this.#halted = true;
  }

  update(): void {
    this.#banner.update(this.#status());
    this.#showLink();
  }

  /** Draws the banner afresh, in the current language. */
  relabel(): void {
    this.#banner.render(this.#status());
  }

  link(link: LinkState): void {
    const said = this.#linkLoss.observe(link);
    if (said) this.announcer.say(t(said));
    this.update();
  }

  #showLink(): void {
    this.#linkLoss.show(this.client.outbox.items);
  }

  #status(): Status {
    const c = this.client;
    const now = Date.now();
    return {
      link: c.link,
      peerOnline: c.peerOnline,
      verifiedEntries: c.lastIdx + 1,
      caughtUp: this.hooks.live(),
      halted: this.#halted,
      outbox: c.outbox.items.length,
      sound: this.siren.enabled,
      clock: { exercise: c.exercise, exerciseMs: c.exerciseTime(now), now },
    };
  }

  #toggleSound(): void {
    this.siren.enabled = !this.siren.enabled;
    prefs.setSound(this.siren.enabled);
    this.#banner.update(this.#status());
  }

  #retry(): void {
    void this.client.stop();
    this.client.start();
  }
}
