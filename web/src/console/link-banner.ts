// The lost-link banner: full width under the status strip, impossible to miss, while the link is down. It
// says since when (the moment the link was lost, UTC) and what this console holds back meanwhile (messages
// and receipts in its outbox), so no one believes a message sent now has reached the other station. The
// status strip's link chip stays as the detail (countdown, attempt, Retry now). LinkLoss puts the banner,
// its clock and the lost/restored announcements together for the screen.
import type { LinkState } from '../../../client/connection.js';
import type { OutboxItem } from '../../../client/storage.js';
import { h, replaceChildren } from '../common/dom.js';
import { utcTime } from '../common/format.js';
import { t, type Key } from './i18n.js';

export interface LinkDown {
  /** When the link was lost (ms), or undefined while it is up. */
  since: number | undefined;
  outbox: readonly OutboxItem[];
}

/** Tracks when the link went down: on leaving `open`, or on the first failed attempt if it never opened. */
export class LinkWatch {
  #since: number | undefined;
  #wasOpen = false;

  /** Call on every link change; returns the time the link went down, if it is down. */
  observe(link: LinkState, now = Date.now()): number | undefined {
    if (link.state === 'open') {
      this.#since = undefined;
      this.#wasOpen = true;
    } else if (this.#since === undefined && (this.#wasOpen || link.state === 'reconnecting')) {
      // A first connection still being made is not a lost link; a failed one, or a lost one, is.
      this.#since = now;
      this.#wasOpen = false;
    }
    return this.#since;
  }

  get since(): number | undefined {
    return this.#since;
  }
}

export class LinkBanner {
  readonly element = h('div', {
    class: 'link-down',
    role: 'alert',
    'data-testid': 'link-down',
    hidden: true,
  });
  #key = '';

  update(s: LinkDown): void {
    const messages = s.outbox.filter((i) => 'body' in i.payload).length;
    const key = s.since === undefined ? '' : JSON.stringify([s.since, messages, s.outbox.length, t('linkDownTitle')]);
    if (key === this.#key) return;
    this.#key = key;
    this.element.hidden = s.since === undefined;
    if (s.since === undefined) return replaceChildren(this.element);
    this.element.dataset['held'] = String(s.outbox.length);
    replaceChildren(
      this.element,
      h('span', { class: 'link-down-icon', 'aria-hidden': 'true' }, '⚠'),
      h(
        'div',
        { class: 'link-down-text' },
        h('p', { class: 'link-down-title' }, t('linkDownTitle', { since: utcTime(s.since) })),
        h(
          'p',
          { class: 'link-down-held', 'data-testid': 'link-down-held' },
          t('linkDownHeld', { m: messages, r: s.outbox.length - messages }),
        ),
      ),
    );
  }
}

/** The banner with its clock, and what to announce when the link is lost or comes back. */
export class LinkLoss {
  readonly banner = new LinkBanner();
  readonly #watch = new LinkWatch();
  #last: LinkState['state'] = 'offline';
  #lost = false;

  /** Follows a link change; returns what to announce, if anything. */
  observe(link: LinkState): Key | undefined {
    let say: Key | undefined;
    if (this.#last === 'open' && link.state === 'reconnecting') {
      this.#lost = true;
      say = 'announceLinkLost';
    }
    if (link.state === 'open' && this.#lost) {
      this.#lost = false;
      say = 'announceLinkBack';
    }
    this.#last = link.state;
    this.#watch.observe(link);
    return say;
  }

  show(outbox: readonly OutboxItem[]): void {
    this.banner.update({ since: this.#watch.since, outbox });
  }
}
