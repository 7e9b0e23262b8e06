// The fields of one inject, in both languages, for editing an inject before it fires and for an ad-hoc
// inject: every value of the MSEL row (time, target station, simulated originator, precedence, subject,
// body, expected action, controller notes). The station's own language is the one it must have; the form
// says which, and lists the problems the scenario rules find before anything is sent.
import { LIMITS, PRECEDENCES, type ExerciseDef } from '../../../shared/items.js';
import { INJECT_ID, SCENARIO_LIMITS, type InjectDef } from '../../../shared/scenario.js';
import { field, h, select } from './dom.js';
import { defOf, type InjectFields } from './inject-def.js';

export interface InjectFieldset {
  el: HTMLElement;
  read(): InjectDef;
  focus(): void;
}

export function injectFieldset(exercise: ExerciseDef, initial: InjectFields, lockId: boolean): InjectFieldset {
  const text = (name: keyof InjectFields, max: number, attrs: Record<string, string | boolean> = {}) =>
    h('input', {
      type: 'text',
      name,
      value: String(initial[name]),
      maxlength: max,
      autocomplete: 'off',
      ...attrs,
    });
  const area = (name: keyof InjectFields, max: number, rows: number, lang?: string) =>
    h('textarea', { name, maxlength: max, rows, ...(lang ? { lang } : {}) }, String(initial[name]));
  const id = text('id', 32, {
    pattern: INJECT_ID.source.slice(1, -1),
    required: true,
    spellcheck: 'false',
    readonly: lockId,
  });
  const at = text('at', 12, { required: true, spellcheck: 'false', placeholder: '00:05:00 or manual' });
  const to = select(
    exercise.stations.map((s) => [s.id, `${s.name} (${s.lang})`] as [string, string]),
    initial.to,
    { name: 'to' },
  );
  const precedence = select(PRECEDENCES, initial.precedence, { name: 'precedence' });
  const fromZh = text('fromZh', SCENARIO_LIMITS.originator, { lang: 'zh' });
  const fromEn = text('fromEn', SCENARIO_LIMITS.originator, { lang: 'en' });
  const subjectZh = text('subjectZh', LIMITS.subject, { lang: 'zh' });
  const subjectEn = text('subjectEn', LIMITS.subject, { lang: 'en' });
  const bodyZh = area('bodyZh', LIMITS.body, 4, 'zh');
  const bodyEn = area('bodyEn', LIMITS.body, 4, 'en');
  const expected = area('expectedAction', SCENARIO_LIMITS.expectedAction, 2);
  const notes = area('controllerNotes', SCENARIO_LIMITS.controllerNotes, 2);

  const langHint = h('p', { class: 'hint inject-lang-hint' });
  const sayLang = () => {
    const station = exercise.stations.find((s) => s.id === to.value);
    langHint.textContent = station
      ? `${station.name} reads ${station.lang === 'zh' ? 'Chinese' : 'English'}: originator, subject and body need their ${station.lang} text; the other language is optional.`
      : '';
  };
  to.addEventListener('change', sayLang);
  sayLang();

  const el = h(
    'div',
    { class: 'inject-fields' },
    h(
      'div',
      { class: 'row' },
      field('Inject ID', id, lockId ? 'The MSEL id stays.' : 'Letters, digits, ".", "_" or "-".'),
      field('Time', at, 'Exercise time after STARTEX (00:05:00), or manual.'),
      field('Target station', to),
      field('Precedence', precedence),
    ),
    langHint,
    h('div', { class: 'row' }, field('Originator (zh)', fromZh), field('Originator (en)', fromEn)),
    h('div', { class: 'row' }, field('Subject (zh)', subjectZh), field('Subject (en)', subjectEn)),
    h('div', { class: 'row' }, field('Body (zh)', bodyZh), field('Body (en)', bodyEn)),
    h(
      'div',
      { class: 'row' },
      field('Expected action', expected, 'What the station should do; never shown to operators.'),
      field('Controller notes', notes, 'For exercise control only.'),
    ),
  );
  return {
    el,
    read: () =>
      defOf({
        id: id.value,
        at: at.value,
        to: to.value,
        fromZh: fromZh.value,
        fromEn: fromEn.value,
        precedence: precedence.value as InjectFields['precedence'],
        subjectZh: subjectZh.value,
        subjectEn: subjectEn.value,
        bodyZh: bodyZh.value,
        bodyEn: bodyEn.value,
        expectedAction: expected.value,
        controllerNotes: notes.value,
      }),
    focus: () => (lockId ? at : id).focus(),
  };
}
