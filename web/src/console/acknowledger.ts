// Acknowledging, from a card's button, an alarm's button or Alt+A: an incoming message or an exercise
// inject, signed as an `acknowledged` receipt through the outbox. Alt+A takes the item the keyboard is on if
// it awaits acknowledgement, else the most urgent one. Focus stays on the card it was on.
import type { HotlineClient, TrafficItem } from '../../../client/client.js';
import type { Announcer } from '../common/dom.js';
import { awaitingAck } from './alarms.js';
import { precedenceLabel, stationShort, t } from './i18n.js';
import { originatorOf } from './inject-card.js';

export interface AckView {
  /** The traffic card of an item, if it is shown. */
  card(id: string): HTMLElement | undefined;
  render(): void;
}

export class Acknowledger {
  constructor(
    private readonly client: HotlineClient,
    private readonly announcer: Announcer,
    private readonly view: AckView,
  ) {}

  /** An acknowledgement is on its way: signed (in the outbox, or already in the log but not yet applied). */
  queued(id: string): boolean {
    return this.client.ackInFlight(id);
  }

  #item(id: string): TrafficItem | undefined {
    const inject = this.client.injects.get(id);
    if (inject) return { kind: 'inject', view: inject };
    const view = this.client.conversation.messages.get(id);
    return view && view.direction === 'in' ? { kind: 'message', view } : undefined;
  }

  async acknowledge(id: string): Promise<void> {
    const item = this.#item(id);
    if (!item || item.view.states.acknowledged || this.queued(id) || this.client.lineClosed) return;
    const focusWasHere =
      this.view.card(id)?.contains(document.activeElement) ||
      document.activeElement?.closest(`[data-alarm-id="${id}"]`) !== null;
    try {
      const signing = this.client.acknowledge(id);
      // The receipt counts as queued from here on: the card and alarm show it before the signature is done.
      this.view.render();
      await signing;
      const prec = precedenceLabel(item.view.precedence);
      this.announcer.say(
        item.kind === 'inject'
          ? t('announceYouAckedInject', { prec, originator: originatorOf(item.view) })
          : t('announceYouAcked', {
              prec,
              station: stationShort(this.client.identity.exercise, item.view.from),
            }),
      );
    } catch (err) {
      this.announcer.say((err as Error).message, true);
    }
    this.view.render();
    if (focusWasHere) this.view.card(id)?.focus();
  }

  /** Alt+A: the item the keyboard is on, if it awaits acknowledgement; else the most urgent one. */
  async focusedOrMostUrgent(): Promise<void> {
    const waiting = awaitingAck(this.client.traffic()).filter((i) => !this.queued(i.view.id));
    const active = document.activeElement;
    const focusedId =
      active?.closest<HTMLElement>('[data-alarm-id]')?.dataset['alarmId'] ??
      active?.closest<HTMLElement>('li.msg[data-id]')?.dataset['id'];
    const target = waiting.find((i) => i.view.id === focusedId) ?? waiting[0];
    if (!target || this.client.lineClosed) return this.announcer.say(t('announceNothingToAck'));
    await this.acknowledge(target.view.id);
  }
}
