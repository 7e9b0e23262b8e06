// The operator console once enrolled: wires the HotlineClient's events to the banner (status-strip.ts, with
// the exercise clock), alarms, traffic, compose and calls panels; runs the one-second tick (clock, countdowns, alarm
// tone); handles language and sound switches and the keyboard shortcuts. Announcements are notices.ts's,
// acknowledgements acknowledger.ts's, the line's procedures line-view.ts's. A translator's console has no
// compose form and acknowledges nothing: it translates.
import type { HotlineClient } from '../../../client/client.js';
import type { Lang } from '../../../shared/items.js';
import { h, replaceChildren, type Announcer } from '../common/dom.js';
import { Acknowledger } from './acknowledger.js';
import { Alarms, awaitingAck, precedenceAlarms } from './alarms.js';
import { Compose, type Draft } from './compose.js';
import { errorText, lang, setLang, stationShort, t } from './i18n.js';
import { KeyboardHelp, installShortcuts } from './keyboard.js';
import { LineView } from './line-view.js';
import { Notices } from './notices.js';
import { prefs } from './slots.js';
import { Siren } from './sound.js';
import { StatusStrip } from './status-strip.js';
import { Traffic } from './traffic.js';

export interface ScreenHooks {
  enrolAgain(): void;
  relabelPage(): void;
}

const BEEP_EVERY_S = 4;

