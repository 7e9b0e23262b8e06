// A scenario file as `hotline exercise create --scenario` and `hotline exercise scenario` read it: size first,
// then strict JSON, then every problem against the exercise it is for, each on its own line of stderr, so a
// trainer fixes the whole file in one pass instead of one refusal at a time.
import { readFileSync, statSync } from 'node:fs';
import { HotlineError } from '../shared/errors.js';
import type { ExerciseDef } from '../shared/items.js';
import { MAX_SCENARIO_BYTES, scenarioProblems, type Scenario } from '../shared/scenario.js';
import { parseStrictJson } from '../shared/strict-json.js';
import { diag } from './terminal.js';

/** The file's JSON, unchecked: refused BAD_REQUEST when it is too large or not (I-)JSON. */
export function readScenarioFile(file: string): unknown {
  const size = statSync(file).size;
  if (size > MAX_SCENARIO_BYTES)
    throw new HotlineError(
      'BAD_REQUEST',
      `${file} is ${size} bytes; a scenario file is at most ${MAX_SCENARIO_BYTES} bytes.`,
    );
  return parseStrictJson(readFileSync(file, 'utf8'), 'BAD_REQUEST', file);
}

/** Prints each problem as "FILE: inject INJ-03 (injects[2]) body.zh: …" on stderr. */
export function printProblems(file: string, problems: readonly string[]): void {
  for (const p of problems) diag(`${file}: ${p}`);
}

/** The scenario, valid for `def`; otherwise every problem on stderr and SCENARIO_INVALID. */
export function checkScenario(file: string, value: unknown, def?: ExerciseDef): Scenario {
  const problems = scenarioProblems(value, def);
  if (problems.length > 0) {
    printProblems(file, problems);
    const n = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new HotlineError('SCENARIO_INVALID', `${file}: ${n} (listed above); nothing was sent.`);
  }
  return value as Scenario;
}

/** For a refusal by the relay: its `problems`, if it listed any, each on stderr; then the error goes on. */
export function reportRefusal(file: string, err: unknown): never {
  if (err instanceof HotlineError && err.code === 'SCENARIO_INVALID') {
    const problems = err.details['problems'];
    if (Array.isArray(problems)) printProblems(file, problems.map(String));
  }
  throw err;
}

/** "18 injects (3 manual)". */
export function injectCount(s: Pick<Scenario, 'injects'>): string {
  const manual = s.injects.filter((i) => i.at === 'manual').length;
  return `${s.injects.length} inject${s.injects.length === 1 ? '' : 's'} (${manual} manual)`;
}
