// What the console says through the live regions (and the alarm tone) once it has caught up with the log:
// incoming messages, exercise injects, the peer's acknowledgements, and the exercise's state changes. Each
// thing is said once; what was already in the log when the console opened is summed up, not read out.
import type { HotlineClient } from '../../../client/client.js';
import type { MessageView } from '../../../client/conversation.js';
import type { ExerciseStatus } from '../../../client/exercise-status.js';
import type { InjectView } from '../../../client/injects.js';
import type { Phase } from '../../../shared/exercise-clock.js';
import { interrupts } from '../../../shared/precedence.js';
import type { Announcer } from '../common/dom.js';
import { awaitingAck } from './alarms.js';
import { errorText, precedenceLabel, stationShort, t, type Key } from './i18n.js';
import { injectSubject, originatorOf } from './inject-card.js';
import type { Siren } from './sound.js';

const PHASE_LABEL: Record<Phase, Key> = {
  planned: 'phasePlanned',
  running: 'phaseRunning',
  paused: 'phasePaused',
  ended: 'phaseEnded',
};

export class Notices {
  #caughtUp = false;
  readonly #said = new Set<string>();
  #closedSaid = false;

  constructor(
    private readonly client: HotlineClient,
    private readonly announcer: Announcer,
    private readonly siren: Siren,
  ) {}

  /** Whether the log has been replayed (news is announced from then on). */
  get live(): boolean {
    return this.#caughtUp;
  }

  /** The log is replayed: from now on, news is announced. */
  caughtUp(): void {
    this.#caughtUp = true;
    for (const item of this.client.traffic())
      this.#said.add(item.kind === 'inject' ? `${item.view.id}:seen` : messageKey(item.view));
    const waiting = awaitingAck(this.client.traffic()).length;
    // A translator acknowledges nothing: the count is the operator's.
    if (waiting > 0 && this.client.role !== 'translator') this.announcer.say(`${t('awaitingAck')}: ${waiting}`);
    if (this.client.lineClosed) this.#closedSaid = true;
  }

  message(view: MessageView): void {
    const key = messageKey(view);
    if (!this.#fresh(key)) return;
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
      if (urgent) this.siren.beep(view.precedence);
    } else if (view.direction === 'out' && view.states.acknowledged) {
      this.announcer.say(t('announceAcked', { station: stationShort(ex, view.to), subject: view.subject ?? '' }));
    }
  }

  inject(view: InjectView): void {
    if (view.states.acknowledged || !this.#fresh(`${view.id}:seen`)) return;
    const urgent = interrupts(view.precedence);
    this.announcer.say(
      t('announceInject', {
        prec: precedenceLabel(view.precedence),
        originator: originatorOf(view),
        subject: injectSubject(view) ?? '',
      }),
      urgent,
    );
    if (urgent) this.siren.beep(view.precedence);
  }

  exercise(status: ExerciseStatus): void {
    if (!this.#caughtUp) return;
    if (status.closed) {
      if (this.#closedSaid) return;
      this.#closedSaid = true;
      return this.announcer.say(`${t('phaseEnded')}: ${errorText('EXERCISE_ENDED')}`, true);
    }
    this.announcer.say(t('announcePhase', { phase: t(PHASE_LABEL[status.phase]) }));
  }

  #fresh(key: string): boolean {
    if (!this.#caughtUp || this.#said.has(key)) return false;
    this.#said.add(key);
    return true;
  }
}

/** One announcement per message and per noteworthy state. */
function messageKey(view: MessageView): string {
  return `${view.id}:${view.direction === 'out' && view.states.acknowledged ? 'acked' : 'seen'}`;
}
