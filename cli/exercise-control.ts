// A controller's hands during play: `hotline inject fire|hold|release|skip` on one MSEL inject, and
// `hotline note` for exercise control's private notes. Both are recorded in the log with the trainer's name.
import type { Command } from 'commander';
import type { InjectCommand } from '../client/trainer-api.js';
import { HotlineError } from '../shared/errors.js';
import type { InjectStatus, RunState } from '../shared/http-api.js';
import { out } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

interface JsonOptions extends TrainerOptions {
  json?: boolean;
}

const COMMANDS: readonly { command: InjectCommand; description: string }[] = [
  { command: 'fire', description: 'fire an inject now (a pending or held one, timed or manual)' },
  { command: 'hold', description: 'hold a pending inject: it does not fire, at its time or otherwise, until released' },
  { command: 'release', description: 'release a held inject: it fires at its time (at once if that has passed)' },
  { command: 'skip', description: 'skip an inject that has not fired: it never will' },
];

/** "INJ-03 fired at entry 45" or "INJ-03 held". */
export function injectLine(inject: InjectStatus | undefined, id: string): string {
  if (!inject) return `${id}: not in the MSEL any more`;
  return inject.fired ? `${inject.id} fired at entry ${inject.fired.idx}` : `${inject.id} ${inject.status}`;
}

/** A non-negative entry index for --ref, checked before anything is sent. */
export function parseRef(text: string): number {
  if (!/^\d{1,15}$/.test(text))
    throw new HotlineError('BAD_REQUEST', `--ref: an entry index (0, 1, 2, ...), not "${text}".`);
  return Number(text);
}

export function registerExerciseControl(program: Command): void {
  const inject = program
    .command('inject')
    .description("fire, hold, release or skip an inject of an exercise's MSEL (trainer)")
    .addHelpText(
      'after',
      `\nExamples:\n  $ hotline inject fire incident-at-sea CON-01\n  $ hotline inject hold incident-at-sea INJ-09`,
    );
  for (const { command, description } of COMMANDS) {
    withApi(inject.command(`${command} <id> <inject>`))
      .description(description)
      .option('--json', 'print the RunState as JSON')
      .addHelpText(
        'after',
        `\n<id> is the exercise, <inject> the MSEL id (hotline exercise run lists them). An inject that cannot do
that in its state is refused with INJECT_STATE (exit 1).

Example:
  $ hotline inject ${command} incident-at-sea INJ-05`,
      )
      .action(async (id: string, injectId: string, o: JsonOptions) => {
        const run: RunState = await trainerApi(o).injectCommand(id, injectId, command);
        if (o.json) return out(JSON.stringify(run, null, 2));
        out(
          injectLine(
            run.injects.find((i) => i.id === injectId),
            injectId,
          ),
        );
      });
  }

  withApi(program.command('note <id> <text...>'))
    .description('add a controller note to an exercise, private to exercise control (trainer)')
    .option('--ref <idx>', 'the log entry the note is about')
    .option('--json', 'print {idx} as JSON')
    .addHelpText(
      'after',
      `\nThe note is recorded at this moment, with the trainer's name; operators never see it.

Examples:
  $ hotline note incident-at-sea "Beijing answered INJ-05 within 3 minutes, calm tone"
  $ hotline note incident-at-sea --ref 42 "this acknowledgement came after the deadline"`,
    )
    .action(async (id: string, words: string[], o: JsonOptions & { ref?: string }) => {
      const ref = o.ref === undefined ? undefined : parseRef(o.ref);
      const added = await trainerApi(o).addNote(id, words.join(' '), ref);
      out(o.json ? JSON.stringify(added) : `note at entry ${added.idx}`);
    });
}
