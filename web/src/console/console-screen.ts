// The operator console once enrolled: wires the HotlineClient's events to the banner, alarms, traffic
// and compose panels; announces news through the live regions; runs the one-second tick (countdowns,
// alarm tone); handles acknowledgement, language and sound switches, and the keyboard shortcuts.
import type { HotlineClient } from '../../../client/client.js';
import type { LinkState } from '../../../client/connection.js';
import type { MessageView } from '../../../client/conversation.js';
import type { Lang } from '../../../shared/items.js';
import { interrupts } from '../../../shared/precedence.js';
import { h, replaceChildren, type Announcer } from '../common/dom.js';
import { Alarms, awaitingAck, precedenceAlarms } from './alarms.js';
import { Banner, type Status } from './banner.js';
import { Compose, type Draft } from './compose.js';
import { errorText, lang, precedenceLabel, setLang, stationShort, t } from './i18n.js';
import { KeyboardHelp, installShortcuts } from './keyboard.js';
import { prefs } from './slots.js';
import { Siren } from './sound.js';
import { Traffic } from './traffic.js';

export interface ScreenHooks {
  enrolAgain(): void;
  relabelPage(): void;
}

const BEEP_EVERY_S = 4;

export class ConsoleScreen {
  readonly #siren = new Siren(prefs.sound());
  readonly #banner: Banner;
  readonly #traffic: Traffic;
  readonly #compose: Compose;
  readonly #alarms: Alarms;
  readonly #help = new KeyboardHelp();
  #caughtUp = false;
  #halted = false;
  #lastLink: LinkState['state'] = 'offline';
  #lostLink = false;
  readonly #announced = new Set<string>();
  readonly #acking = new Set<string>();
  #scheduled = false;
  #ticks = 0;

