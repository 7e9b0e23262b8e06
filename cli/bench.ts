// `hotline bench`: open-loop latency tests of a relay (see bench/ and docs/performance.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { HotlineError } from '../shared/errors.js';
import { clientEnv } from '../server/config.js';
import { renderHtml } from '../bench/html-report.js';
import { parseP99, PROFILE_NAMES } from '../bench/options.js';
import { endToEnd, renderTable } from '../bench/report.js';
import type { Progress } from '../bench/runner.js';
import { parseRates, renderSteps, searchRates } from '../bench/rate-steps.js';
import { runSuite, verdict, type SuiteOptions } from '../bench/suite.js';
import { floorsVerdict, runFloors } from '../bench/floors.js';
import { renderFloors } from '../bench/floors-report.js';
import { addFloorOptions, checkNoRatioLimits, floorStepLine, FLOORS_HELP, floorsPlan } from './bench-floors.js';
import { number, workloadFrom, type BenchOptions } from './bench-workload.js';
import { addPostgresOptions, POSTGRES_HELP, storePlan, type StorePlan } from './bench-postgres.js';
import { compareVerdict, runCompare, variantsOf } from '../bench/compare.js';
import { renderCompare } from '../bench/compare-report.js';
import { bar, diag, EXIT, out } from './terminal.js';

/** One status line on stderr, only in a terminal. */
function statusLine(): { update(run: string, p: Progress): void; done(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(run, p) {
      const now = Date.now();
      if (now - last < 200 && p.done < p.total) return;
      last = now;
      const amount = ['warmup', 'measure', 'idle'].includes(p.phase)
        ? `${(p.done / 1000).toFixed(1)}/${(p.total / 1000).toFixed(1)} s`
        : `${p.done}/${p.total}`;
      const live = p.live
        ? `  sent ${p.live.sent} accepted ${p.live.accepted} receipts ${p.live.receipts} errors ${p.live.errors}`
        : '';
      process.stderr.write(
        `\r\u001b[2K${run.padEnd(5)} ${p.phase.padEnd(7)} ${bar(p.done, p.total, 24)} ${amount}${live}`,
      );
    },
    done() {
      process.stderr.write('\r\u001b[2K');
    },
  };
}

