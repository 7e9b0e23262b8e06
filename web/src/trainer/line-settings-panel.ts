// The exercise's line settings on the Run tab, beside the acknowledgement deadlines: how long (line time) the
// awaited side has to answer a call request, how often (real time) the relay tests each station's link, and
// how long a console has to answer a test. Before STARTEX a form sets them (a `procedures` entry in the log,
// through the same route as the deadlines); from STARTEX on they are fixed and shown read-only.
import type { RunState } from '../../../shared/http-api.js';
import './line.css';
import { LINE_BOUNDS, LINE_DEFAULTS, type LineSettings } from '../../../shared/line-entries.js';
import { field, fill, h, statusLine, status } from './dom.js';
import { lineSettingsText } from '../../../shared/line-text.js';
import type { ExerciseContext, View } from './view.js';

/** Each setting in the unit a trainer thinks in: the call window in minutes, the link tests in seconds. */
const FIELDS: readonly {
  key: keyof LineSettings;
  label: string;
  unit: number;
  step: string;
}[] = [
  { key: 'callWindowMs', label: 'Call request window (min, line time)', unit: 60_000, step: '1' },
  { key: 'linkTestIntervalMs', label: 'Link test every (s, real time)', unit: 1_000, step: '1' },
  { key: 'linkTestTimeoutMs', label: 'Link test answered within (s)', unit: 1_000, step: '0.1' },
];

export interface LineSettingsPanel extends View {
  render(state: RunState): void;
}

export function lineSettingsPanel(ctx: ExerciseContext): LineSettingsPanel {
  const current = h('p', { class: 'line-current', 'data-testid': 'line-current' });
  const msg = statusLine();
  const inputs = Object.fromEntries(
    FIELDS.map((f) => [
      f.key,
      h('input', {
        type: 'number',
        id: `line-${f.key}`,
        name: f.key,
        min: String(LINE_BOUNDS[f.key].min / f.unit),
        max: String(LINE_BOUNDS[f.key].max / f.unit),
        step: f.step,
        required: true,
      }),
    ]),
  ) as Record<keyof LineSettings, HTMLInputElement>;
  const submit = h('button', { type: 'submit' }, 'Set line settings');
  const form = h(
    'form',
    { class: 'line-settings-form' },
    h('div', { class: 'row' }, ...FIELDS.map((f) => field(f.label, inputs[f.key]))),
    h('p', { class: 'actions' }, submit),
    msg,
  );
  const el = h(
    'section',
    { class: 'card line-settings-panel', 'aria-labelledby': 'line-settings-title' },
    h('h3', { id: 'line-settings-title' }, 'Line procedures: call requests and link tests'),
    current,
    form,
  );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const line = {} as LineSettings;
    for (const f of FIELDS) {
      const ms = Math.round(Number(inputs[f.key].value) * f.unit);
      const { min, max } = LINE_BOUNDS[f.key];
      if (!Number.isFinite(ms) || ms < min || ms > max) {
        status(msg, `${f.label}: from ${min / f.unit} to ${max / f.unit}.`, 'error');
        inputs[f.key].focus();
        return;
      }
      line[f.key] = ms;
    }
    if (line.linkTestTimeoutMs >= line.linkTestIntervalMs) {
      status(msg, 'A link test must be answered within less time than the interval between tests.', 'error');
      inputs.linkTestTimeoutMs.focus();
      return;
    }
    status(msg, 'Setting the line settings…');
    ctx.run
      .act(() => ctx.api.setProcedures(ctx.def.id, { line }))
      .then(
        (state) => {
          status(msg, `Set: ${lineSettingsText(state.line)}.`, 'ok');
          render(state);
        },
        (err: Error) => status(msg, err.message, 'error'),
      );
  });

  let shown: LineSettings | undefined;
  const render = (state: RunState) => {
    const planned = state.phase === 'planned';
    form.hidden = !planned;
    const line = state.line ?? LINE_DEFAULTS;
    const defaults = FIELDS.every((f) => line[f.key] === LINE_DEFAULTS[f.key]);
    fill(
      current,
      h('strong', {}, lineSettingsText(line)),
      defaults ? ' (the defaults: DTL call window, hourly tests)' : ' (set for this exercise)',
      planned ? '. Set before STARTEX only.' : ', fixed since STARTEX.',
    );
    // Refill the inputs only when the settings changed, so a half-typed value survives the run's polling.
    if (JSON.stringify(shown) !== JSON.stringify(line)) {
      shown = { ...line };
      for (const f of FIELDS) inputs[f.key].value = String(line[f.key] / f.unit);
    }
  };

  if (ctx.run.state) render(ctx.run.state);
  return { el, render };
}
