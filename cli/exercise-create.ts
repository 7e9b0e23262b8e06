// `hotline exercise create`: an exercise from flags, or from a scenario file's `exercise` (flags win), with the
// scenario loaded into it. The file is checked here against the exercise it will run in before any request,
// so a bad file creates nothing.
import type { Command } from 'commander';
import { EXERCISE_MARKING } from '../shared/classification.js';
import { exerciseDef, type ExerciseDef } from '../shared/items.js';
import { validate } from '../shared/protocol.js';
import type { Scenario } from '../shared/scenario.js';
import { DEFAULT_STATIONS } from '../shared/stations.js';
import { checkScenario, injectCount, readScenarioFile, reportRefusal } from './scenario-file.js';
import { out } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

interface CreateOptions extends TrainerOptions {
  title?: string;
  classification?: string;
  station?: string[];
  scenario?: string;
}

function stationsOf(specs: string[]): unknown[] {
  return specs.map((s) => {
    const [sid, name, lang] = s.split(':');
    return { id: sid, name: name ?? sid, lang: lang ?? 'en' };
  });
}

/** The exercise to create: each field from the flags, else the scenario's `exercise`, else the defaults. */
function candidate(id: string, o: CreateOptions, base: Partial<ExerciseDef>, fallbackTitle?: unknown): unknown {
  return {
    id,
    title: o.title ?? base.title ?? fallbackTitle,
    classification: o.classification ?? base.classification ?? EXERCISE_MARKING,
    stations: o.station ? stationsOf(o.station) : (base.stations ?? DEFAULT_STATIONS),
  };
}

/**
 * The exercise a scenario file makes, and the file checked against it. Every problem of the file is listed
 * at once, its stations' languages included, whenever the exercise can be made out; when it cannot (no ID
 * anywhere, a title too long), the file's own problems come first, then what is missing.
 */
function fromScenario(file: string, id: string | undefined, o: CreateOptions, cmd: Command) {
  const value = readScenarioFile(file);
  const named = exerciseDef.safeParse((value as { exercise?: unknown } | null)?.exercise);
  const base: Partial<ExerciseDef> = named.success ? named.data : {};
  const chosen = id ?? base.id;
  if (chosen === undefined) {
    checkScenario(file, value);
    cmd.error(`error: missing required argument 'id' (${file} has no "exercise" to take it from)`);
  }
  const wanted = candidate(chosen, o, base, (value as { title?: unknown } | null)?.title);
  if (!exerciseDef.safeParse(wanted).success) checkScenario(file, value);
  // Checked here with the relay's own schema, so a typo fails before any request, with the same message.
  const def = validate(exerciseDef, wanted, 'BAD_REQUEST');
  return { def, scenario: checkScenario(file, value, def) };
}

export function registerExerciseCreate(exercise: Command): void {
  withApi(exercise.command('create [id]'))
    .description('create an exercise with two stations, optionally loading a scenario (MSEL) into it')
    .option('--scenario <file>', 'scenario file (docs/scenarios.md): its exercise is created and its injects loaded')
    .option('--title <title>', 'title shown on the consoles (required without --scenario)')
    .option('--classification <line>', `classification line (default "${EXERCISE_MARKING}")`)
    .option(
      '--station <id:name:lang...>',
      `the two stations (default ${DEFAULT_STATIONS.map((s) => `${s.id}:${s.name}:${s.lang}`).join(' ')})`,
    )
    .addHelpText(
      'after',
      `
Without --scenario, ID and --title are required. With --scenario FILE, the ID, title, classification and
stations come from the file's "exercise" (each flag given wins), the file is checked against that exercise
(every problem on stderr, exit 2, nothing created), then the exercise is created and the scenario loaded.

Examples:
  $ hotline exercise create tabletop-3 --title "Tabletop 3" --station beijing:Beijing:zh washington:Washington:en
  $ hotline exercise create --scenario scenarios/incident-at-sea.json
  $ hotline exercise create sea-2 --scenario scenarios/incident-at-sea.json --name "Control (Lt Chen)"`,
    )
    .action(async (id: string | undefined, o: CreateOptions, cmd: Command) => {
      const api = trainerApi(o);
      let scenario: Scenario | undefined;
      let def: ExerciseDef;
      if (o.scenario === undefined) {
        if (id === undefined) cmd.error("error: missing required argument 'id'");
        if (o.title === undefined) cmd.error("error: required option '--title <title>' not specified");
        def = validate(exerciseDef, candidate(id, o, {}), 'BAD_REQUEST');
      } else {
        ({ def, scenario } = fromScenario(o.scenario, id, o, cmd));
      }
      const created = await api.createExercise(def);
      out(`created ${created.def.id}`);
      if (scenario === undefined || o.scenario === undefined) return;
      const file = o.scenario;
      await api.loadScenario(created.def.id, scenario).catch((err: unknown) => reportRefusal(file, err));
      out(`loaded scenario "${scenario.title}": ${injectCount(scenario)}`);
    });
}
