// A scenario file as the trainer picks it: checked in the browser with the same rules the relay applies
// (shared/scenario.ts), so every problem is listed, each naming its inject and field, before anything is
// sent; and the relay's own refusal (SCENARIO_INVALID with `problems`) read back into the same list. Pure.
import { HotlineError } from '../../../shared/errors.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { MAX_SCENARIO_BYTES, scenarioProblems, type Scenario } from '../../../shared/scenario.js';

export type ScenarioCheck = { ok: true; scenario: Scenario; value: unknown } | { ok: false; problems: string[] };

/** Checks a scenario file's text (and its size in bytes) against the exercise it is for. */
export function checkScenarioText(text: string, bytes: number, def: ExerciseDef): ScenarioCheck {
  if (bytes > MAX_SCENARIO_BYTES)
    return {
      ok: false,
      problems: [`(file): ${Math.ceil(bytes / 1024)} KiB; a scenario file is at most ${MAX_SCENARIO_BYTES / 1024} KiB`],
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`(file): not JSON: ${(err as Error).message}`] };
  }
  return checkScenario(value, def);
}

/** Checks a parsed scenario (a shipped one, or a file's JSON). */
export function checkScenario(value: unknown, def: ExerciseDef): ScenarioCheck {
  const problems = scenarioProblems(value, def);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, scenario: value as Scenario, value };
}

/** The problems the relay listed when it refused a scenario or an inject; undefined for other failures. */
export function refusalProblems(err: unknown): string[] | undefined {
  if (!(err instanceof HotlineError) || err.code !== 'SCENARIO_INVALID') return undefined;
  const problems = err.details['problems'];
  if (!Array.isArray(problems)) return [err.message];
  const texts = problems.filter((p): p is string => typeof p === 'string');
  return texts.length > 0 ? texts : [err.message];
}

/** "12 injects (4 manual), first at T+00:02:00, to Beijing and Washington" style summary parts. */
export function scenarioCounts(scenario: Scenario): { injects: number; manual: number; stations: string[] } {
  const manual = scenario.injects.filter((i) => i.at === 'manual').length;
  const stations = [...new Set(scenario.injects.map((i) => i.to))];
  return { injects: scenario.injects.length, manual, stations };
}
