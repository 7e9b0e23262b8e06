// The alarms list, shared by the live view and the replay player: each alarm with its kind spelled out
// (never by colour alone), its time and what it is about. New alarms are also announced assertively.
import type { TrainerAlarm } from './deadlines.js';
import { h, fill } from './dom.js';
import { zuluTime } from './format.js';

const KIND_LABEL: Record<TrainerAlarm['kind'], string> = {
  overdue: 'Overdue acknowledgement',
  verification: 'Verification failure',
  log: 'Relay alarm',
  revoked: 'Key revoked',
  link: 'Link test missed',
  call: 'Call request expired',
};

export function alarmsSection(id: string): { el: HTMLElement; render(alarms: readonly TrainerAlarm[]): void } {
  const count = h('span', { class: 'badge-count' });
  const list = h('div', { class: 'alarm-list' });
  const el = h(
    'section',
    { class: 'alarms', 'aria-labelledby': `${id}-title`, id },
    h('h3', { id: `${id}-title` }, 'Alarms ', count),
    list,
  );
  let shown: string | undefined;
  return {
    el,
    render(alarms) {
      const key = alarms.map((a) => `${a.id}|${a.message}`).join('\n');
      if (key === shown) return;
      shown = key;
      count.textContent = `(${alarms.length})`;
      el.classList.toggle('has-alarms', alarms.length > 0);
      if (alarms.length === 0) return fill(list, h('p', { class: 'muted' }, 'No alarms.'));
      const ul = h('ul', {});
      for (const a of alarms) {
        ul.append(
          h(
            'li',
            { class: `alarm alarm-${a.kind}${a.quiet ? ' alarm-quiet' : ''}`, 'data-code': a.code },
            h('span', { class: 'alarm-kind' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), KIND_LABEL[a.kind]),
            h('time', { datetime: new Date(a.at).toISOString() }, zuluTime(new Date(a.at))),
            h('span', { class: 'alarm-code' }, a.code),
            h('span', { class: 'alarm-msg' }, a.message),
          ),
        );
      }
      fill(list, ul);
    },
  };
}

/** Assertive announcement for alarms (role=alert region in the page shell); a quiet one is only shown. */
export function announceAlarm(a: TrainerAlarm): void {
  if (a.quiet) return;
  const region = document.getElementById('alarm-announcer');
  if (region) region.textContent = `Alarm: ${KIND_LABEL[a.kind]}. ${a.message}`;
}
