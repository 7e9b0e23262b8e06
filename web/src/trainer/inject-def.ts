// An inject's definition as the edit and ad-hoc forms hold it: one text field per value and language, read
// back into an InjectDef (empty fields left out) and checked with the scenario rules the relay applies, so
// the form lists every problem by field before it sends anything. Pure.
import type { ExerciseDef, Precedence } from '../../../shared/items.js';
import { SCENARIO_FORMAT, scenarioProblems, type InjectDef, type Texts } from '../../../shared/scenario.js';

export interface InjectFields {
  id: string;
  /** "00:05:00", "5:00", seconds, or "manual". */
  at: string;
  to: string;
  fromZh: string;
  fromEn: string;
  precedence: Precedence;
  subjectZh: string;
  subjectEn: string;
  bodyZh: string;
  bodyEn: string;
  expectedAction: string;
  controllerNotes: string;
}

export function fieldsOf(def: InjectDef): InjectFields {
  return {
    id: def.id,
    at: def.at,
    to: def.to,
    fromZh: def.from.zh ?? '',
    fromEn: def.from.en ?? '',
    precedence: def.precedence,
    subjectZh: def.subject?.zh ?? '',
    subjectEn: def.subject?.en ?? '',
    bodyZh: def.body.zh ?? '',
    bodyEn: def.body.en ?? '',
    expectedAction: def.expectedAction,
    controllerNotes: def.controllerNotes ?? '',
  };
}

function texts(zh: string, en: string): Texts {
  const t: Texts = {};
  if (zh.trim()) t.zh = zh.trim();
  if (en.trim()) t.en = en.trim();
  return t;
}

/** The definition the fields describe; not yet checked (see injectProblems). */
export function defOf(f: InjectFields): InjectDef {
  const def: InjectDef = {
    id: f.id.trim(),
    at: f.at.trim().toLowerCase() === 'manual' ? 'manual' : f.at.trim(),
    to: f.to,
    from: texts(f.fromZh, f.fromEn),
    precedence: f.precedence,
    body: texts(f.bodyZh, f.bodyEn),
    expectedAction: f.expectedAction.trim(),
  };
  const subject = texts(f.subjectZh, f.subjectEn);
  if (subject.zh !== undefined || subject.en !== undefined) def.subject = subject;
  if (f.controllerNotes.trim()) def.controllerNotes = f.controllerNotes.trim();
  return def;
}

/** Every problem of one inject for this exercise, each naming its field ("body.zh: required, …"). */
export function injectProblems(def: InjectDef, exercise: ExerciseDef): string[] {
  const scenario = { format: SCENARIO_FORMAT, v: 1, title: 'inject', injects: [def] };
  // The scenario rules name the inject by its place in a file ("inject X (injects[0]) body.zh"); a form
  // holds one inject, so only the field is worth saying.
  return scenarioProblems(scenario, exercise).map((p) =>
    p.replace(/^(?:inject .* \(injects\[0\]\)|injects\[0\])(?::? )/, ''),
  );
}

/** A fresh id for an ad-hoc inject: ADHOC-01, ADHOC-02, … not yet in the MSEL. */
export function nextAdHocId(taken: readonly string[]): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const id = `ADHOC-${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}
