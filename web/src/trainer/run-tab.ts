// The Run tab: what a controller needs to run the exercise from the MSEL. The scenario, the
// acknowledgement deadlines and the line settings side by side (set before STARTEX), the MSEL with each
// inject's status and the controller's buttons, the edit dialog, the ad-hoc inject form and the trainer
// notes. The state bar above the tabs holds the lifecycle and the clock.
import { fill, h } from './dom.js';
import { adHocInject } from './adhoc-inject.js';
import { deadlinesPanel } from './deadlines-panel.js';
import { lineSettingsPanel } from './line-settings-panel.js';
import { injectEditor } from './inject-editor.js';
import { mselTable } from './msel-table.js';
import { notesPanel } from './notes-panel.js';
import { scenarioPanel } from './scenario-panel.js';
import type { ExerciseContext, View } from './view.js';

export function runView(ctx: ExerciseContext): View {
  const editor = injectEditor(ctx);
  const scenario = scenarioPanel(ctx);
  const deadlines = deadlinesPanel(ctx);
  const line = lineSettingsPanel(ctx);
  const msel = mselTable(ctx, (inject) => editor.open(inject));
  const adhoc = adHocInject(ctx);
  const notes = notesPanel(ctx);
  const counts = h('p', { class: 'muted msel-counts' });
  const el = h(
    'section',
    { class: 'run-view', 'aria-labelledby': 'run-title' },
    h('h2', { id: 'run-title', class: 'visually-hidden' }, 'Run the exercise'),
    scenario.el,
    h('div', { class: 'procedures-row' }, deadlines.el, line.el),
    h(
      'section',
      { class: 'card msel-panel', 'aria-labelledby': 'msel-title' },
      h('h3', { id: 'msel-title' }, 'MSEL: injects'),
      counts,
      msel.el,
    ),
    adhoc.el,
    notes.el,
    editor.el,
  );

  const render = () => {
    const state = ctx.run.state;
    if (!state) return;
    scenario.render(state);
    deadlines.render(state);
    line.render(state);
    msel.render(state);
    adhoc.render(state);
    const by = (s: string) => state.injects.filter((i) => i.status === s).length;
    fill(
      counts,
      state.injects.length === 0
        ? ''
        : `${state.injects.length} injects: ${by('fired')} fired, ${by('pending')} pending, ${by('held')} held, ${by('skipped')} skipped.`,
    );
  };
  const off = ctx.run.on('change', render);
  render();
  return {
    el,
    destroy() {
      off();
      notes.destroy?.();
      if (editor.el.open) editor.el.close();
    },
  };
}
