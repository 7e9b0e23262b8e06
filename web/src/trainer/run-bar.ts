// The exercise's state bar, on every tab of an exercise: the phase in words (PLANNED, RUNNING, PAUSED,
// ENDEX), exercise time ticking beside UTC, the compression, who made the last change, and the lifecycle
// controls: STARTEX with a compression, pause, resume, and ENDEX, which asks first because it closes the
// line for both consoles and seals the log for good. One row at 1366 px (run.css), so a tab keeps the
// height of the window for itself: the replay's consoles and scrubber fit at 1366x800.
import type { Phase } from '../../../shared/exercise-clock.js';
import { MAX_COMPRESSION, type ExerciseState } from '../../../shared/exercise-clock.js';
import type { RunState } from '../../../shared/http-api.js';
import { setText } from '../common/dom.js';
import { announce, field, fill, h, nextId, statusLine, status } from './dom.js';
import { zuluTime } from './format.js';
import {
  COMPRESSIONS,
  compressionMeaning,
  compressionText,
  exerciseTimeText,
  parseCompression,
  PHASE_LABEL,
  transitionLabel,
} from './run-clock.js';
import type { ExerciseContext, View } from './view.js';

const OTHER = 'other';

/** The compression chooser: the usual values, or any number from 1 to 60. */
function compressionChooser(initial: number, hint?: string): { el: HTMLElement; read(): number | undefined } {
  const known = (COMPRESSIONS as readonly number[]).includes(initial);
  const choice = h(
    'select',
    { name: 'compression' },
    ...COMPRESSIONS.map((c) => h('option', { value: c }, compressionMeaning(c))),
    h('option', { value: OTHER }, 'Another compression…'),
  );
  choice.value = known ? String(initial) : OTHER;
  const other = h('input', {
    type: 'number',
    name: 'compression-other',
    min: 1,
    max: MAX_COMPRESSION,
    step: 'any',
    value: known ? '' : String(initial),
    inputmode: 'decimal',
  });
  const otherField = field('Exercise seconds per real second', other, `1 to ${MAX_COMPRESSION}.`);
  const sync = () => (otherField.hidden = choice.value !== OTHER);
  choice.addEventListener('change', sync);
  sync();
  return {
    el: h('div', { class: 'compression' }, field('Compression', choice, hint), otherField),
    read: () => (choice.value === OTHER ? parseCompression(other.value) : Number(choice.value)),
  };
}

