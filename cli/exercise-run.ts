// `hotline exercise start|pause|resume|end|run|scenario`: an exercise's lifecycle and its MSEL from the
// command line, over the same trainer API the trainer console uses. Each change prints the new phase and
// exercise time; --json prints the relay's RunState as it came.
import type { Command } from 'commander';
import type { TrainerApi } from '../client/trainer-api.js';
import { HotlineError } from '../shared/errors.js';
import { MAX_COMPRESSION, type ExerciseState, type Phase } from '../shared/exercise-clock.js';
import type { RunState, StateRequest } from '../shared/http-api.js';
import { phaseLine, runText } from './run-table.js';
import { checkScenario, injectCount, readScenarioFile, reportRefusal } from './scenario-file.js';
import { out } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

interface JsonOptions extends TrainerOptions {
  json?: boolean;
}

interface Change {
  command: string;
  description: string;
  state: ExerciseState;
  /** The phase the exercise must be in, when the relay alone could not tell start from resume. */
  from?: Phase;
  compression?: boolean;
  example: string;
}

const CHANGES: readonly Change[] = [
  {
    command: 'start',
    description: 'STARTEX: start the exercise clock (exercise time 0) and the timed injects',
    state: 'running',
    from: 'planned',
    compression: true,
    example: 'hotline exercise start incident-at-sea --compression 6',
  },
  {
    command: 'pause',
    description: 'pause the exercise clock: exercise time and timed injects stand still',
    state: 'paused',
    example: 'hotline exercise pause incident-at-sea',
  },
  {
    command: 'resume',
    description: 'resume a paused exercise',
    state: 'running',
    from: 'paused',
    compression: true,
    example: 'hotline exercise resume incident-at-sea',
  },
  {
    command: 'end',
    description: 'ENDEX: close the line for good (every later submission is refused EXERCISE_ENDED)',
    state: 'ended',
    example: 'hotline exercise end incident-at-sea',
  },
];

const HINTS: Readonly<Record<Phase, string>> = {
  planned: 'start it first (hotline exercise start)',
  running: 'it is already running',
  paused: 'resume it (hotline exercise resume)',
  ended: 'it has ended',
};

/** 1 to 60, checked before anything is sent. */
export function parseCompression(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 1 || n > MAX_COMPRESSION)
    throw new HotlineError('BAD_REQUEST', `--compression: a number from 1 to ${MAX_COMPRESSION}, not "${text}".`);
  return n;
}

function print(run: RunState, json: boolean | undefined): void {
  out(json ? JSON.stringify(run, null, 2) : phaseLine(run));
}

async function change(api: TrainerApi, id: string, c: Change, compression: number | undefined): Promise<RunState> {
  if (c.from !== undefined) {
    // The relay takes `running` from planned and from paused alike; the command says which was meant.
    const { phase } = await api.run(id);
    if (phase !== c.from)
      throw new HotlineError('BAD_TRANSITION', `Exercise ${id} is ${phase}, not ${c.from}: ${HINTS[phase]}.`);
  }
  const request: StateRequest = compression === undefined ? { state: c.state } : { state: c.state, compression };
  return api.setState(id, request);
}

export function registerExerciseRun(exercise: Command): void {
  for (const c of CHANGES) {
    const cmd = withApi(exercise.command(`${c.command} <id>`))
      .description(c.description)
      .option('--json', 'print the RunState as JSON');
    if (c.compression)
      cmd.option(
        '--compression <n>',
        `exercise seconds per real second, 1 to ${MAX_COMPRESSION} (default: the scenario's, else 1; resume keeps the last)`,
      );
    cmd
      .addHelpText('after', `\nExample:\n  $ ${c.example}`)
      .action(async (id: string, o: JsonOptions & { compression?: string }) => {
        const compression = o.compression === undefined ? undefined : parseCompression(o.compression);
        print(await change(trainerApi(o), id, c, compression), o.json);
      });
  }

  withApi(exercise.command('run <id>'))
    .description("show the exercise's phase, exercise time and MSEL (injects with status, due and fired times)")
    .option('--json', 'print the RunState as JSON')
    .addHelpText(
      'after',
      `\nTimes are UTC (Z) and exercise time (T+HH:MM:SS). Manual injects have no due time.

Examples:
  $ hotline exercise run incident-at-sea
  $ hotline exercise run incident-at-sea --json | jq '.injects[] | select(.status == "pending") | .id'`,
    )
    .action(async (id: string, o: JsonOptions) => {
      const run = await trainerApi(o).run(id);
      if (o.json) return out(JSON.stringify(run, null, 2));
      for (const line of runText(run)) out(line);
    });

  withApi(exercise.command('scenario <id> <file>'))
    .description('load a scenario (MSEL) into a planned exercise, replacing any loaded before')
    .option('--json', 'print the RunState as JSON')
    .addHelpText(
      'after',
      `\nThe file is checked against the exercise's stations first: every problem on stderr, exit 2, nothing sent.

Example:
  $ hotline exercise scenario tabletop-3 scenarios/missile-test.json`,
    )
    .action(async (id: string, file: string, o: JsonOptions) => {
      const api = trainerApi(o);
      const value = readScenarioFile(file);
      const scenario = checkScenario(file, value, (await api.exercise(id)).def);
      const run = await api.loadScenario(id, scenario).catch((err: unknown) => reportRefusal(file, err));
      if (o.json) return out(JSON.stringify(run, null, 2));
      out(`loaded scenario "${scenario.title}" into ${id}: ${injectCount(scenario)}`);
    });
}
