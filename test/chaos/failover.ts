// `npm run failover -- --trials 20 --database URL`: kill -9 failover trials between two relays on one
// PostgreSQL. Each trial gets a database of its own on the server (made and dropped through an admin
// connection), starts relays A and B, runs the pair under steady load, kills A with SIGKILL and measures
// how long each console on A takes to stream again through B, what was lost or doubled, and whether B's
// export verifies (test/helpers/failover-trial.ts); then A is started again and everything is stopped. Prints a
// line per trial and a summary (median, p90, max; totals); --json FILE writes all of it. Exits 1 when an
// item was lost or doubled, an export did not verify, or a trial failed. No --database: an embedded
// PostgreSQL is started for the run (test/helpers/postgres-server.ts).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { killChildren } from '../helpers/child-relay.js';
import { runFailoverTrial, type FailoverCase, type TrialResult } from '../helpers/failover-trial.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';

const HELP = `Usage: npm run failover -- [options]

kill -9 failover trials: two relays on one PostgreSQL, a console pair under steady load, relay A killed.

  --trials N        trials to run (default 20)
  --case 1|2        1: both consoles on A (default); 2: Beijing on A, Washington on B
  --database URL    a PostgreSQL server URL with the right to create databases (default: DATABASE_URL,
                    else an embedded PostgreSQL started for the run)
  --rate N          messages per second, both consoles together (default 50)
  --before-ms N     steady load before the kill (default 1500)
  --after-ms N      steady load after the kill (default 1500)
  --json FILE       write every trial and the summary as JSON
  --help            this text

Example:
  npm run failover -- --trials 20 --case 1 --database postgres://postgres:PASSWORD@127.0.0.1:5432/postgres --json failover.json
`;

interface Sample {
  trial: number;
  result?: TrialResult;
  error?: string;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} takes a positive integer, not "${value}"`);
  return n;
}

/** Nearest-rank percentile of `values` (0 < p <= 100); NaN when empty. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function runTrial(serverUrl: string, which: FailoverCase, o: Record<string, number>): Promise<TrialResult> {
  const name = `hotline_failover_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const store = new URL(serverUrl);
  store.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-failover-'));
  try {
    return await runFailoverTrial({
      store: store.toString(),
      dir,
      case: which,
      rate: o['rate']!,
      beforeMs: o['beforeMs']!,
      afterMs: o['afterMs']!,
    });
  } finally {
    await killChildren();
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);

function line(t: number, of: number, s: Sample): string {
  const r = s.result;
  if (!r) return `trial ${t}/${of}: FAILED ${s.error}`;
  const times = r.consoles
    .filter((c) => c.affected)
    .map((c) => `${c.station} ${ms(c.streamingMs)} (welcome ${ms(c.welcomeMs)})`)
    .join(', ');
  const ok = r.fault === undefined ? 'export verifies' : `EXPORT FAULT ${r.fault}`;
  return (
    `trial ${t}/${of}: streaming again ${times}; ${r.lost.length} lost, ${r.duplicates} duplicates, ${ok}; ` +
    `${r.sent} sent, ${r.inFlight} in flight; A ready again in ${ms(r.restartMs)}`
  );
}

function summarise(samples: Sample[]) {
  const done = samples.flatMap((s) => (s.result ? [s.result] : []));
  const affected = done.flatMap((r) => r.consoles.filter((c) => c.affected));
  const stats = (values: number[]) => ({
    n: values.length,
    median: percentile(values, 50),
    p90: percentile(values, 90),
    max: values.length ? Math.max(...values) : NaN,
  });
  return {
    trials: samples.length,
    failed: samples.length - done.length,
    streamingMs: stats(affected.map((c) => c.streamingMs)),
    welcomeMs: stats(affected.flatMap((c) => (c.welcomeMs === undefined ? [] : [c.welcomeMs]))),
    lost: done.reduce((n, r) => n + r.lost.length, 0),
    duplicates: done.reduce((n, r) => n + r.duplicates, 0),
    misordered: done.filter((r) => r.misordered).length,
    undelivered: done.reduce((n, r) => n + r.undelivered, 0),
    notVerified: done.filter((r) => r.fault !== undefined || !r.chainsEqual).length,
    alarms: done.reduce((n, r) => n + r.alarms, 0),
    sent: done.reduce((n, r) => n + r.sent, 0),
  };
}

function table(s: ReturnType<typeof summarise>): string {
  const row = (what: string, x: { n: number; median: number; p90: number; max: number }) =>
    `${what.padEnd(34)}${String(x.n).padStart(4)}${ms(x.median).padStart(10)}${ms(x.p90).padStart(10)}${ms(x.max).padStart(10)}`;
  return [
    `${'from the kill to'.padEnd(34)}${'n'.padStart(4)}${'median'.padStart(10)}${'p90'.padStart(10)}${'max'.padStart(10)}`,
    row('next entry through B (streaming)', s.streamingMs),
    row('next welcome on B', s.welcomeMs),
    '',
    `trials ${s.trials} (${s.failed} failed); messages sent ${s.sent}; lost ${s.lost}; duplicates ${s.duplicates}; ` +
      `misordered ${s.misordered}; undelivered ${s.undelivered}; exports not verified ${s.notVerified}; alarms ${s.alarms}`,
  ].join('\n');
}

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const { values } = parseArgs({
  options: {
    trials: { type: 'string' },
    case: { type: 'string' },
    database: { type: 'string' },
    rate: { type: 'string' },
    'before-ms': { type: 'string' },
    'after-ms': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const trials = positive('trials', values.trials, 20);
const caseArg = values.case ?? '1';
if (!['1', '2'].includes(caseArg)) fail(`--case is 1 or 2, not "${caseArg}"`);
const which: FailoverCase = caseArg === '1' ? 'same' : 'split';
const options = {
  rate: positive('rate', values.rate, 50),
  beforeMs: positive('before-ms', values['before-ms'], 1500),
  afterMs: positive('after-ms', values['after-ms'], 1500),
};

let server: PostgresServer | undefined;
let serverUrl = values.database ?? process.env['DATABASE_URL'];
if (!serverUrl) {
  process.stderr.write('no --database and no DATABASE_URL: starting an embedded PostgreSQL for this run\n');
  server = await startPostgresServer();
  serverUrl = server.url;
}
const samples: Sample[] = [];
const started = Date.now();
try {
  for (let t = 1; t <= trials; t++) {
    const sample: Sample = { trial: t };
    try {
      sample.result = await runTrial(serverUrl, which, options);
    } catch (err) {
      sample.error = (err as Error).message;
    }
    samples.push(sample);
    process.stdout.write(`${line(t, trials, sample)}\n`);
  }
} finally {
  await server?.stop();
}
const summary = summarise(samples);
process.stdout.write(
  `\nkill -9 failover, case ${caseArg} (${which === 'same' ? 'both consoles on A' : 'Beijing on A, Washington on B'}), ` +
    `${options.rate} msg/s, ${Math.round((Date.now() - started) / 1000)} s\n${table(summary)}\n`,
);
if (values.json) {
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: os.platform() };
  const out = { case: caseArg, options, commit: commit(), machine, summary, trials: samples };
  writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
}
const bad = summary.failed + summary.lost + summary.duplicates + summary.misordered + summary.notVerified;
process.exit(bad > 0 ? 1 : 0);