export class ConsoleScreen {
  readonly #siren = new Siren(prefs.sound());
  readonly #strip: StatusStrip;
  readonly #traffic: Traffic;
  readonly #compose: Compose;
  readonly #alarms: Alarms;
  readonly #help: KeyboardHelp;
  readonly #composeJump = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'compose-jump' });
  readonly #notices: Notices;
  readonly #ack: Acknowledger;
  readonly #line: LineView;
  readonly #translator: boolean;
  // Focusable: on a desk it scrolls on its own, and after ENDEX nothing in it may take the keyboard.
  readonly #side = h('div', { class: 'console-side', role: 'region', tabindex: '0', 'data-testid': 'side' });
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
    this.#translator = client.role === 'translator';
    this.#help = new KeyboardHelp(this.#translator);
    this.#line = new LineView(client, slot, announcer, {
      render: () => this.#schedule(),
      showCall: (card) => this.#focusCard(card),
      live: () => this.#notices.live,
    });
    this.#strip = new StatusStrip(
      client,
      this.#siren,
      announcer,
      { switchLanguage: () => this.switchLanguage(), live: () => this.#notices.live },
      [this.#line.health.element],
    );
    this.#traffic = new Traffic(
      id.exercise,
      { acknowledge: (mid) => void this.acknowledge(mid) },
      this.#line.translations,
      this.#translator,
    );
    this.#alarms = new Alarms(id.exercise, client.chain.clock, {
      show: (mid) => this.#showCard(mid),
      enrolAgain: () => this.hooks.enrolAgain(),
    });
    this.#compose = new Compose((draft) => this.#send(draft));
    if (this.#translator) this.#compose.translatorOnly();
    this.#notices = new Notices(client, announcer, this.#siren);
    this.#ack = new Acknowledger(client, announcer, {
      card: (mid) => this.#traffic.card(mid),
      render: () => this.#render(),
    });
  }

  acknowledge(id: string): Promise<void> {
    return this.#ack.acknowledge(id);
  }

  mount(root: HTMLElement): void {
    root.before(this.#strip.linkLossElement);
    this.#composeJump.addEventListener('click', () => this.#compose.focus());
    this.#alarms.element.append(this.#line.alarms.links, this.#line.alarms.calls);
    replaceChildren(this.#side, this.#compose.element, this.#line.calls.element, this.#help.element);
    replaceChildren(
      root,
      h(
        'div',
        { class: 'console', 'data-testid': 'console', 'data-role': this.client.role },
        this.#alarms.element,
        h('div', { class: 'console-main' }, this.#traffic.element, this.#side),
        // Narrow screens only (console.css): the form is below all traffic there, this keeps it one tap away.
        this.#translator ? null : h('div', { class: 'compose-jump' }, this.#composeJump),
      ),
    );
    this.#relabel();
    this.#wire();
    installShortcuts({
      acknowledge: () => (this.#translator ? undefined : void this.#ack.focusedOrMostUrgent()),
      compose: () => (this.#translator ? undefined : this.#compose.focus()),
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
      this.#notices.message(view);
      this.#schedule();
    });
    c.on('inject', (view) => {
      this.#notices.inject(view);
      this.#schedule();
    });
    c.on('exercise', (status) => {
      this.#notices.exercise(status);
      this.#schedule();
    });
    c.on('entry', () => this.#schedule());
    c.on('line', () => this.#schedule());
    c.on('presence', () => this.#schedule());
    c.on('link', (link) => this.#strip.link(link));
    c.on('caughtUp', () => {
      this.#notices.caughtUp();
      this.#line.caughtUp();
      this.#schedule();
    });
    c.on('alarm', (alarm) => {
      // A fault in an entry stops the client applying the log (TRUNCATED only warns).
      if (alarm.idx !== undefined && alarm.code !== 'TRUNCATED') this.#strip.halt();
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
    const items = this.client.traffic();
    const closed = this.client.lineClosed;
    const queued = (id: string) => this.#ack.queued(id);
    const none = { translation: undefined, queued: false };
    this.#traffic.render(items, (id) => {
      const view = this.client.conversation.messages.get(id);
      return { ackQueued: queued(id), closed, translation: view ? this.#line.translationOf(view) : none };
    });
    const deadlines = this.client.chain.clock.deadlines;
    // A translator acknowledges nothing: no deadline is its to meet.
    this.#alarms.update(this.#translator ? [] : precedenceAlarms(items, queued, closed, deadlines));
    this.#line.update();
    this.#compose.showDeadlines(deadlines);
    if (closed) this.#compose.closeLine();
    this.#strip.update();
  }

  #tick(): void {
    this.#ticks += 1;
    this.#strip.update();
    this.#alarms.tick();
    this.#line.tick();
    const loud = this.#alarms.active.find((a) => !a.ackQueued);
    if (loud && this.#ticks % BEEP_EVERY_S === 0) this.#siren.beep(loud.item.view.precedence);
  }

  switchLanguage(): void {
    const next: Lang = lang() === 'zh' ? 'en' : 'zh';
    setLang(next);
    prefs.setLang(this.slot, next);
    this.#relabel();
  }

  #relabel(): void {
    document.title = `${t('appTitle')} · ${stationShort(this.client.identity.exercise, this.client.identity.station)}`;
    this.#strip.relabel();
    this.#traffic.relabel();
    this.#compose.relabel();
    this.#alarms.relabel();
    this.#help.relabel();
    this.#line.relabel();
    this.#side.setAttribute('aria-label', t('sideColumn'));
    this.#composeJump.textContent = t('composeJump');
    this.hooks.relabelPage();
    this.#render();
  }

  async #send(draft: Draft): Promise<void> {
    await this.client.send(draft);
    this.announcer.say(this.client.link.state === 'open' ? t('announceQueued') : t('queuedOffline'));
    this.#render();
  }

  #showCard(id: string): void {
    const card = this.#traffic.card(id);
    if (card) this.#focusCard(card);
  }

  #focusCard(card: HTMLElement): void {
    card.scrollIntoView({ block: 'center' });
    card.focus({ preventScroll: true });
  }

  #focusTraffic(): void {
    const waiting = awaitingAck(this.client.traffic());
    const first = waiting[0] ? this.#traffic.card(waiting[0].view.id) : undefined;
    (first ?? this.#traffic.element.querySelector<HTMLElement>('li.msg:last-child') ?? this.#traffic.element).focus();
  }
}
