// `hotline replay EXPORT`: plays an exported log in the terminal, after verifying all of it (a file that
// fails is refused with its first fault and exit code 5, as `hotline verify` does). Both stations' traffic as
// it happened, with UTC and exercise time; --station shows one console's view (what it never received is
// withheld); --json prints the events as JSON lines without timing.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatExerciseTime, parseOffset } from '../shared/exercise-clock.js';
import { HotlineError } from '../shared/errors.js';
import { verifyExportBytes } from '../shared/export.js';
import { zuluTime } from '../shared/dtg.js';
import { clockOf, logEvents, recordsOf, type LogEvent } from '../shared/replay-events.js';
import { MAX_SPEED, TerminalPlayer, type PlayerIo } from './replay-play.js';
import { columnsHeader, eventText } from './replay-text.js';
import { color, diag, EXIT, out, progress } from './terminal.js';

interface ReplayOptions {
  speed: string;
  from?: string;
  to?: string;
  station?: string;
  json?: boolean;
}

type Bound = { idx: number } | { exerciseMs: number };

/** A bound of --from/--to: a bare number is an entry idx; exercise time has colons (12:00, T+00:12:00). */
export function parseBound(text: string, flag: string): Bound {
  if (/^\d+$/.test(text)) return { idx: Number(text) };
  const ms = /:/.test(text) ? parseOffset(text.replace(/^T\+/, '')) : undefined;
  if (ms === undefined)
    throw new HotlineError(
      'BAD_REQUEST',
      `${flag}: "${text}" is neither an entry idx (12) nor an exercise time (00:12:00)`,
    );
  return { exerciseMs: ms };
}

function within(e: LogEvent, from: Bound | undefined, to: Bound | undefined): boolean {
  if (from && ('idx' in from ? e.idx < from.idx : e.exerciseMs === null || e.exerciseMs < from.exerciseMs))
    return false;
  if (to && ('idx' in to ? e.idx > to.idx : e.exerciseMs !== null && e.exerciseMs > to.exerciseMs)) return false;
  return true;
}

function parseSpeed(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n > MAX_SPEED)
    throw new HotlineError('BAD_REQUEST', `--speed: a number from 1 to ${MAX_SPEED}, or max`);
  return n;
}

/** Plays `texts` on the terminal's clock, with keys when stdin is a terminal. */
async function play(
  events: LogEvent[],
  texts: string[],
  speed: number,
  timeText: (t: number) => string,
): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const io: PlayerIo = {
    write: (t) => process.stdout.write(t),
    now: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    ...(interactive
      ? {
          // One line, cut to the terminal's width: a wrapped status line could not be redrawn in place.
          status: (t: string | undefined) =>
            process.stdout.write(
              `\r\u001b[2K${t === undefined ? '' : color.dim(t.slice(0, (process.stdout.columns || 80) - 1))}`,
            ),
        }
      : {}),
  };
  const player = new TerminalPlayer(
    events.map((e, i) => ({ t: Date.parse(e.at), text: texts[i]! })),
    speed,
    io,
    timeText,
  );
  const onKey = (data: Buffer) => void player.key(data.toString('utf8'));
  if (interactive) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', onKey);
    process.stdin.resume();
  }
  try {
    const how = await player.play();
    diag(how === 'quit' ? 'Replay stopped.' : `End of the replay: ${events.length} events.`);
  } finally {
    if (interactive) {
      process.stdin.off('data', onKey);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
}

export function registerReplay(program: Command): void {
  program
    .command('replay <export>')
    .description(
      'verify an exported log, then play it: both stations, injects, notes and the lifecycle, as it happened',
    )
    .option('--speed <n>', `times real time, 1 to ${MAX_SPEED}, or "max" to print at once`, '16')
    .option('--from <at>', 'start at an entry idx (12) or an exercise time (00:12:00)')
    .option('--to <at>', 'stop after an entry idx or an exercise time')
    .option('--station <id>', "only what that station's console received: others' private entries withheld")
    .option('--json', 'print the events as JSON lines, at once (no timing)')
    .addHelpText(
      'after',
      `
Each line: UTC time, exercise time (T+ from STARTEX, scaled by the compression, still while paused),
entry, station, and the event; bodies follow on the lines below. The file is verified in full first: one
that fails is not played, its first fault is printed and the exit code is 5.

Keys while it plays in a terminal: space pause/resume, + / - double/halve the speed, → / ← to the next /
previous event or by one minute (whichever is nearer), n / p next / previous event, q quit.

Examples:
  $ hotline replay dtl.jsonl                          # 16x, with keys
  $ hotline replay dtl.jsonl --speed max --station beijing
  $ hotline replay dtl.jsonl --from 00:30:00 --to 01:00:00 --speed 4
  $ hotline replay dtl.jsonl --json | jq 'select(.kind == "inject")'`,
    )
    .action(async (file: string, o: ReplayOptions) => {
      const speed = parseSpeed(o.speed);
      const from = o.from === undefined ? undefined : parseBound(o.from, '--from');
      const to = o.to === undefined ? undefined : parseBound(o.to, '--to');
      const bar = progress('verify');
      const report = await verifyExportBytes(new Uint8Array(readFileSync(file)), {
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.done();
      if (!report.ok || !report.header) {
        const f = report.fault!;
        diag(
          color.red(
            `FAULT  ${file} line ${f.line}${f.idx === undefined ? '' : ` (entry ${f.idx})`}: ${f.code}: ${f.message}`,
          ),
        );
        diag(`${report.entries.length} entries verified before the fault. The log is not replayed.`);
        process.exitCode = EXIT.verifyFailed;
        return;
      }
      const def = report.header.exercise;
      if (o.station !== undefined && !def.stations.some((s) => s.id === o.station))
        throw new HotlineError(
          'BAD_REQUEST',
          `--station: exercise ${def.id} has stations ${def.stations.map((s) => s.id).join(' and ')}`,
        );
      const clock = clockOf(report.entries);
      const events = logEvents(recordsOf(report.entries), {
        clock,
        ...(o.station === undefined ? {} : { audience: { station: o.station } }),
      }).filter((e) => within(e, from, to));
      const verified = `OK  ${file}: exercise ${def.id}, ${report.entries.length} entries verified (hash chain, signatures, commitments, relay checkpoint at entry ${report.checkpointIdx})`;
      if (o.json) {
        diag(verified);
        for (const e of events) out(JSON.stringify(e));
        return;
      }
      out(color.green(verified));
      out(
        `${def.title}: ${o.station === undefined ? 'both stations' : `as ${o.station} received it`}, ${speed === 'max' ? 'printed at once' : `${speed}x`}`,
      );
      out(columnsHeader());
      const texts = events.map((e) => eventText(def, e));
      if (speed === 'max' || events.length === 0) {
        process.stdout.write(texts.join(''));
        return;
      }
      const timeText = (t: number) => {
        const ms = clock.exerciseMs(Math.floor(t));
        return `${zuluTime(new Date(Math.floor(t)))} ${ms === null ? 'T−' : formatExerciseTime(ms)}`;
      };
      await play(events, texts, speed, timeText);
    });
}
