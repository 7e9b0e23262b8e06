// The line's procedures at the operator console, put together for the screen: the calls panel, the link
// health in the status strip, the missed-test and call alarms, the translation parts of the message cards,
// and what is announced. Everything reads the client's LineBook (the verifier's: the log's own state); the
// actions sign through the client's outbox. A translator's console reads calls but acts on none.
import type { HotlineClient, ItemRefusal } from '../../../client/client.js';
import type { MessageView } from '../../../client/conversation.js';
import { HotlineError } from '../../../shared/errors.js';
import type { Announcer } from '../common/dom.js';
import { CallsPanel } from './calls-panel.js';
import { refusalText, t } from './i18n.js';
import { LineAlarms } from './line-alarms.js';
import { LineNotices } from './line-notices.js';
import { LinkHealth } from './link-health.js';
import { prefs } from './slots.js';
import { TranslationParts, type TranslationContext } from './translation-part.js';

export interface LineHooks {
  /** Redraw the screen (after an action signed something). */
  render(): void;
  /** Bring a call's card into view with the keyboard on it. */
  showCall(card: HTMLElement): void;
  /** Whether the console has caught up with the log. */
  live(): boolean;
}

export class LineView {
  readonly calls: CallsPanel;
  readonly alarms: LineAlarms;
  readonly health: LinkHealth;
  readonly translations: TranslationParts;
  readonly #notices: LineNotices;
  #cleared: Record<string, number>;

  constructor(
    private readonly client: HotlineClient,
    private readonly slot: string,
    private readonly announcer: Announcer,
    private readonly hooks: LineHooks,
  ) {
    const ex = client.identity.exercise;
    const operator = client.role !== 'translator';
    this.#cleared = prefs.linkCleared(slot);
    this.calls = new CallsPanel(ex, client.station, operator, {
      request: async (draft) => {
        const id = await client.requestCall(draft);
        hooks.render();
        return id;
      },
      answer: async (id, reply) => {
        await client.answerCall(id, reply);
        announcer.say(t('callAnswerQueued'));
        hooks.render();
      },
      answerInFlight: (id) => client.lineInFlight(id),
    });
    this.alarms = new LineAlarms(ex, {
      showCall: (id) => {
        const card = this.calls.card(id);
        if (card) hooks.showCall(card);
      },
      clearLink: (station, idx) => {
        this.#cleared = { ...this.#cleared, [station]: idx };
        prefs.setLinkCleared(this.slot, this.#cleared);
        this.update();
      },
    });
    this.health = new LinkHealth(client.station);
    this.translations = new TranslationParts({
      exercise: ex,
      station: client.station,
      operatorOf: (kid) => client.chain.keys.get(kid)?.operator,
      translate: async (id, text) => {
        await client.translate(id, text);
        announcer.say(t('announceYouTranslated'));
        hooks.render();
      },
    });
    this.#notices = new LineNotices(client, announcer, () => hooks.live());
    client.on('line', (change) => {
      if (change.kind === 'call') this.#notices.call(change.call);
      if (change.kind === 'translation') this.#notices.translation(change.translation);
    });
    client.on('refused', (r) => this.#refused(r));
  }

  caughtUp(): void {
    this.#notices.caughtUp();
  }

  /** The translation of a message as its card shows it. */
  translationOf(view: MessageView): TranslationContext {
    return {
      translation: this.client.line.translations.get(view.id),
      queued: view.direction === 'in' && this.client.lineInFlight(view.id),
    };
  }

  update(): void {
    const book = this.client.line;
    const closed = this.client.lineClosed;
    this.calls.update(book, closed);
    const mine =
      this.client.role === 'translator' || closed
        ? []
        : book.openCalls().filter((c) => c.awaiting === this.client.station);
    this.alarms.update(book, this.#cleared, mine);
    this.health.update(book);
  }

  tick(): void {
    const book = this.client.line;
    this.calls.tick(book);
    this.alarms.tick(book);
    this.health.update(book);
  }

  relabel(): void {
    this.calls.relabel();
    this.update();
  }

  #refused(r: ItemRefusal): void {
    const text = refusalText(new HotlineError(r.code, r.message));
    if (r.payload.type === 'call') this.calls.refused(text);
    if (r.payload.type === 'translation') this.translations.refused(r.payload.ref, text);
    // Another device of this station translated it first: nothing is lost, so nothing interrupts.
    const beaten = r.payload.type === 'translation' && this.client.line.translations.has(r.payload.ref);
    this.announcer.say(text, !beaten);
    this.hooks.render();
  }
}
