// `hotline exercise deadlines ID [--flash MIN …]`: the exercise's acknowledgement deadlines, shown, or set
// before STARTEX (a `procedures` entry every console and the report judge deadlines by). A precedence not
// named keeps its current deadline, since the relay takes all four at once.
import type { Command } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { PRECEDENCES, type Precedence } from '../shared/items.js';
import { ACK_DEADLINE_BOUNDS_MS, ACK_DEADLINE_MS, deadlinesSummary } from '../shared/precedence.js';
import type { RunState } from '../shared/http-api.js';
import { out } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

const MINUTE = 60_000;
const MAX_MINUTES = ACK_DEADLINE_BOUNDS_MS.max / MINUTE;

type Options = TrainerOptions & { json?: boolean } & { [K in Lowercase<Precedence>]?: string };

/** Whole minutes, 1 to 10080 (7 days), checked before anything is sent. */
export function parseMinutes(option: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_MINUTES)
    throw new HotlineError('BAD_REQUEST', `--${option}: whole minutes from 1 to ${MAX_MINUTES}, not "${text}".`);
  return n * MINUTE;
}

function tableOf(run: RunState): string {
  const set = PRECEDENCES.some((p) => run.ackDeadlinesMs[p] !== ACK_DEADLINE_MS[p]);
  return `${run.exercise} deadlines: ${deadlinesSummary(run.ackDeadlinesMs)}${set ? '' : ' (the ACP 121 defaults)'}`;
}

export function registerExerciseDeadlines(exercise: Command): void {
  const cmd = withApi(exercise.command('deadlines <id>'))
    .description("show the exercise's acknowledgement deadlines, or set them before STARTEX (minutes of line time)")
    .option('--json', 'print the RunState as JSON');
  for (const p of PRECEDENCES) cmd.option(`--${p.toLowerCase()} <minutes>`, `the ${p} deadline, whole minutes`);
  cmd
    .addHelpText(
      'after',
      `\nA precedence not given keeps its deadline. Refused once the exercise has started (BAD_TRANSITION).

Examples:
  $ hotline exercise deadlines tabletop-3
  $ hotline exercise deadlines tabletop-3 --flash 5 --immediate 15`,
    )
    .action(async (id: string, o: Options) => {
      const given = PRECEDENCES.flatMap((p) => {
        const text = o[p.toLowerCase() as Lowercase<Precedence>];
        return text === undefined ? [] : [[p, parseMinutes(p.toLowerCase(), text)] as const];
      });
      const api = trainerApi(o);
      let run = await api.run(id);
      if (given.length > 0) {
        const table = { ...ACK_DEADLINE_MS, ...run.ackDeadlinesMs, ...Object.fromEntries(given) };
        run = await api.setProcedures(id, { ackDeadlinesMs: table as Record<Precedence, number> });
      }
      out(o.json ? JSON.stringify(run, null, 2) : tableOf(run));
    });
}
