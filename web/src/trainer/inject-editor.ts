// Editing an inject before it fires, in a modal dialog over the MSEL: the inject's fields in both
// languages, checked in the browser first (every problem listed by field), then sent as the new definition;
// the relay's own refusal is listed the same way. Saving re-reads the RunState from the answer.
import type { InjectStatus } from '../../../shared/http-api.js';
import type { InjectDef } from '../../../shared/scenario.js';
import { h, problemsBox, showProblems, statusLine, status } from './dom.js';
import { fieldsOf, injectProblems } from './inject-def.js';
import { injectFieldset } from './inject-form.js';
import { refusalProblems } from './scenario-file.js';
import type { ExerciseContext } from './view.js';

export interface InjectEditor {
  el: HTMLDialogElement;
  open(inject: InjectStatus): void;
}

export function injectEditor(ctx: ExerciseContext): InjectEditor {
  const title = h('h2', { id: 'inject-editor-title' }, 'Edit inject');
  const slot = h('div', {});
  const problems = problemsBox();
  const msg = statusLine();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save changes');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { method: 'dialog', class: 'inject-editor' },
    title,
    h(
      'p',
      { class: 'muted' },
      'The change is logged (private to exercise control) and applies when the inject fires; operators see only what fires.',
    ),
    slot,
    problems,
    h('p', { class: 'actions' }, save, cancel),
    msg,
  );
  const el = h('dialog', { class: 'run-dialog', 'aria-labelledby': 'inject-editor-title' }, form);
  let current: { id: string; read: () => InjectDef } | undefined;

  cancel.addEventListener('click', () => el.close());
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!current) return;
    const id = current.id;
    const def = current.read();
    const found = injectProblems(def, ctx.def);
    showProblems(
      problems,
      `Inject ${id} has ${found.length} problem${found.length === 1 ? '' : 's'}; nothing was sent:`,
      found,
    );
    if (found.length > 0) return;
    save.disabled = true;
    status(msg, 'Saving…');
    ctx.run
      .act(() => ctx.api.editInject(ctx.def.id, id, def))
      .then(
        () => {
          save.disabled = false;
          status(msg, '');
          el.close();
        },
        (err: Error) => {
          save.disabled = false;
          const listed = refusalProblems(err);
          if (listed) {
            showProblems(problems, `The relay refused the change:`, listed);
            status(msg, '');
          } else status(msg, err.message, 'error');
        },
      );
  });

  return {
    el,
    open(inject) {
      title.textContent = `Edit inject ${inject.id} before it fires`;
      const fields = injectFieldset(ctx.def, fieldsOf(inject.def), true);
      slot.replaceChildren(fields.el);
      current = { id: inject.id, read: () => fields.read() };
      showProblems(problems, '', []);
      status(msg, '');
      el.showModal();
      fields.focus();
    },
  };
}
