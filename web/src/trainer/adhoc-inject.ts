// An ad-hoc inject: one the scenario did not foresee, added to the MSEL during the exercise (or before it)
// and, once the clock has started, optionally fired at once. The same fields and checks as an edit.
import type { RunState } from '../../../shared/http-api.js';
import { h, problemsBox, showProblems, statusLine, status } from './dom.js';
import { injectProblems, nextAdHocId, type InjectFields } from './inject-def.js';
import { injectFieldset, type InjectFieldset } from './inject-form.js';
import { refusalProblems } from './scenario-file.js';
import type { ExerciseContext, View } from './view.js';

export interface AdHocForm extends View {
  render(state: RunState): void;
}

export function adHocInject(ctx: ExerciseContext): AdHocForm {
  const { def } = ctx;
  const slot = h('div', {});
  const problems = problemsBox();
  const msg = statusLine();
  const add = h('button', { type: 'submit', value: 'add' }, 'Add to the MSEL');
  const addFire = h('button', { type: 'submit', class: 'primary', value: 'fire' }, 'Add and fire now');
  const form = h('form', { class: 'adhoc-form' }, slot, problems, h('p', { class: 'actions' }, add, addFire), msg);
  const el = h(
    'details',
    { class: 'card adhoc' },
    h('summary', {}, h('span', { class: 'adhoc-title' }, 'Ad-hoc inject')),
    h(
      'p',
      { class: 'muted' },
      'An inject the scenario did not foresee: added to the MSEL, and fired at once if you choose.',
    ),
    form,
  );
  let fields: InjectFieldset | undefined;
  let taken: string[] = [];
  let phase: RunState['phase'] = 'planned';

  const fresh = () => {
    const blank: InjectFields = {
      id: nextAdHocId(taken),
      at: 'manual',
      to: def.stations[0].id,
      fromZh: '',
      fromEn: '',
      precedence: 'IMMEDIATE',
      subjectZh: '',
      subjectEn: '',
      bodyZh: '',
      bodyEn: '',
      expectedAction: '',
      controllerNotes: '',
    };
    fields = injectFieldset(def, blank, false);
    slot.replaceChildren(fields.el);
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!fields) return;
    const fire = (ev as SubmitEvent).submitter === addFire;
    const inject = fields.read();
    const found = injectProblems(inject, def);
    showProblems(
      problems,
      `The inject has ${found.length} problem${found.length === 1 ? '' : 's'}; nothing was sent:`,
      found,
    );
    if (found.length > 0) return;
    add.disabled = addFire.disabled = true;
    status(msg, fire ? 'Adding and firing…' : 'Adding…');
    ctx.run
      .act(() => ctx.api.addInject(def.id, inject, fire))
      .then(
        (state) => {
          status(msg, `Inject ${inject.id} ${fire ? 'added and fired' : 'added to the MSEL'}.`, 'ok');
          taken = state.injects.map((i) => i.id);
          fresh();
          render(state);
        },
        (err: Error) => {
          render(ctx.run.state);
          const listed = refusalProblems(err);
          if (listed) showProblems(problems, 'The relay refused the inject:', listed);
          else status(msg, err.message, 'error');
        },
      );
  });

  const render = (state: RunState | undefined) => {
    phase = state?.phase ?? phase;
    if (state) taken = state.injects.map((i) => i.id);
    // Someone added an inject by the id this form proposed: propose the next one.
    if (fields && taken.includes(fields.read().id) && !el.open) fresh();
    el.hidden = phase === 'ended';
    add.disabled = false;
    addFire.disabled = phase !== 'running' && phase !== 'paused';
    addFire.title = addFire.disabled ? 'Injects fire after STARTEX' : '';
  };

  fresh();
  render(ctx.run.state);
  return { el, render };
}