export function runBar(ctx: ExerciseContext): View {
  const { run } = ctx;
  // Not a live region: a change of phase is announced once, with who made it (announce below).
  const phaseEl = h('p', { class: 'run-phase' });
  const tplus = h('span', { class: 'clock-value' });
  const utc = h('span', { class: 'clock-value' });
  const rate = h('span', { class: 'clock-value' });
  const clocks = h(
    'dl',
    { class: 'run-clocks' },
    h('div', {}, h('dt', {}, 'Exercise time'), h('dd', { class: 'run-tplus' }, tplus)),
    h('div', {}, h('dt', {}, 'UTC'), h('dd', { class: 'run-utc' }, utc)),
    h('div', {}, h('dt', {}, 'Compression'), h('dd', { class: 'run-rate' }, rate)),
  );
  const last = h('p', { class: 'run-last muted' });
  const controls = h('div', { class: 'run-controls' });
  const msg = statusLine();
  const dialogTitle = nextId('endex-title');
  const confirm = h('button', { type: 'button', class: 'danger' }, 'End the exercise now');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const dialog = h(
    'dialog',
    { class: 'run-dialog endex-dialog', 'aria-labelledby': dialogTitle },
    h('h2', { id: dialogTitle }, 'ENDEX: end the exercise?'),
    h(
      'p',
      {},
      'ENDEX closes the line for good: both consoles can send nothing more, no inject fires, and the relay seals the log with a final checkpoint. It cannot be undone.',
    ),
    h('p', { class: 'actions' }, confirm, cancel),
  );
  const el = h(
    'section',
    { class: 'run-bar', 'aria-label': 'Exercise state and clock' },
    h('div', { class: 'run-state' }, phaseEl, h('div', { class: 'run-readings' }, clocks, last)),
    controls,
    msg,
    dialog,
  );

  let shownPhase: Phase | undefined;
  /** What the controls were drawn for: the phase, and before STARTEX the scenario's compression. */
  let shownControls = '';
  const change = (request: { state: ExerciseState; compression?: number }, doing: string) => {
    for (const b of controls.querySelectorAll('button')) b.disabled = true;
    status(msg, doing);
    run
      .act(() => ctx.api.setState(ctx.def.id, request))
      .then(
        () => status(msg, ''),
        (err: Error) => {
          for (const b of controls.querySelectorAll('button')) b.disabled = false;
          status(msg, err.message, 'error');
        },
      );
  };

  const button = (text: string, cls: string | undefined, onClick: () => void) =>
    h('button', { type: 'button', class: cls, onclick: onClick }, text);

  const renderControls = (state: RunState) => {
    const endex = button('ENDEX', 'danger', () => dialog.showModal());
    switch (state.phase) {
      case 'planned':
      case 'paused': {
        const start = state.phase === 'planned';
        const suggested = start ? ctx.observer.scenario?.compression : undefined;
        const chooser = compressionChooser(
          suggested ?? state.compression,
          suggested === undefined ? undefined : `The scenario suggests ${compressionText(suggested)}.`,
        );
        const go = button(start ? 'STARTEX' : 'Resume exercise', 'primary', () => {
          const compression = chooser.read();
          if (compression === undefined)
            return status(msg, `A compression is a number from 1 to ${MAX_COMPRESSION}.`, 'error');
          change({ state: 'running', compression }, start ? 'Starting the exercise…' : 'Resuming…');
        });
        return fill(controls, chooser.el, h('p', { class: 'actions' }, go, endex));
      }
      case 'running':
        return fill(
          controls,
          h(
            'p',
            { class: 'actions' },
            button('Pause exercise', undefined, () => change({ state: 'paused' }, 'Pausing…')),
            endex,
          ),
        );
      case 'ended':
        return fill(controls, h('p', { class: 'muted' }, 'The line is closed and the log is sealed.'));
    }
  };

  const tick = () => {
    const state = run.state;
    if (!state) return;
    const now = run.now();
    setText(tplus, exerciseTimeText(state, now));
    setText(utc, zuluTime(new Date(now)));
  };

  const render = (state: RunState) => {
    phaseEl.textContent = PHASE_LABEL[state.phase];
    phaseEl.className = `run-phase phase-${state.phase}`;
    el.dataset['phase'] = state.phase;
    // Before STARTEX there is no rate yet: the chooser below picks it.
    rate.textContent = state.phase === 'planned' ? '—' : compressionText(state.compression);
    const t = state.transitions.at(-1);
    const label = t && transitionLabel(t, state.transitions);
    const since = state.startex && label !== 'STARTEX' ? ` · STARTEX ${zuluTime(state.startex)}` : '';
    last.textContent = t
      ? `${label} by ${t.by} at ${zuluTime(t.at)}${since}`
      : 'Not started. Load the scenario, enrol both consoles, then STARTEX.';
    const controlsKey = `${state.phase}|${state.phase === 'planned' ? (ctx.observer.scenario?.compression ?? '') : ''}`;
    if (controlsKey !== shownControls) {
      shownControls = controlsKey;
      renderControls(state);
    }
    if (state.phase !== shownPhase) {
      const before = shownPhase;
      shownPhase = state.phase;
      if (before !== undefined) announce(`Exercise ${PHASE_LABEL[state.phase]}: ${last.textContent}`);
    }
    tick();
  };

  confirm.addEventListener('click', () => {
    dialog.close();
    change({ state: 'ended' }, 'Ending the exercise…');
  });
  cancel.addEventListener('click', () => dialog.close());

  const offs = [
    run.on('change', render),
    // The scenario's own compression is the suggestion at STARTEX, once the log has shown it.
    ctx.observer.on('entry', ({ applied }) => {
      if (applied.entry.kind === 'scenario' && run.state) render(run.state);
    }),
    run.on('error', (err) => status(msg, `The exercise state could not be read: ${err.message}`, 'error')),
  ];
  if (run.state) render(run.state);
  else phaseEl.textContent = 'Reading the exercise state…';
  // Four times a second, so the shown second never lags the real one by more than a quarter.
  const timer = setInterval(tick, 250);

  return {
    el,
    destroy() {
      for (const off of offs) off();
      clearInterval(timer);
    },
  };
}
