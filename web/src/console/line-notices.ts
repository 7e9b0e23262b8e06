// What the console says politely about the line's procedures once it has caught up with the log: a call
// request or counter-proposal that awaits this station, the other station's acceptance or refusal, an expiry,
// and the other station's translation of one of our messages. Each step is said once; no tone (a call
// request is not a FLASH). A missed link test is said by its alert (line-alarms.ts), not here.
import type { HotlineClient } from '../../../client/client.js';
import type { CallView, TranslationView } from '../../../shared/line-book.js';
import type { Announcer } from '../common/dom.js';
import { LEVEL_KEY, callTime } from './line-words.js';
import { lang, stationShort, t } from './i18n.js';

export class LineNotices {
  readonly #said = new Set<string>();

  constructor(
    private readonly client: HotlineClient,
    private readonly announcer: Announcer,
    /** Whether the log has been replayed: only news is announced. */
    private readonly live: () => boolean,
  ) {}

  /** Marks what the log already held when the console caught up as said. */
  caughtUp(): void {
    for (const call of this.client.line.calls.values()) this.#said.add(`${call.id}:${call.steps.length}`);
    for (const tr of this.client.line.translations.values()) this.#said.add(`xlat:${tr.ref}`);
  }

  call(call: CallView): void {
    if (!this.#fresh(`${call.id}:${call.steps.length}`) || this.client.role === 'translator') return;
    const me = this.client.station;
    const step = call.steps[call.steps.length - 1];
    if (!step) return;
    const ex = this.client.identity.exercise;
    const station = stationShort(ex, step.by === 'relay' ? call.from : step.by);
    const subject = call.subject;
    const time = callTime(call.callAt ?? call.proposedAt, lang());
    switch (step.action) {
      case 'request':
        if (call.to === me)
          this.announcer.say(t('announceCallRequest', { station, level: t(LEVEL_KEY[call.level]), subject, time }));
        return;
      case 'propose':
        if (call.awaiting === me) this.announcer.say(t('announceCallProposed', { station, subject, time }));
        return;
      case 'accept':
        if (step.by !== me) this.announcer.say(t('announceCallAccepted', { station, subject, time }));
        return;
      case 'decline':
        if (step.by !== me) this.announcer.say(t('announceCallDeclined', { station, subject }));
        return;
      case 'expired':
        this.announcer.say(t('announceCallExpired', { subject }));
        return;
    }
  }

  translation(tr: TranslationView): void {
    if (!this.#fresh(`xlat:${tr.ref}`) || tr.from === this.client.station) return;
    const message = this.client.conversation.messages.get(tr.ref);
    this.announcer.say(
      t('announceTranslated', {
        station: stationShort(this.client.identity.exercise, tr.from),
        subject: message?.subject ?? '',
      }),
    );
  }

  #fresh(key: string): boolean {
    if (!this.live() || this.#said.has(key)) return false;
    this.#said.add(key);
    return true;
  }
}
