// Alarms above the traffic: (1) verification failures reported by the client (the failing item is never
// shown as a message), (2) a fatal connection error, and (3) precedence alarms: every incoming message or
// exercise inject whose precedence has an acknowledgement deadline (shared/precedence.ts) raises one until it
// is acknowledged, counting down from the relay's acceptance time on the exercise's line time
// (shared/deadlines.ts: compressed while running, frozen while paused). After ENDEX nothing can be
// acknowledged, so no precedence alarm is raised. An alarm leads to its item, whose card has the one
// Acknowledge button (Alt+A works from anywhere): one button per message, and the message is read first.
import type { Alarm, TrafficItem } from '../../../client/client.js';
import { lineDeadline } from '../../../shared/deadlines.js';
import type { ExerciseClock } from '../../../shared/exercise-clock.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { byUrgency, type AckDeadlines } from '../../../shared/precedence.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { formatDuration, utcTime } from '../common/format.js';
import { errorText, precedenceLabel, stationShort, t } from './i18n.js';
import { injectSubject, originatorOf } from './inject-card.js';
import { INJECT_MARK } from './strings.js';

export interface PrecedenceAlarm {
  item: TrafficItem;
  /** The relay's acceptance of the message, or the inject's entry time (ms). */
  acceptedAt: number;
  ackQueued: boolean;
}

/** Incoming messages and injects that still need the operator, most urgent first (precedence, then log order). */
export function awaitingAck(items: TrafficItem[]): TrafficItem[] {
  return items
    .filter((i) =>
      i.kind === 'inject'
        ? !i.view.states.acknowledged
        : i.view.direction === 'in' && i.view.kid !== undefined && !i.view.states.acknowledged,
    )
    .sort((a, b) => byUrgency(a.view.precedence, b.view.precedence) || (a.view.idx ?? 0) - (b.view.idx ?? 0));
}

export function precedenceAlarms(
  items: TrafficItem[],
  ackQueued: (id: string) => boolean,
  closed: boolean,
  deadlines: AckDeadlines,
): PrecedenceAlarm[] {
  if (closed) return [];
  return awaitingAck(items).flatMap((item) => {
    const accepted = item.view.states.accepted;
    if (accepted === undefined || deadlines[item.view.precedence] === undefined) return [];
    return [{ item, acceptedAt: Date.parse(accepted), ackQueued: ackQueued(item.view.id) }];
  });
}

/** The relay refused a seq this key already used: this console's state was restored from an older copy. */
function seqAlarm(a: Alarm): boolean {
  return a.code === 'SEQ_CONFLICT';
}

export interface AlarmActions {
  /** Brings the item's card into view and puts the keyboard on it. */
  show(id: string): void;
  enrolAgain(): void;
}

export class Alarms {
  readonly element = h('section', { class: 'alarms', 'aria-label': '', 'data-testid': 'alarms' });
  readonly #verify = h('div', { class: 'alarm-stack' });
  readonly #fatal = h('div', { class: 'alarm-stack' });
  readonly #prec = h('div', { class: 'alarm-stack' });
  readonly #failures: Alarm[] = [];
  #fatalError: { code: Alarm['code']; message: string } | undefined;
  #active: PrecedenceAlarm[] = [];
  #countdowns = new Map<string, { countdown: HTMLElement; due: HTMLElement }>();
  #key = '';

