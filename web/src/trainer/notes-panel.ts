// Trainer notes during play: a box to type a note (Ctrl+Enter adds it), optionally about one entry of the
// live log, and the notes so far, newest first, with their time in UTC and exercise time and their author.
// Notes are private to exercise control: in the log (as a commitment) and the export, never on a console.
// The list is read from the verified live stream, so it shows what the log holds, not what was typed.
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import { NOTE_MAX } from '../../../shared/run-entries.js';
import { describeEntry } from './entry-text.js';
import { field, fill, h, nextId, statusLine, status } from './dom.js';
import { zuluTime } from './format.js';
import type { ExerciseContext, View } from './view.js';

/** How many recent entries the "about entry" choice offers. */
const CHOICES = 40;

export interface NotesPanel extends View {
  /** Chooses the entry the next note is about (from the live view), and puts the cursor in the box. */
  attach(idx: number): void;
}

export function notesPanel(ctx: ExerciseContext): NotesPanel {
  const { observer, def } = ctx;
  const titleId = nextId('notes-title');
  const text = h('textarea', { name: 'note', rows: 3, maxlength: NOTE_MAX, required: true });
  const about = h('select', { name: 'ref' });
  const add = h('button', { type: 'submit', class: 'primary' }, 'Add note');
  const msg = statusLine();
  const list = h('ol', { class: 'notes-list', reversed: true, 'aria-label': 'Trainer notes, newest first' });
  const form = h(
    'form',
    { class: 'note-form' },
    field('Note', text, 'Ctrl+Enter adds it. Private to exercise control: operators never see notes.'),
    field(
      'About entry',
      about,
      'Optional: the log entry the note is about (or choose “Note” on an entry in the live view).',
    ),
    h('p', { class: 'actions' }, add),
    msg,
  );
  const el = h(
    'section',
    { class: 'notes card', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, 'Trainer notes ', h('span', { class: 'tag tag-control' }, 'CONTROL ONLY')),
    form,
    list,
  );

  const renderChoices = () => {
    const keep = about.value;
    const recent = observer.records.slice(-CHOICES).reverse();
    const options = [h('option', { value: '' }, 'None: this moment only')];
    for (const r of recent) {
      const line = describeEntry(r, observer.entryContext);
      options.push(
        h('option', { value: r.entry.idx }, `${r.entry.idx}: ${line.length > 90 ? `${line.slice(0, 89)}…` : line}`),
      );
    }
    if (keep && !recent.some((r) => String(r.entry.idx) === keep))
      options.push(h('option', { value: keep }, `${keep}: an earlier entry`));
    fill(about, ...options);
    about.value = keep;
  };

  const renderList = () => {
    if (observer.notes.length === 0) return fill(list, h('li', { class: 'muted empty-notes' }, 'No notes yet.'));
    fill(
      list,
      ...[...observer.notes]
        .reverse()
        .map((n) =>
          h(
            'li',
            { class: 'trainer-note', 'data-idx': n.idx },
            h(
              'p',
              { class: 'note-head' },
              h('time', { datetime: n.at }, zuluTime(n.at)),
              h('span', { class: 'tplus' }, formatExerciseTime(n.exerciseMs)),
              h('span', { class: 'note-by' }, n.by),
              n.ref !== undefined && h('span', { class: 'note-ref' }, `about entry ${n.ref}`),
              h('span', { class: 'idx' }, `entry ${n.idx}`),
            ),
            h('p', { class: 'note-text' }, n.text),
          ),
        ),
    );
  };

  const submit = () => {
    const note = text.value.trim();
    if (!note) {
      status(msg, 'Type the note first.', 'error');
      return text.focus();
    }
    const ref = about.value === '' ? undefined : Number(about.value);
    add.disabled = true;
    status(msg, 'Adding the note…');
    ctx.api.addNote(def.id, note, ref).then(
      ({ idx }) => {
        add.disabled = false;
        text.value = '';
        about.value = '';
        status(msg, `Note added (entry ${idx}).`, 'ok');
        text.focus();
      },
      (err: Error) => {
        add.disabled = false;
        status(msg, err.message, 'error');
      },
    );
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      if (!add.disabled) submit();
    }
  });

  const setPhase = () => {
    const ended = ctx.run.state?.phase === 'ended';
    form.hidden = ended;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const offs = [
    observer.on('entry', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        renderChoices();
        renderList();
      }, 150);
    }),
    ctx.run.on('change', setPhase),
  ];
  renderChoices();
  renderList();
  setPhase();

  return {
    el,
    attach(idx) {
      if (![...about.options].some((o) => o.value === String(idx)))
        about.append(h('option', { value: idx }, `${idx}: an earlier entry`));
      about.value = String(idx);
      text.focus();
      status(msg, `The next note is about entry ${idx}.`);
    },
    destroy() {
      for (const off of offs) off();
      clearTimeout(timer);
    },
  };
}
