// The exercise's acknowledgement deadlines on the Run tab: the table every console, the replay and the report
// judge by, and, before STARTEX, a form to set it in minutes (a `procedures` entry in the log). Fixed once
// the exercise has started, like the scenario.
import type { RunState } from '../../../shared/http-api.js';
import { PRECEDENCES, type Precedence } from '../../../shared/items.js';
import { ACK_DEADLINE_BOUNDS_MS, ACK_DEADLINE_MS, deadlinesSummary } from '../../../shared/precedence.js';
import { field, fill, h, statusLine, status } from './dom.js';
import type { ExerciseContext, View } from './view.js';

const MINUTE = 60_000;
const MAX_MINUTES = ACK_DEADLINE_BOUNDS_MS.max / MINUTE;

export interface DeadlinesPanel extends View {
  render(state: RunState): void;
}

export function deadlinesPanel(ctx: ExerciseContext): DeadlinesPanel {
  const current = h('p', { class: 'deadlines-current', 'data-testid': 'deadlines-current' });
  const msg = statusLine();
  const inputs = Object.fromEntries(
    PRECEDENCES.map((p) => [
      p,
      h('input', {
        type: 'number',
        id: `deadline-${p}`,
        name: p,
        min: '1',
        max: String(MAX_MINUTES),
        step: '1',
        required: true,
      }),
    ]),
  ) as Record<Precedence, HTMLInputElement>;
  const submit = h('button', { type: 'submit' }, 'Set deadlines');
  const form = h(
    'form',
    { class: 'deadlines-form' },
    h('div', { class: 'row' }, ...PRECEDENCES.map((p) => field(`${p} (min)`, inputs[p]))),
    h('p', { class: 'actions' }, submit),
    msg,
  );
  const el = h(
    'section',
    { class: 'card deadlines-panel', 'aria-labelledby': 'deadlines-title' },
    h('h3', { id: 'deadlines-title' }, 'Acknowledgement deadlines'),
    current,
    form,
  );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const table = {} as Record<Precedence, number>;
    for (const p of PRECEDENCES) {
      const n = Number(inputs[p].value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_MINUTES) {
        status(msg, `${p}: whole minutes from 1 to ${MAX_MINUTES}.`, 'error');
        inputs[p].focus();
        return;
      }
      table[p] = n * MINUTE;
    }
    status(msg, 'Setting the deadlines…');
    ctx.run
      .act(() => ctx.api.setProcedures(ctx.def.id, { ackDeadlinesMs: table }))
      .then(
        (state) => {
          status(msg, `Set: ${deadlinesSummary(state.ackDeadlinesMs)}.`, 'ok');
          render(state);
        },
        (err: Error) => status(msg, err.message, 'error'),
      );
  });

  let shown: RunState['ackDeadlinesMs'] | undefined;
  const render = (state: RunState) => {
    const planned = state.phase === 'planned';
    form.hidden = !planned;
    const defaults = PRECEDENCES.every((p) => state.ackDeadlinesMs[p] === ACK_DEADLINE_MS[p]);
    fill(
      current,
      h('strong', {}, deadlinesSummary(state.ackDeadlinesMs)),
      defaults ? ' (the ACP 121 defaults)' : ' (set for this exercise)',
      planned
        ? ', in line time: real time before STARTEX, exercise time after it. Set before STARTEX only.'
        : ', fixed since STARTEX.',
    );
    // Refill the inputs only when the table changed, so a half-typed value survives the run's polling.
    if (JSON.stringify(shown) !== JSON.stringify(state.ackDeadlinesMs)) {
      shown = state.ackDeadlinesMs;
      for (const p of PRECEDENCES) inputs[p].value = String((state.ackDeadlinesMs[p] ?? ACK_DEADLINE_MS[p]!) / MINUTE);
    }
  };

  if (ctx.run.state) render(ctx.run.state);
  return { el, render };
}