export function registerBench(program: Command): void {
  const cmd = program
    .command('bench')
    .description('open-loop latency test: console pairs at a fixed rate, percentiles, correctness checks, thresholds')
    .option('-u, --url <url>', 'measure a running relay (default: start one on a temporary data directory)')
    .option('--secret-file <file>', 'trainer secret for --url (default: HOTLINE_TRAINER_SECRET)')
    .option('--profile <name>', `a named workload: ${PROFILE_NAMES.join(', ')} (flags below override it)`)
    .option('--pairs <n>', 'console pairs, one exercise each (default 10)')
    .option('--rate <n>', 'messages per second over all pairs; 0 connects and idles (default 100)')
    .option('--duration <d>', 'measured time, e.g. 30s (default 30s)')
    .option('--warmup <d>', 'time before measuring, e.g. 5s; its messages are checked but not measured (default 5s)')
    .option('--body-bytes <n>', 'message body size (default 256)')
    .option('--precedence <mix>', 'weights, e.g. FLASH:1,IMMEDIATE:4,PRIORITY:15,ROUTINE:80 (the default)')
    .option('--no-receipts', 'receivers send no delivered receipts (measures accepted and delivered only)')
    .addOption(
      new Option('--arrival <kind>', 'send spacing: uniform (exactly 1/rate) or poisson').choices([
        'uniform',
        'poisson',
      ]),
    )
    .option('--drain <d>', 'after the last send, wait this long for everything to come back (default 10s)')
    .addOption(
      new Option(
        '--verify <when>',
        'signatures: after the run (default), or also inline at each receiver before its receipt',
      ).choices(['after', 'inline']),
    )
    .option('--seed <n>', 'seed of the schedule (precedences, poisson gaps)')
    .addOption(
      new Option('--protocol <v>', "the consoles' protocol: 2 (default; one answer frame per item) or 1").choices([
        '1',
        '2',
      ]),
    )
    .option('--baseline', 'also run the same workload against a bare WebSocket relay (the floor) and print the ratios')
    .option('--max-p99 <limit>', 'fail when p99 is above: 10ms (end to end), or per metric: accepted=5ms,receipt=20ms')
    .option('--min-rate <n>', 'fail when fewer round trips per second (accepted messages with --no-receipts) completed')
    .option(
      '--rate-steps <rates>',
      'find the highest sustained rate: run at each rate in turn (fresh relay each) until one misses --max-p99/--min-rate, e.g. 200,400,600,800',
    );
  addFloorOptions(addPostgresOptions(cmd))
    .option('--json [file]', 'write the full report as JSON to a file, or to stdout without one')
    .option('--html <file>', 'write a self-contained HTML report with plots')
    .option('--cpu-prof <file>', "write the relay's CPU profile (.cpuprofile) of the measurement window")
    .option('--relay-node-option <opt...>', 'extra node options for the relay process, e.g. --cpu-prof')
    .option(
      '--relay-build <dir>',
      'measure the relay of another build (its dist/ directory, e.g. an earlier commit) under this load generator',
    )
    .addOption(
      new Option('--inject-fault <kind>', 'test hook: the bare relay drops, duplicates or reorders one message')
        .choices(['drop', 'duplicate', 'reorder'])
        .hideHelp(),
    )
    .addHelpText(
      'after',
      `
Latency is measured from each message's scheduled send time (open loop), so stalls are never hidden:
  submit → accepted   the relay committed it durably (fsync) and said so
  submit → delivered  the entry reached the peer console
  submit → receipt    the peer's signed delivered receipt reached the sender (the round trip)

Exit codes: 0 pass; 5 a correctness failure (lost, duplicated, reordered, unverifiable, rejected);
6 a threshold missed (with --rate-steps: no rate passed); 1 the bench itself failed; 2 bad usage.

Examples:
  $ hotline bench                                       # 10 pairs, 100 msg/s, 30 s, own relay
  $ hotline bench --profile standard --baseline --json bench/results/standard.json --html report.html
  $ hotline bench --pairs 1 --rate 500 --duration 20s --max-p99 50ms --min-rate 490
  $ hotline bench --profile 1000                        # 1000 pairs at 200 msg/s: memory and CPU per connection
  $ hotline bench --profile idle                        # 1000 idle pairs: memory per socket
  $ hotline bench --rate 300 --cpu-prof relay.cpuprofile   # where the relay's time goes
  $ hotline bench --pairs 10 --duration 15s --rate-steps 200,400,600,800 --max-p99 50ms   # highest sustained rate
  $ HOTLINE_TRAINER_SECRET=hts_... hotline bench --url http://relay.example:8080 --pairs 5 --rate 50
  $ hotline bench --rate 2000 --relay-build /tmp/hotline-926ab64/dist   # an earlier commit's relay, same generator
${FLOORS_HELP}
${POSTGRES_HELP}`,
    )
    .action(async (o: BenchOptions) => {
      const workload = workloadFrom(o);
      let remote: { url: string; secret: string } | undefined;
      if (o.url) {
        const secret = o.secretFile ? readFileSync(o.secretFile, 'utf8').trim() : clientEnv().trainerSecret;
        if (!secret)
          throw new HotlineError(
            'UNAUTHORIZED',
            'bench --url needs the trainer secret: set HOTLINE_TRAINER_SECRET or pass --secret-file FILE.',
          );
        remote = { url: o.url, secret };
      }
      const plan = storePlan(o, { workload, ...(remote ? { remote } : {}) });
      const status = statusLine();
      const base: SuiteOptions = {
        workload,
        profile: o.profile ?? null,
        command: ['hotline', ...process.argv.slice(2)].join(' '),
        ...(remote ? { remote } : {}),
        baseline: Boolean(o.baseline),
        maxP99: o.maxP99 ? parseP99(o.maxP99, endToEnd(workload)) : {},
        ...(o.minRate !== undefined ? { minRate: number(o.minRate, '--min-rate') } : {}),
        ...(o.cpuProf ? { cpuProfile: o.cpuProf } : {}),
        ...(o.relayNodeOption ? { relayNodeOptions: o.relayNodeOption } : {}),
        ...(o.relayBuild ? { relayBuild: o.relayBuild } : {}),
        ...(plan.kind === 'single' && plan.store ? { store: plan.store } : {}),
        ...(plan.kind === 'single' && plan.postgres ? { postgres: plan.postgres } : {}),
        ...(o.injectFault ? { fault: o.injectFault } : {}),
        onProgress: (run, p) => status.update(run, p),
      };
      if (o.floors) return floors(o, base, status);
      checkNoRatioLimits(o);
      if (plan.kind === 'compare') return compare(o, base, plan, status);
      if (o.rateSteps) return rateSteps(o, base, status);
      const report = await runSuite(base);
      status.done();
      emit(o, renderTable(report), report);
      if (o.html) writeFileSync(o.html, renderHtml(report));
      const v = verdict(report);
      process.exitCode = v === 'pass' ? EXIT.ok : v === 'incorrect' ? EXIT.verifyFailed : EXIT.thresholdMissed;
    });
}

