// `hotline exercise deadlines ID [--flash MIN …] [--call-window 48h …]`: the exercise's acknowledgement
// deadlines and the line's timings (call window, link tests), shown, or set before STARTEX (a `procedures`
// entry every console and the report judge them by). A precedence not named keeps its current deadline, since
// the relay takes all four at once; a line setting not named keeps its value.
import type { Command } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { PRECEDENCES, type Precedence } from '../shared/items.js';
import { ACK_DEADLINE_BOUNDS_MS, ACK_DEADLINE_MS, deadlinesSummary } from '../shared/precedence.js';
import type { ProceduresRequest, RunState } from '../shared/http-api.js';
import { LINE_BOUNDS, type LineSettings } from '../shared/line-entries.js';
import { durationText } from '../shared/report/format.js';
import { out } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

const MINUTE = 60_000;
const MAX_MINUTES = ACK_DEADLINE_BOUNDS_MS.max / MINUTE;

/** The line settings' options, and the field each sets. */
const LINE_OPTIONS = {
  'call-window': 'callWindowMs',
  'link-interval': 'linkTestIntervalMs',
  'link-timeout': 'linkTestTimeoutMs',
} as const satisfies Record<string, keyof LineSettings>;
type LineOption = keyof typeof LINE_OPTIONS;
const camel = { 'call-window': 'callWindow', 'link-interval': 'linkInterval', 'link-timeout': 'linkTimeout' } as const;

type Options = TrainerOptions & { json?: boolean } & { [K in Lowercase<Precedence>]?: string } & {
  [K in (typeof camel)[LineOption]]?: string;
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, min: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE };

/** "48h", "90s", "500ms", "1.5h", "2d": a duration with its unit, in whole milliseconds within the setting's bounds. */
export function parseDuration(option: LineOption, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)\s*$/.exec(text);
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) : NaN;
  const { min, max } = LINE_BOUNDS[LINE_OPTIONS[option]];
  if (Number.isNaN(ms) || ms < min || ms > max)
    throw new HotlineError(
      'BAD_REQUEST',
      `--${option}: a duration with its unit (ms, s, min, h, d) from ${durationText(min)} to ${durationText(max)}, not "${text}".`,
    );
  return ms;
}

/** Whole minutes, 1 to 10080 (7 days), checked before anything is sent. */
export function parseMinutes(option: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_MINUTES)
    throw new HotlineError('BAD_REQUEST', `--${option}: whole minutes from 1 to ${MAX_MINUTES}, not "${text}".`);
  return n * MINUTE;
}

function tableOf(run: RunState): string {
  const set = PRECEDENCES.some((p) => run.ackDeadlinesMs[p] !== ACK_DEADLINE_MS[p]);
  const l = run.line;
  return `${run.exercise} deadlines: ${deadlinesSummary(run.ackDeadlinesMs)}${set ? '' : ' (the ACP 121 defaults)'}
${run.exercise} line: call window ${durationText(l.callWindowMs)} (line time); link test every ${durationText(l.linkTestIntervalMs)}, answer within ${durationText(l.linkTestTimeoutMs)} (real time)`;
}

export function registerExerciseDeadlines(exercise: Command): void {
  const cmd = withApi(exercise.command('deadlines <id>'))
    .description(
      "show the exercise's acknowledgement deadlines and line timings, or set them before STARTEX (deadlines in minutes of line time)",
    )
    .option('--json', 'print the RunState as JSON');
  for (const p of PRECEDENCES) cmd.option(`--${p.toLowerCase()} <minutes>`, `the ${p} deadline, whole minutes`);
  cmd
    .option('--call-window <duration>', 'time to answer a call request or a counter-proposal (line time), e.g. 48h')
    .option('--link-interval <duration>', "how often the relay tests each station's link (real time), e.g. 1h")
    .option('--link-timeout <duration>', 'how long a station has to answer a link test (real time), e.g. 60s');
  cmd
    .addHelpText(
      'after',
      `\nA precedence or line setting not given keeps its value. Durations take a unit: ms, s, min, h, d.
Refused once the exercise has started (BAD_TRANSITION).

Examples:
  $ hotline exercise deadlines tabletop-3
  $ hotline exercise deadlines tabletop-3 --flash 5 --immediate 15
  $ hotline exercise deadlines tabletop-3 --call-window 2h --link-interval 10min --link-timeout 30s`,
    )
    .action(async (id: string, o: Options) => {
      const given = PRECEDENCES.flatMap((p) => {
        const text = o[p.toLowerCase() as Lowercase<Precedence>];
        return text === undefined ? [] : [[p, parseMinutes(p.toLowerCase(), text)] as const];
      });
      const line = Object.fromEntries(
        (Object.keys(LINE_OPTIONS) as LineOption[]).flatMap((opt) => {
          const text = o[camel[opt]];
          return text === undefined ? [] : [[LINE_OPTIONS[opt], parseDuration(opt, text)]];
        }),
      ) as Partial<LineSettings>;
      const api = trainerApi(o);
      let run = await api.run(id);
      const body: ProceduresRequest = {};
      if (given.length > 0) {
        const table = { ...ACK_DEADLINE_MS, ...run.ackDeadlinesMs, ...Object.fromEntries(given) };
        body.ackDeadlinesMs = table as Record<Precedence, number>;
      }
      if (Object.keys(line).length > 0) body.line = line;
      if (body.ackDeadlinesMs || body.line) run = await api.setProcedures(id, body);
      out(o.json ? JSON.stringify(run, null, 2) : tableOf(run));
    });
}
