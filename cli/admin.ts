// Trainer commands over the HTTP API: exercises, enrolment codes, revocation, export; and the offline
// trainer-secret reset on a data directory.
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { openPgStore } from '../server/store/postgres-open.js';
import { dataFilePath } from '../server/store/sqlite-check.js';
import { resetTrainerSecret, trainerSecretShown } from '../server/trainer-secret.js';
import { registerExerciseCreate } from './exercise-create.js';
import { registerExerciseDeadlines } from './exercise-deadlines.js';
import { registerExerciseRun } from './exercise-run.js';
import { PHASE_LABELS } from './run-table.js';
import { color, diag, out, progress } from './terminal.js';
import { trainerApi, withApi, type TrainerOptions } from './trainer-login.js';

export function registerAdmin(program: Command): void {
  const exercise = program
    .command('exercise')
    .description('create, list and run exercises: lifecycle, scenario (MSEL) and its state (trainer)')
    .addHelpText(
      'after',
      `
Examples:
  $ hotline exercise list
  $ hotline exercise create tabletop-3 --title "Tabletop 3"
  $ hotline exercise create --scenario scenarios/incident-at-sea.json
  $ hotline exercise start incident-at-sea --compression 6
  $ hotline exercise run incident-at-sea`,
    );
  withApi(exercise.command('list'))
    .description('list exercises')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExample:\n  $ HOTLINE_TRAINER_SECRET=hts_... hotline exercise list --url https://hotline.example`,
    )
    .action(async (o: TrainerOptions & { json?: boolean }) => {
      const exercises = await trainerApi(o).listExercises();
      if (o.json) return out(JSON.stringify(exercises, null, 2));
      for (const e of exercises)
        out(
          `${e.id.padEnd(16)} ${PHASE_LABELS[e.phase].padEnd(7)} ${String(e.entries).padStart(6)} entries  ${e.stations.map((s) => s.id).join(' / ')}  ${e.title}`,
        );
    });
  registerExerciseCreate(exercise);
  registerExerciseRun(exercise);
  registerExerciseDeadlines(exercise);

  withApi(program.command('enrol-code'))
    .description('issue a one-time enrolment link for one station (trainer)')
    .requiredOption('-s, --station <id>', 'station to enrol')
    .option('-e, --exercise <id>', 'exercise', 'dtl')
    .option('--ttl <seconds>', 'validity in seconds', '900')
    .option('--json', 'print JSON')
    .addHelpText('after', `\nExample:\n  $ HOTLINE_TRAINER_SECRET=hts_... hotline enrol-code --station beijing`)
    .action(async (o: TrainerOptions & { station: string; exercise: string; ttl: string; json?: boolean }) => {
      const issued = await trainerApi(o).issueCode(o.exercise, o.station, Number(o.ttl));
      if (o.json) return out(JSON.stringify(issued));
      out(issued.link);
      diag(`code ${issued.code}, valid until ${issued.expiresAt}, one use`);
    });

  withApi(program.command('revoke <kid>'))
    .description('revoke a console key (trainer); it is recorded in the log')
    .option('-e, --exercise <id>', 'exercise', 'dtl')
    .option('--reason <text>', 'reason recorded in the log', 'revoked by trainer')
    .addHelpText(
      'after',
      `\nThe kid is printed by \`hotline enrol\`. Revoking a key twice is refused with KEY_ALREADY_REVOKED (exit 1), naming the entry of the first revocation.

Example:
  $ HOTLINE_TRAINER_SECRET=hts_... hotline revoke 7FK_YJyHvyD9Ps9BnCtBOu9ZXLJhjckZrca41F8J1N0 --reason "device lost"`,
    )
    .action(async (kid: string, o: TrainerOptions & { exercise: string; reason: string }) => {
      const r = await trainerApi(o).revoke(o.exercise, kid, o.reason);
      out(`revoked ${kid} at entry ${r.idx}`);
    });

  withApi(program.command('export [id]'))
    .description('export an exercise log as self-contained JSON Lines (trainer)')
    .option('-e, --exercise <id>', 'exercise (or give it as the argument, like the exercise commands)', 'dtl')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `\nExamples:\n  $ hotline export -e dtl -o dtl.jsonl && hotline verify dtl.jsonl\n  $ hotline export incident-at-sea -o sea.jsonl`,
    )
    .action(async (id: string | undefined, o: TrainerOptions & { exercise: string; output?: string }) => {
      if (id !== undefined) o.exercise = id;
      const api = trainerApi(o);
      const info = await api.exercise(o.exercise);
      const stream = await api.exportStream(o.exercise);
      const sink = o.output ? createWriteStream(o.output) : process.stdout;
      const bar = progress('export');
      let lines = 0;
      for await (const chunk of stream) {
        sink.write(chunk);
        for (const b of chunk) if (b === 10) lines++;
        bar.update(Math.min(lines, info.head.idx + 1), info.head.idx + 1);
      }
      bar.done();
      if (sink !== process.stdout) await new Promise<void>((r) => (sink as NodeJS.WritableStream).end(r));
      diag(`${Math.max(0, lines - 2)} entries exported${o.output ? ` to ${o.output}` : ''}`);
    });

  program
    .command('trainer-secret')
    .description('make a new trainer secret for a data directory or a PostgreSQL store (the old one stops working)')
    .option('-d, --data <dir>', 'data directory')
    .option('--store <url>', 'postgres:// URL of the PostgreSQL store (default: HOTLINE_STORE, else SQLite in --data)')
    .addHelpText(
      'after',
      `\nRun it on the relay's machine, as the user that runs the relay. The old secret stops working.

On PostgreSQL one secret opens every relay of the log: run it once, anywhere the database is reachable.

Examples:
  $ hotline trainer-secret --data /var/lib/hotline > secret.txt && chmod 600 secret.txt
  $ hotline trainer-secret --store postgres://hotline@db.example/hotline > secret.txt`,
    )
    .action(async (o: { data?: string; store?: string }) => {
      const overrides = {
        ...(o.data === undefined ? {} : { dataDir: o.data }),
        ...(o.store ? { store: o.store } : {}),
      };
      const config = loadConfig(overrides, process.env, { dataDir: '--data', store: '--store' });
      const store = config.store ? await openPgStore(config.store) : openSqliteStore(dataFilePath(config.dataDir));
      try {
        const secret = await resetTrainerSecret(store);
        diag(color.yellow('New trainer secret (shown once):'));
        out(secret);
        await trainerSecretShown(store);
      } finally {
        await store.close();
      }
    });
}
