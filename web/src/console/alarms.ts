// Alarms above the traffic: (1) verification failures reported by the client (the failing item is never
// shown as a message), (2) a fatal connection error, and (3) precedence alarms: every incoming message whose
// precedence has an acknowledgement deadline (shared/precedence.ts) raises one until it is acknowledged, with
// the deadline counting down from the relay's acceptance time.
import type { Alarm } from '../../../client/client.js';
import type { MessageView } from '../../../client/conversation.js';
import { dtg, zuluTime } from '../../../shared/dtg.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { ackDueOf, byUrgency } from '../../../shared/precedence.js';
import { h, replaceChildren, setText } from '../common/dom.js';
import { formatDuration } from '../common/format.js';
import { errorText, precedenceLabel, stationShort, t } from './i18n.js';

export interface PrecedenceAlarm {
  view: MessageView;
  deadline: number;
  ackQueued: boolean;
}

/** Incoming messages that still need the operator, most urgent first (precedence, then log order). */
export function awaitingAck(views: MessageView[]): MessageView[] {
  return views
    .filter((v) => v.direction === 'in' && v.kid !== undefined && !v.states.acknowledged)
    .sort((a, b) => byUrgency(a.precedence, b.precedence) || (a.idx ?? 0) - (b.idx ?? 0));
}

export function precedenceAlarms(views: MessageView[], ackQueued: (id: string) => boolean): PrecedenceAlarm[] {
  return awaitingAck(views).flatMap((view) => {
    const deadline = ackDueOf(view);
    return deadline === undefined ? [] : [{ view, deadline, ackQueued: ackQueued(view.id) }];
  });
}

/** The relay refused a seq this key already used: this console's state was restored from an older copy. */
function seqAlarm(a: Alarm): boolean {
  return a.code === 'SEQ_CONFLICT';
}

export interface AlarmActions {
  acknowledge(id: string): void;
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
  #countdowns = new Map<string, HTMLElement>();
  #key = '';

  constructor(
    private readonly exercise: ExerciseDef,
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
    const key = JSON.stringify(alarms.map((a) => [a.view.id, a.ackQueued]));
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

  /** Updates every countdown (called each second). */
  tick(now = Date.now()): void {
    for (const a of this.#active) {
      const el = this.#countdowns.get(a.view.id);
      if (!el) continue;
      const left = a.deadline - now;
      setText(el, left >= 0 ? formatDuration(left) : t('overdueBy', { t: formatDuration(-left) }));
      el.closest('.alarm')?.classList.toggle('alarm-overdue', left < 0);
    }
  }

  #precRow(a: PrecedenceAlarm): HTMLElement {
    const v = a.view;
    const countdown = h('span', { class: 'countdown mono', 'data-testid': 'countdown' });
    this.#countdowns.set(v.id, countdown);
    const button = a.ackQueued
      ? h('span', { class: 'pill pill-warn' }, t('ackQueued'))
      : h(
          'button',
          { type: 'button', class: 'btn btn-danger' },
          t('acknowledge'),
          ' ',
          h('kbd', {}, 'Alt'),
          '+',
          h('kbd', {}, 'A'),
        );
    if (button instanceof HTMLButtonElement) button.addEventListener('click', () => this.actions.acknowledge(v.id));
    return h(
      'div',
      {
        class: `alarm alarm-prec prec-${v.precedence}${a.ackQueued ? ' alarm-quiet' : ''}`,
        'data-testid': 'precedence-alarm',
        'data-alarm-id': v.id,
        'data-precedence': v.precedence,
      },
      h('span', { class: `prec-chip prec-${v.precedence}` }, precedenceLabel(v.precedence)),
      h(
        'div',
        { class: 'alarm-text' },
        h(
          'p',
          { class: 'alarm-title' },
          t('precedenceAlarm', { prec: v.precedence, station: stationShort(this.exercise, v.from) }),
          ' ',
          countdown,
        ),
        h(
          'p',
          { class: 'alarm-sub' },
          v.subject ? `${v.subject} · ` : '',
          t('deadline', { dtg: dtg(new Date(a.deadline)) }),
        ),
      ),
      button,
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
              zuluTime(a.at),
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