  constructor(
    private readonly exercise: ExerciseDef,
    private readonly clock: ExerciseClock,
    private readonly actions: AlarmActions,
  ) {
    this.element.append(this.#fatal, this.#verify, this.#prec);
    this.relabel();
  }

  relabel(): void {
    this.element.setAttribute('aria-label', t('alarms'));
    this.#renderFailures();
    this.#renderFatal();
    this.#key = '';
    this.update(this.#active);
  }

  /** Records a verification failure; returns false when the same fault was already shown. */
  failure(alarm: Alarm): boolean {
    if (this.#failures.some((a) => a.code === alarm.code && a.message === alarm.message)) return false;
    this.#failures.push(alarm);
    this.#renderFailures();
    return true;
  }

  fatal(code: Alarm['code'], message: string): void {
    this.#fatalError = { code, message };
    this.#renderFatal();
  }

  get active(): PrecedenceAlarm[] {
    return this.#active;
  }

  /** Shows the current precedence alarms; rebuilds rows only when the set changes, else just ticks. */
  update(alarms: PrecedenceAlarm[]): void {
    this.#active = alarms;
    const key = JSON.stringify(alarms.map((a) => [a.item.view.id, a.ackQueued]));
    if (key !== this.#key) {
      this.#key = key;
      const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-alarm-id]')
        ?.dataset['alarmId'];
      this.#countdowns.clear();
      replaceChildren(this.#prec, ...alarms.map((a) => this.#precRow(a)));
      if (focusedId) this.#prec.querySelector<HTMLElement>(`[data-alarm-id="${focusedId}"] button`)?.focus();
    }
    this.tick();
  }

  /** Updates every countdown (called each second), on line time: it stands still while the clock is paused. */
  tick(now = Date.now()): void {
    for (const a of this.#active) {
      const els = this.#countdowns.get(a.item.view.id);
      const d = lineDeadline(this.clock, a.item.view.precedence, a.acceptedAt, now);
      if (!els || !d) continue;
      const left = d.leftMs;
      setText(els.countdown, left >= 0 ? formatDuration(left) : t('overdueBy', { t: formatDuration(-left) }));
      setText(els.due, d.dueAt === undefined ? t('deadlineFrozen') : t('deadline', { t: utcTime(d.dueAt) }));
      els.countdown.closest('.alarm')?.classList.toggle('alarm-overdue', left < 0);
    }
  }

  #precRow(a: PrecedenceAlarm): HTMLElement {
    const v = a.item.view;
    const countdown = h('span', { class: 'countdown mono', 'data-testid': 'countdown' });
    const due = h('span', { 'data-testid': 'deadline' });
    this.#countdowns.set(v.id, { countdown, due });
    const subject = a.item.kind === 'inject' ? injectSubject(a.item.view) : a.item.view.subject;
    const show = h('button', { type: 'button', class: 'btn', 'data-testid': 'alarm-show' }, t('showMessage'));
    show.addEventListener('click', () => this.actions.show(v.id));
    const queued = a.ackQueued ? h('span', { class: 'pill pill-warn' }, t('ackQueued')) : null;
    const title =
      a.item.kind === 'inject'
        ? t('injectAlarm', { prec: v.precedence, originator: originatorOf(a.item.view) })
        : t('precedenceAlarm', { prec: v.precedence, station: stationShort(this.exercise, a.item.view.from) });
    return h(
      'div',
      {
        class: `alarm alarm-prec prec-${v.precedence}${a.item.kind === 'inject' ? ' alarm-inject' : ''}${a.ackQueued ? ' alarm-quiet' : ''}`,
        'data-testid': 'precedence-alarm',
        'data-alarm-id': v.id,
        'data-kind': a.item.kind,
        'data-precedence': v.precedence,
      },
      h('span', { class: `prec-chip prec-${v.precedence}` }, precedenceLabel(v.precedence)),
      h(
        'div',
        { class: 'alarm-text' },
        a.item.kind === 'inject' ? h('p', { class: 'inject-mark' }, `${INJECT_MARK.en} · ${INJECT_MARK.zh}`) : null,
        h('p', { class: 'alarm-title' }, title, ' ', countdown),
        h('p', { class: 'alarm-sub' }, subject ? `${subject} · ` : '', due),
      ),
      h('div', { class: 'alarm-actions' }, queued, show),
    );
  }

  #renderFailures(): void {
    replaceChildren(
      this.#verify,
      ...this.#failures.map((a) =>
        h(
          'div',
          { class: 'alarm alarm-verify', 'data-testid': 'verification-alarm', 'data-code': a.code },
          h('span', { class: 'alarm-icon', 'aria-hidden': 'true' }, '⚠'),
          h(
            'div',
            { class: 'alarm-text' },
            h(
              'p',
              { class: 'alarm-title' },
              `${t(seqAlarm(a) ? 'seqAlarm' : 'verificationFailure')} — ${a.code}: ${errorText(a.code)}`,
            ),
            h('p', { class: 'alarm-detail mono' }, a.message),
            h(
              'p',
              { class: 'alarm-sub' },
              a.idx === undefined ? '' : `${t('atEntry', { idx: a.idx })} · `,
              utcTime(a.at),
              ' · ',
              t(seqAlarm(a) ? 'seqAlarmHint' : 'verificationHint'),
            ),
          ),
        ),
      ),
    );
  }

  #renderFatal(): void {
    const f = this.#fatalError;
    if (!f) return replaceChildren(this.#fatal);
    const again = h('button', { type: 'button', class: 'btn' }, t('enrolAgain'));
    again.addEventListener('click', () => this.actions.enrolAgain());
    replaceChildren(
      this.#fatal,
      h(
        'div',
        { class: 'alarm alarm-verify', 'data-testid': 'fatal-alarm', 'data-code': f.code },
        h('span', { class: 'alarm-icon', 'aria-hidden': 'true' }, '⛔'),
        h(
          'div',
          { class: 'alarm-text' },
          h('p', { class: 'alarm-title' }, `${t('fatal')} — ${f.code}: ${errorText(f.code)}`),
          h('p', { class: 'alarm-detail' }, f.message),
        ),
        again,
      ),
    );
  }
}