/** The table on stdout (or stderr when the JSON goes to stdout), the JSON where --json says. */
function emit(o: BenchOptions, table: string, data: unknown): void {
  const jsonText = `${JSON.stringify(data, null, 2)}\n`;
  if (o.json === true) {
    out(jsonText.trimEnd());
    diag(table);
  } else {
    out(table);
    if (typeof o.json === 'string') writeFileSync(o.json, jsonText);
  }
}

async function rateSteps(o: BenchOptions, base: SuiteOptions, status: ReturnType<typeof statusLine>): Promise<void> {
  let rates: number[];
  try {
    rates = parseRates(o.rateSteps!);
  } catch (err) {
    throw new HotlineError('BAD_REQUEST', (err as Error).message);
  }
  const search = await searchRates(rates, base, (s) => {
    status.done();
    diag(`rate ${s.rate}/s: ${s.ok ? 'pass' : 'FAIL'} (p99 receipt ${s.p99.receipt} ms, achieved ${s.achieved}/s)`);
  });
  status.done();
  emit(o, renderSteps(search), search);
  const best = search.reports[search.steps.findIndex((s) => s.rate === search.maxPassingRate)] ?? search.reports.at(-1);
  if (o.html && best) writeFileSync(o.html, renderHtml(best));
  const incorrect = search.reports.some((r) => verdict(r) === 'incorrect');
  process.exitCode = incorrect ? EXIT.verifyFailed : search.maxPassingRate === null ? EXIT.thresholdMissed : EXIT.ok;
}

async function floors(o: BenchOptions, base: SuiteOptions, status: ReturnType<typeof statusLine>): Promise<void> {
  const { rates, limits } = floorsPlan(o, base);
  const report = await runFloors({
    base,
    rates,
    limits,
    onStep: (target, s) => {
      status.done();
      diag(floorStepLine(target, s));
    },
  });
  status.done();
  emit(o, renderFloors(report), report);
  const relay = report.targets.relay;
  const best = relay.reports[relay.steps.findIndex((s) => s.rate === relay.maxPassingRate)] ?? relay.reports.at(-1);
  if (o.html && best) writeFileSync(o.html, renderHtml(best));
  const v = floorsVerdict(report);
  process.exitCode = v === 'pass' ? EXIT.ok : v === 'incorrect' ? EXIT.verifyFailed : EXIT.thresholdMissed;
}

async function compare(
  o: BenchOptions,
  base: SuiteOptions,
  plan: Extract<StorePlan, { kind: 'compare' }>,
  status: ReturnType<typeof statusLine>,
): Promise<void> {
  const report = await runCompare({
    kind: plan.compare,
    base,
    variants: variantsOf(plan.compare, base, plan.serverUrl),
    rates: plan.rates,
    onStep: (label, s) => {
      status.done();
      diag(
        `${label} at ${s.rate}/s: ${s.ok ? 'pass' : 'FAIL'} (p99 receipt ${s.p99.receipt} ms, achieved ${s.achieved}/s)`,
      );
    },
  });
  status.done();
  emit(o, renderCompare(report), report);
  const v = compareVerdict(report);
  process.exitCode = v === 'pass' ? EXIT.ok : v === 'incorrect' ? EXIT.verifyFailed : EXIT.thresholdMissed;
}
