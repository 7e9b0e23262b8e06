// The exercises screen: every exercise on this relay with its phase (planned, running, paused, ENDEX), and
// the form to create one (title, classification line, the two stations with their display names and
// languages).
import { EXERCISE_MARKING } from '../../../shared/classification.js';
import { LANGS, LIMITS, SLUG, type ExerciseDef, type Lang } from '../../../shared/items.js';
import { DEFAULT_STATIONS } from '../../../shared/stations.js';
import type { TrainerApi } from '../../../client/trainer-api.js';
import type { ExerciseSummary } from '../../../shared/http-api.js';
import { scrollRegion } from './scroll-region.js';
import { h, field, fill, select, statusLine, status } from './dom.js';
import { zuluDated } from './format.js';
import { PHASE_LABEL } from './run-clock.js';
import type { View } from './view.js';

const LANG_LABEL: Record<Lang, string> = { zh: 'Chinese (zh)', en: 'English (en)' };

/** The exercises as a table; on a phone each row reflows into a card (phone.css), its cells labelled by
 * their data-label, so the links to open an exercise are never scrolled out of view. */
function listTable(list: ExerciseSummary[]): HTMLElement {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No exercises yet: create one below.');
  return scrollRegion(
    'Exercises',
    h(
      'table',
      { class: 'exercises' },
      h('caption', { class: 'visually-hidden' }, 'Exercises on this relay'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Exercise', 'ID', 'Phase', 'Classification', 'Stations', 'Created', 'Log entries', 'Open'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...list.map((e) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', 'data-label': 'Exercise' }, e.title),
            h('td', { class: 'mono', 'data-label': 'ID' }, e.id),
            h(
              'td',
              { 'data-label': 'Phase' },
              // An older relay lists no phase: say nothing rather than guess.
              e.phase && h('span', { class: `phase-tag phase-${e.phase}` }, PHASE_LABEL[e.phase]),
            ),
            h('td', { 'data-label': 'Classification' }, e.classification || '—'),
            h('td', { 'data-label': 'Stations' }, e.stations.map((s) => `${s.name} (${s.lang})`).join(' / ')),
            h('td', { class: 'mono', 'data-label': 'Created' }, zuluDated(e.createdAt)),
            h('td', { class: 'num', 'data-label': 'Log entries' }, String(e.entries)),
            h(
              'td',
              { class: 'open', 'data-label': 'Open' },
              h('a', { href: `#/exercises/${e.id}/run`, 'aria-label': `Run ${e.title}` }, 'Run'),
              ' ',
              h('a', { href: `#/exercises/${e.id}/live`, 'aria-label': `Open ${e.title} live` }, 'Live'),
              ' ',
              h('a', { href: `#/exercises/${e.id}/replay`, 'aria-label': `Replay ${e.title}` }, 'Replay'),
              ' ',
              h('a', { href: `#/exercises/${e.id}/enrolment`, 'aria-label': `Enrolment for ${e.title}` }, 'Enrol'),
            ),
          ),
        ),
      ),
    ),
  );
}

function stationFields(
  n: 1 | 2,
  { id, name, lang }: ExerciseDef['stations'][0],
): { el: HTMLElement; read(): ExerciseDef['stations'][0] } {
  const idIn = h('input', {
    name: `s${n}-id`,
    value: id,
    required: true,
    pattern: SLUG.source.slice(1, -1),
    maxlength: 32,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const nameIn = h('input', {
    name: `s${n}-name`,
    value: name,
    required: true,
    maxlength: LIMITS.stationName,
    autocomplete: 'off',
  });
  const langSel = select(
    LANGS.map((l) => [l, LANG_LABEL[l]] as [string, string]),
    lang,
    { name: `s${n}-lang` },
  );
  const el = h(
    'fieldset',
    { class: 'station-fields' },
    h('legend', {}, `Station ${n}`),
    field('Station ID', idIn, 'Lower-case letters, digits and dashes.'),
    field('Display name', nameIn),
    field('Console language', langSel),
  );
  return { el, read: () => ({ id: idIn.value.trim(), name: nameIn.value.trim(), lang: langSel.value as Lang }) };
}

export function exercisesView(api: TrainerApi): View {
  const listBox = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading exercises…'));
  const listStatus = statusLine();
  const load = () =>
    api.listExercises().then(
      (exercises) => {
        listBox.removeAttribute('aria-busy');
        fill(listBox, listTable(exercises.sort((a, b) => b.createdAt.localeCompare(a.createdAt))));
      },
      (err: Error) => status(listStatus, err.message, 'error'),
    );

  const id = h('input', {
    name: 'id',
    required: true,
    pattern: SLUG.source.slice(1, -1),
    maxlength: 32,
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: 'e.g. dtl-2025-11',
  });
  const title = h('input', {
    name: 'title',
    required: true,
    maxlength: LIMITS.title,
    autocomplete: 'off',
    placeholder: 'e.g. Maritime incident, South China Sea',
  });
  const classification = h('input', {
    name: 'classification',
    value: EXERCISE_MARKING,
    maxlength: LIMITS.classification,
    autocomplete: 'off',
  });
  const s1 = stationFields(1, DEFAULT_STATIONS[0]);
  const s2 = stationFields(2, DEFAULT_STATIONS[1]);
  const createStatus = statusLine();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create exercise');
  const form = h(
    'form',
    { class: 'card create', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'New exercise'),
    h(
      'div',
      { class: 'row' },
      field('Exercise ID', id, 'Lower-case letters, digits and dashes; at most 32. Used in the log and the export.'),
      field('Title', title),
    ),
    field(
      'Classification line',
      classification,
      'Shown on every console and in the export, e.g. UNCLASSIFIED // EXERCISE.',
    ),
    h('div', { class: 'row' }, s1.el, s2.el),
    h('p', { class: 'actions' }, submit),
    createStatus,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const def: ExerciseDef = {
      id: id.value.trim(),
      title: title.value.trim(),
      classification: classification.value.trim(),
      stations: [s1.read(), s2.read()],
    };
    submit.disabled = true;
    status(createStatus, 'Creating…');
    api.createExercise(def).then(
      (created) => {
        status(createStatus, `Exercise ${created.def.id} created (log entry ${created.idx}).`, 'ok');
        location.hash = `#/exercises/${created.def.id}/enrolment`;
      },
      (err: Error) => {
        submit.disabled = false;
        status(createStatus, err.message, 'error');
      },
    );
  });

  void load();
  const el = h(
    'div',
    { class: 'exercises-page' },
    h('h1', { tabindex: -1 }, 'Exercises'),
    h('section', { 'aria-label': 'Exercise list', class: 'card' }, listBox, listStatus),
    form,
  );
  return { el };
}