  constructor(
    private readonly client: HotlineClient,
    private readonly slot: string,
    private readonly announcer: Announcer,
    private readonly hooks: ScreenHooks,
  ) {
    const id = client.identity;
    const me = id.exercise.stations.find((s) => s.id === id.station);
    setLang(prefs.lang(slot) ?? me?.lang ?? 'en');
    this.#banner = new Banner(id, {
      switchLanguage: () => this.switchLanguage(),
      toggleSound: () => this.#toggleSound(),
      retryNow: () => this.#retry(),
    });
    this.#traffic = new Traffic(id.exercise, { acknowledge: (mid) => void this.acknowledge(mid) });
    this.#alarms = new Alarms(id.exercise, {
      acknowledge: (mid) => void this.acknowledge(mid),
      enrolAgain: () => this.hooks.enrolAgain(),
    });
    this.#compose = new Compose((draft) => this.#send(draft));
  }

  mount(root: HTMLElement): void {
    replaceChildren(
      root,
      h(
        'div',
        { class: 'console', 'data-testid': 'console' },
        this.#alarms.element,
        h(
          'div',
          { class: 'console-main' },
          this.#traffic.element,
          h('div', { class: 'console-side' }, this.#compose.element, this.#help.element),
        ),
      ),
    );
    this.#relabel();
    this.#wire();
    installShortcuts({
      acknowledge: () => void this.acknowledgeFocusedOrMostUrgent(),
      compose: () => this.#compose.focus(),
      traffic: () => this.#focusTraffic(),
      switchLanguage: () => this.switchLanguage(),
    });
    setInterval(() => this.#tick(), 1000);
    addEventListener('pagehide', () => void this.client.stop());
    addEventListener('pageshow', (ev) => {
      if (ev.persisted) this.client.start(); // back from the back-forward cache
    });
    this.client.start();
    document.getElementById('station-title')?.focus();
  }

  #wire(): void {
    const c = this.client;
    c.on('message', (view) => {
      this.#noticeMessage(view);
      this.#schedule();
    });
    c.on('entry', () => this.#schedule());
    c.on('presence', () => this.#schedule());
    c.on('link', (link) => this.#onLink(link));
    c.on('caughtUp', () => {
      this.#caughtUp = true;
      for (const v of c.messages()) this.#announced.add(noticeKey(v));
      const waiting = awaitingAck(c.messages()).length;
      if (waiting > 0) this.announcer.say(`${t('awaitingAck')}: ${waiting}`);
      this.#schedule();
    });
    c.on('alarm', (alarm) => {
      // A fault in an entry stops the client applying the log (TRUNCATED only warns).
      if (alarm.idx !== undefined && alarm.code !== 'TRUNCATED') this.#halted = true;
      if (this.#alarms.failure(alarm))
        this.announcer.say(
          `${t(alarm.code === 'SEQ_CONFLICT' ? 'seqAlarm' : 'verificationFailure')}: ${alarm.code}. ${errorText(alarm.code)}`,
          true,
        );
      this.#schedule();
    });
    c.on('fatal', (err) => {
      this.#alarms.fatal(err.code, err.message);
      this.announcer.say(`${t('fatal')}: ${errorText(err.code)}`, true);
      this.#schedule();
    });
  }

  /** Announces what is new since the log was caught up: incoming messages, the peer's acknowledgements. */
  #noticeMessage(view: MessageView): void {
    const key = noticeKey(view);
    if (!this.#caughtUp || this.#announced.has(key)) return;
    this.#announced.add(key);
    const ex = this.client.identity.exercise;
    if (view.direction === 'in' && view.kid !== undefined && !view.states.acknowledged) {
      const urgent = interrupts(view.precedence);
      this.announcer.say(
        t('announceIncoming', {
          prec: precedenceLabel(view.precedence),
          station: stationShort(ex, view.from),
          subject: view.subject ?? '',
        }),
        urgent,
      );
      if (urgent) this.#siren.beep(view.precedence);
    } else if (view.direction === 'out' && view.states.acknowledged) {
      this.announcer.say(t('announceAcked', { station: stationShort(ex, view.to), subject: view.subject ?? '' }));
    }
  }

  #onLink(link: LinkState): void {
    if (this.#lastLink === 'open' && link.state === 'reconnecting') {
      this.#lostLink = true;
      this.announcer.say(t('announceLinkLost'));
    }
    if (link.state === 'open' && this.#lostLink) {
      this.#lostLink = false;
      this.announcer.say(t('announceLinkBack'));
    }
    this.#lastLink = link.state;
    this.#banner.update(this.#status());
  }

  #status(): Status {
    const c = this.client;
    return {
      link: c.link,
      peerOnline: c.peerOnline,
      verifiedEntries: c.lastIdx + 1,
      caughtUp: this.#caughtUp,
      halted: this.#halted,
      outbox: c.outbox.items.length,
      sound: this.#siren.enabled,
    };
  }

  /** Coalesces bursts of events (a replay applies hundreds of entries) into one render. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.#render();
    }, 0);
  }

  #render(): void {
    const views = this.client.messages();
    this.#traffic.render(views, (v) => ({ ackQueued: this.#ackQueued(v.id) }));
    this.#alarms.update(precedenceAlarms(views, (id) => this.#ackQueued(id)));
    this.#banner.update(this.#status());
  }

  #tick(): void {
    this.#ticks += 1;
    this.#banner.update(this.#status());
    this.#alarms.tick();
    const loud = this.#alarms.active.find((a) => !a.ackQueued);
    if (loud && this.#ticks % BEEP_EVERY_S === 0) this.#siren.beep(loud.view.precedence);
  }

  /** An acknowledgement is on its way: signed and in the outbox, or already sent from this page. */
  #ackQueued(id: string): boolean {
    return (
      this.#acking.has(id) ||
      this.client.outbox.items.some(
        (i) => i.payload.type === 'receipt' && i.payload.kind === 'acknowledged' && i.payload.ref === id,
      )
    );
  }

  async acknowledge(id: string): Promise<void> {
    const view = this.client.conversation.messages.get(id);
    if (!view || view.direction !== 'in' || view.states.acknowledged || this.#ackQueued(id)) return;
    const focusWasHere =
      this.#traffic.card(id)?.contains(document.activeElement) ||
      document.activeElement?.closest(`[data-alarm-id="${id}"]`) !== null;
    this.#acking.add(id);
    try {
      await this.client.acknowledge(id);
      this.announcer.say(
        t('announceYouAcked', {
          prec: precedenceLabel(view.precedence),
          station: stationShort(this.client.identity.exercise, view.from),
        }),
      );
    } catch (err) {
      this.#acking.delete(id);
      this.announcer.say((err as Error).message, true);
    }
    this.#render();
    if (focusWasHere) this.#traffic.card(id)?.focus();
  }

  /** Alt+A: the message the keyboard is on, if it awaits acknowledgement; else the most urgent one. */
  async acknowledgeFocusedOrMostUrgent(): Promise<void> {
    const waiting = awaitingAck(this.client.messages()).filter((v) => !this.#ackQueued(v.id));
    const active = document.activeElement;
    const focusedId =
      active?.closest<HTMLElement>('[data-alarm-id]')?.dataset['alarmId'] ??
      active?.closest<HTMLElement>('li.msg[data-id]')?.dataset['id'];
    const target = waiting.find((v) => v.id === focusedId) ?? waiting[0];
    if (!target) return this.announcer.say(t('announceNothingToAck'));
    await this.acknowledge(target.id);
  }

  switchLanguage(): void {
    const next: Lang = lang() === 'zh' ? 'en' : 'zh';
    setLang(next);
    prefs.setLang(this.slot, next);
    this.#relabel();
  }

  #relabel(): void {
    document.title = `${t('appTitle')} · ${stationShort(this.client.identity.exercise, this.client.identity.station)}`;
    this.#banner.render(this.#status());
    this.#traffic.relabel();
    this.#compose.relabel();
    this.#alarms.relabel();
    this.#help.relabel();
    this.hooks.relabelPage();
    this.#render();
  }

  #toggleSound(): void {
    this.#siren.enabled = !this.#siren.enabled;
    prefs.setSound(this.#siren.enabled);
    this.#banner.update(this.#status());
  }

  #retry(): void {
    void this.client.stop();
    this.client.start();
  }

  async #send(draft: Draft): Promise<void> {
    await this.client.send(draft);
    this.announcer.say(this.client.link.state === 'open' ? t('announceQueued') : t('queuedOffline'));
    this.#render();
  }

  #focusTraffic(): void {
    const views = awaitingAck(this.client.messages());
    const first = views[0] ? this.#traffic.card(views[0].id) : undefined;
    (first ?? this.#traffic.element.querySelector<HTMLElement>('li.msg:last-child') ?? this.#traffic.element).focus();
  }
}

/** One announcement per message and per noteworthy state. */
function noticeKey(view: MessageView): string {
  return `${view.id}:${view.direction === 'out' && view.states.acknowledged ? 'acked' : 'seen'}`;
}
