// Loading the scenario (MSEL) before STARTEX: a .json file chosen or dropped, or one of the shipped
// examples. The file is checked in the browser first with the relay's own rules, and every problem is
// listed (each naming its inject and field) before anything is sent; a refusal by the relay is listed the
// same way. Once the exercise has started the scenario is fixed, and the panel only says which it is.
import type { RunState } from '../../../shared/http-api.js';
import { fill, h, problemsBox, showProblems, statusLine, status } from './dom.js';
import {
  checkScenario,
  checkScenarioText,
  refusalProblems,
  scenarioCounts,
  type ScenarioCheck,
} from './scenario-file.js';
import { SHIPPED_SCENARIOS } from './shipped-scenarios.js';
import type { ExerciseContext, View } from './view.js';

export interface ScenarioPanel extends View {
  render(state: RunState): void;
}

export function scenarioPanel(ctx: ExerciseContext): ScenarioPanel {
  const { def } = ctx;
  const current = h('p', { class: 'scenario-current' });
  const problems = problemsBox();
  const msg = statusLine();
  const input = h('input', { type: 'file', id: 'scenario-file', accept: '.json,application/json' });
  const drop = h(
    'div',
    { class: 'dropzone scenario-drop' },
    h('p', { class: 'drop-title' }, 'Drop a scenario file (.json) here'),
    h('label', { for: 'scenario-file', class: 'file-label' }, 'or choose a scenario file (.json)'),
    input,
  );
  const shippedSelect = h(
    'select',
    { id: 'scenario-shipped', name: 'shipped' },
    ...SHIPPED_SCENARIOS.map((s, i) => h('option', { value: i }, `${s.title} (${s.file})`)),
  );
  const shippedButton = h('button', { type: 'button' }, 'Load this scenario');
  const shipped =
    SHIPPED_SCENARIOS.length > 0 &&
    h(
      'div',
      { class: 'shipped' },
      h('label', { for: 'scenario-shipped' }, 'Or a shipped scenario'),
      shippedSelect,
      shippedButton,
    );
  const loader = h('div', { class: 'scenario-loader' }, drop, shipped, problems, msg);
  const el = h(
    'section',
    { class: 'card scenario-panel', 'aria-labelledby': 'scenario-title' },
    h('h3', { id: 'scenario-title' }, 'Scenario (MSEL)'),
    current,
    loader,
  );

  const send = (check: ScenarioCheck, source: string) => {
    if (!check.ok) {
      const n = check.problems.length;
      showProblems(problems, `${source} has ${n} problem${n === 1 ? '' : 's'}; nothing was sent:`, check.problems);
      status(msg, '');
      return;
    }
    showProblems(problems, '', []);
    status(msg, `Loading “${check.scenario.title}”…`);
    ctx.run
      .act(() => ctx.api.loadScenario(def.id, check.value))
      .then(
        (state) => {
          const c = scenarioCounts(check.scenario);
          status(msg, `Loaded “${check.scenario.title}”: ${c.injects} injects (${c.manual} manual).`, 'ok');
          render(state);
        },
        (err: Error) => {
          const listed = refusalProblems(err);
          if (listed) {
            showProblems(problems, `The relay refused ${source}:`, listed);
            status(msg, '');
          } else status(msg, err.message, 'error');
        },
      );
  };

  const readFile = (file: File) => {
    if (!/\.json$/i.test(file.name) && file.type !== 'application/json') {
      showProblems(problems, `${file.name} was not read:`, ['(file): not a .json file']);
      return;
    }
    status(msg, `Checking ${file.name}…`);
    file.text().then(
      (text) => send(checkScenarioText(text, file.size, def), file.name),
      (err: Error) => status(msg, `${file.name} could not be read: ${err.message}`, 'error'),
    );
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) readFile(file);
    input.value = '';
  });
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragging');
    const file = ev.dataTransfer?.files[0];
    if (file) readFile(file);
  });
  shippedButton.addEventListener('click', () => {
    const s = SHIPPED_SCENARIOS[Number(shippedSelect.value)];
    if (s) send(checkScenario(s.value, def), s.file);
  });

  const render = (state: RunState) => {
    const s = state.scenario;
    const planned = state.phase === 'planned';
    loader.hidden = !planned;
    const loaded = s
      ? [
          'Loaded: ',
          h('strong', {}, s.title),
          ` by ${s.by} (entry ${s.idx}), ${state.injects.length} injects.`,
          planned
            ? ' Loading another replaces it until STARTEX.'
            : ' Fixed since STARTEX: edit an inject or add one below.',
        ]
      : [
          planned
            ? 'No scenario loaded: the exercise can still run without one, with ad-hoc injects only.'
            : 'No scenario was loaded.',
        ];
    fill(current, ...loaded);
    if (s?.summary) current.append(h('span', { class: 'scenario-summary' }, s.summary));
  };

  if (ctx.run.state) render(ctx.run.state);
  return { el, render };
}
