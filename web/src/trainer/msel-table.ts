// The MSEL as a table: each inject's id, time (offset, and when it is due while the clock runs), target
// station, simulated originator, precedence, subject and status, its expected action and controller notes
// (expandable), and the controller's buttons for it. Rows are kept by inject and redrawn only when they
// change, so a poll never takes the focus or an open detail away from the trainer.
import type { InjectStatus, RunState } from '../../../shared/http-api.js';
import { textIn, type Texts } from '../../../shared/scenario.js';
import { scrollRegion } from './scroll-region.js';
import { h, fill, statusLine, status } from './dom.js';
import { precedenceClass, shortName } from './format.js';
import { allowedActions, dueText, mselOrder, offsetText, statusText, type InjectAction } from './msel-rows.js';
import type { ExerciseContext } from './view.js';

const BUTTON: Readonly<Record<InjectAction, [text: string, label: (id: string) => string]>> = {
  fire: ['Fire now', (id) => `Fire ${id} now`],
  hold: ['Hold', (id) => `Hold ${id}`],
  release: ['Release', (id) => `Release ${id}`],
  skip: ['Skip', (id) => `Skip ${id}`],
  edit: ['Edit', (id) => `Edit ${id}`],
};

const DONE: Readonly<Record<Exclude<InjectAction, 'edit'>, string>> = {
  fire: 'fired',
  hold: 'held',
  release: 'released',
  skip: 'skipped',
};

function bothLanguages(label: string, t: Texts | undefined): HTMLElement | undefined {
  if (!t) return undefined;
  return h(
    'div',
    { class: 'inject-text' },
    h('p', { class: 'detail-label' }, label),
    t.zh !== undefined && h('p', { lang: 'zh' }, t.zh),
    t.en !== undefined && h('p', { lang: 'en' }, t.en),
  );
}

export interface MselTable {
  el: HTMLElement;
  render(state: RunState): void;
}

export function mselTable(ctx: ExerciseContext, onEdit: (inject: InjectStatus) => void): MselTable {
  const { def } = ctx;
  const msg = statusLine();
  const body = h('tbody', {});
  const empty = h('p', { class: 'muted' }, 'No scenario loaded yet: the MSEL is empty.');
  const table = scrollRegion(
    'MSEL',
    h(
      'table',
      { class: 'msel' },
      h('caption', { class: 'visually-hidden' }, 'Master scenario events list'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            'Inject',
            'Time',
            'To',
            'Originator',
            'Precedence',
            'Subject',
            'Expected action',
            'Status',
            'Actions',
          ].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      body,
    ),
  );
  const host = h('div', {}, empty);
  const el = h('div', { class: 'msel-box' }, host, msg);
  const rows = new Map<string, { key: string; tr: HTMLTableRowElement }>();
  let order = '';

  const act = (inject: InjectStatus, action: InjectAction) => {
    if (action === 'edit') return onEdit(inject);
    status(msg, `${BUTTON[action][0]}: ${inject.id}…`);
    ctx.run
      .act(() => ctx.api.injectCommand(def.id, inject.id, action))
      .then(
        () => status(msg, `Inject ${inject.id} ${DONE[action]}.`, 'ok'),
        (err: Error) => status(msg, err.message, 'error'),
      );
  };

  const row = (inject: InjectStatus, phase: RunState['phase']): HTMLTableRowElement => {
    const d = inject.def;
    const due = dueText(inject, phase);
    const actions = allowedActions(inject, phase);
    return h(
      'tr',
      { 'data-inject': inject.id, 'data-status': inject.status, class: `inject-row row-${inject.status}` },
      h(
        'th',
        { scope: 'row', class: 'mono' },
        inject.id,
        inject.added && h('span', { class: 'tag tag-wait' }, 'ad hoc'),
        inject.edited && h('span', { class: 'tag tag-wait' }, 'edited'),
      ),
      h('td', { class: 'mono' }, offsetText(inject), due && h('span', { class: 'due-at' }, due)),
      h('td', {}, shortName(def, d.to)),
      h('td', {}, textIn(d.from, 'en') ?? ''),
      h('td', {}, h('span', { class: `prec ${precedenceClass(d.precedence)}` }, d.precedence)),
      h('td', {}, textIn(d.subject, 'en') ?? h('span', { class: 'muted' }, '—')),
      h(
        'td',
        { class: 'expected' },
        h(
          'details',
          {},
          h('summary', {}, d.expectedAction),
          bothLanguages('Body', d.body),
          h(
            'div',
            { class: 'inject-text' },
            h('p', { class: 'detail-label' }, 'Controller notes'),
            h('p', {}, d.controllerNotes ?? '—'),
          ),
        ),
      ),
      h('td', { class: `inject-status status-${inject.status}` }, statusText(inject)),
      h(
        'td',
        { class: 'inject-actions' },
        ...actions.map((a) =>
          h(
            'button',
            {
              type: 'button',
              class: a === 'fire' ? 'primary' : a === 'skip' ? 'danger' : undefined,
              'data-action': a,
              'aria-label': BUTTON[a][1](inject.id),
              onclick: () => act(inject, a),
            },
            BUTTON[a][0],
          ),
        ),
      ),
    );
  };

  /** Swaps a row, keeping the trainer's place: an open detail stays open, focus moves to the like button. */
  const swap = (old: HTMLTableRowElement, next: HTMLTableRowElement) => {
    if (old.querySelector('details')?.open) next.querySelector('details')?.setAttribute('open', '');
    const focused = old.contains(document.activeElement) ? document.activeElement : null;
    old.replaceWith(next);
    if (focused instanceof HTMLButtonElement) {
      const same = next.querySelector<HTMLButtonElement>(`button[data-action="${focused.dataset['action']}"]`);
      (same ?? next.querySelector('button') ?? next.querySelector('th'))?.focus();
    }
  };

  return {
    el,
    render(state) {
      if (state.injects.length === 0) {
        rows.clear();
        order = '';
        return fill(host, empty);
      }
      if (host.firstChild !== table) fill(host, table);
      const list = mselOrder(state.injects);
      const nextOrder = list.map((i) => i.id).join('\n');
      const rebuild = nextOrder !== order;
      order = nextOrder;
      for (const inject of list) {
        const key = JSON.stringify([inject, state.phase]);
        const known = rows.get(inject.id);
        if (known && known.key === key) continue;
        const tr = row(inject, state.phase);
        if (known && !rebuild) swap(known.tr, tr);
        rows.set(inject.id, { key, tr });
      }
      for (const id of [...rows.keys()]) if (!list.some((i) => i.id === id)) rows.delete(id);
      if (rebuild) fill(body, ...list.map((i) => rows.get(i.id)!.tr));
    },
  };
}
