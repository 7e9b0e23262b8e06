// The whole bench report (what --json writes): the machine, the signature calibration, each run, the
// relay/bare ratios per percentile and the thresholds. Also its plain-text table for the terminal.
import os from 'node:os';
import type { Calibration } from './calibrate.js';
import { PERCENTILES, type PercentileKey } from './histograms.js';
import { LATENCY_METRICS, type LatencyMetric } from './measures.js';
import type { P99Thresholds, Workload } from './options.js';
import { groupLines } from './group-figures.js';
import type { RunResult } from './result.js';

export interface ThresholdResult {
  name: string;
  limit: number;
  actual: number | null;
  ok: boolean;
}

export interface BenchReport {
  tool: 'hotline bench';
  version: 1;
  startedAt: string;
  command: string;
  profile: string | null;
  machine: { cpus: number; model: string; memoryGb: number; node: string; platform: string; loadAverage: number[] };
  calibration: Calibration;
  workload: Workload;
  relay: RunResult | null;
  baseline: RunResult | null;
  /** relay / bare for each latency metric and percentile: how far above the floor the real relay is. */
  ratios: Record<LatencyMetric, Record<PercentileKey, number | null>> | null;
  thresholds: ThresholdResult[];
  ok: boolean;
  /** Why the run failed, one line each. */
  failures: string[];
}

export function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export function ratios(relay: RunResult, bare: RunResult): BenchReport['ratios'] {
  const out = {} as NonNullable<BenchReport['ratios']>;
  for (const m of LATENCY_METRICS) {
    out[m] = {} as Record<PercentileKey, number | null>;
    for (const p of PERCENTILES) {
      const a = relay.latency[m][p];
      const b = bare.latency[m][p];
      out[m][p] = relay.latency[m].count > 0 && b > 0 ? Math.round((a / b) * 10) / 10 : null;
    }
  }
  return out;
}

/** The metric thresholds without a name apply to: the full round trip, or delivery without receipts. */
export function endToEnd(w: Workload): LatencyMetric {
  return w.receipts ? 'receipt' : 'delivered';
}

export function checkThresholds(run: RunResult, maxP99: P99Thresholds, minRate: number | undefined): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, limit] of Object.entries(maxP99) as [LatencyMetric, number][]) {
    const s = run.latency[metric];
    const actual = s.count > 0 ? s.p99 : null;
    out.push({ name: `p99 submit → ${metric} (ms)`, limit, actual, ok: actual !== null && actual <= limit });
  }
  if (minRate !== undefined) {
    const actual = run.workload.receipts ? run.rate.receipts : run.rate.accepted;
    out.push({
      name: `${run.workload.receipts ? 'round trips' : 'accepted messages'} per second`,
      limit: minRate,
      actual,
      ok: actual >= minRate,
    });
  }
  return out;
}

const LABEL: Record<LatencyMetric, string> = {
  accepted: 'submit → accepted',
  delivered: 'submit → delivered',
  receipt: 'submit → receipt back',
};
const pad = (s: string, n: number) => s.padStart(n);
const fmt = (n: number | null) => (n === null ? '-' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function latencyTable(run: RunResult, title: string): string[] {
  const lines = [
    `${title.padEnd(26)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => pad(h, 9)).join('')}${pad('count', 9)}`,
  ];
  for (const m of LATENCY_METRICS) {
    const s = run.latency[m];
    if (s.count === 0) continue;
    lines.push(
      `  ${LABEL[m].padEnd(24)}${PERCENTILES.map((p) => pad(fmt(s[p]), 9)).join('')}${pad(String(s.count), 9)}`,
    );
  }
  return lines;
}

function runLines(run: RunResult, cal: Calibration): string[] {
  const w = run.workload;
  const lines: string[] = [];
  if (w.rate > 0) {
    const name =
      run.target.kind === 'bare'
        ? 'bare relay'
        : run.group && run.group.relays > 1
          ? `${run.group.relays} relays (postgres)`
          : run.target.store === 'volatile' || run.target.store === 'postgres'
            ? `relay (${run.target.store})`
            : 'relay';
    lines.push(...latencyTable(run, `${name} latency (ms)`));
    const achieved = w.receipts ? `${run.rate.receipts}/s round trips` : `${run.rate.delivered}/s delivered`;
    lines.push(
      `  rate: target ${w.rate}/s; achieved ${run.rate.accepted}/s accepted, ${achieved}; generator send lateness p99 ${fmt(run.sendLateness.p99)} ms`,
    );
  }
  if (run.relay) {
    const r = run.relay;
    const two = Math.round(cal.verifyJoseCpuUs * (w.receipts ? 2 : 1));
    const what = w.receipts ? 'round trip' : 'message';
    const split = `${Math.round((r.userSeconds / Math.max(r.cpuSeconds, 1e-9)) * 100)}% user, ${Math.round((r.systemSeconds / Math.max(r.cpuSeconds, 1e-9)) * 100)}% system`;
    const versus =
      run.target.kind === 'bare'
        ? 'it checks no signatures'
        : `its ${w.receipts ? 'two signature checks' : 'signature check'} alone cost ${two} µs CPU here (${r.cpuPerRoundTripUs ? Math.round((r.cpuPerRoundTripUs / two) * 10) / 10 : '-'}×)`;
    if (w.rate > 0)
      lines.push(
        `  relay CPU: ${r.cpuPercent}% of a core (${split}), ${r.cpuPerRoundTripUs ?? '-'} µs per ${what}; ${versus}`,
      );
    const few =
      r.memory.sockets < 200
        ? ' (too few sockets for a per-socket figure; see --profile idle)'
        : r.memory.method === 'second-half'
          ? ' (marginal, over the second half of the sockets)'
          : '';
    lines.push(
      `  relay memory${few}: ${r.memory.rssPerSocketKb} KB RSS (${r.memory.heapPerSocketKb} KB heap, ${r.memory.externalPerSocketKb} KB external) per socket over ${r.memory.sockets} sockets; RSS ${r.memory.rssBeforeMb} → ${r.memory.rssConnectedMb} → ${r.memory.rssEndMb} MB`,
    );
  }
  if (run.store && w.rate > 0) {
    const s = run.store;
    lines.push(
      `  store: ${s.itemsPerSecond} items/s committed in ${s.commits} commits (mean batch ${s.meanBatch}, mean commit ${s.meanCommitMs} ms; ${s.itemsPerCommitSecond} items per second of commit time)`,
    );
  }
  if (run.group) lines.push(...groupLines(run.group));
  const g = run.generator;
  lines.push(
    `  generator: ${g.cpuPercent}% of a core${g.cpuPerMessageUs === null ? '' : `, ${g.cpuPerMessageUs} µs per message`}; event-loop delay p99 ${fmt(g.eventLoopDelayMs.p99)} ms, max ${fmt(g.eventLoopDelayMs.max)} ms`,
  );
  if (run.profile) {
    const p = run.profile;
    lines.push(`  relay profile (${p.file}): main thread busy ${p.busyMs} of ${p.totalMs} ms; top self time:`);
    for (const f of p.topFunctions.slice(0, 6))
      lines.push(`    ${String(f.percent).padStart(5)}%  ${f.name} ${f.where}`);
    const st = p.longestStalls[0];
    if (st)
      lines.push(
        `    longest busy stretch ${st.ms} ms at ${st.at} s: ${st.top.map((t) => `${t.name} ${t.where}`).join('; ')}`,
      );
  }
  if (run.host) {
    const h = run.host;
    const busy =
      h.otherCores !== null && h.otherCores > 0.15
        ? ` (CAUTION: other processes used ${h.otherCores} cores meanwhile; figures may be inflated)`
        : '';
    lines.push(
      `  host: ${h.busyCores} of ${r2cores()} cores busy in the window, ${h.otherCores ?? '?'} of them other processes; steal ${h.stealPercent}%${busy}`,
    );
  }
  const c = run.correctness;
  const v = c.verification;
  const verified =
    v.mode === 'skipped'
      ? 'signatures: not applicable (the bare relay keeps no log)'
      : `${v.signatures} signatures, ${v.entries} entries and ${v.checkpoints} relay checkpoints verified after the run${c.inlineVerification ? ' (and each message inline at the receiver)' : ''}`;
  const errors = Object.entries(run.errors)
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
  lines.push(`  correctness: ${c.ok ? 'OK' : 'FAILED'}: ${c.messages} messages over ${c.pairs} pairs; ${verified}`);
  if (errors) lines.push(`  errors: ${errors}`);
  if (!run.timing.drained)
    lines.push(`  not drained: some items were still outstanding ${w.drainMs / 1000} s after the last send`);
  for (const f of c.faults.slice(0, 10)) lines.push(`  FAULT pair ${f.pair} ${f.kind}: ${f.detail}`);
  return lines;
}

const r2cores = () => os.cpus().length;

export function renderTable(r: BenchReport): string {
  const w = r.workload;
  const lines = [
    `hotline bench: ${w.pairs} pairs, ${w.rate} msg/s for ${w.durationMs / 1000} s (+${w.warmupMs / 1000} s warmup), ${w.bodyBytes}-byte bodies, receipts ${w.receipts ? 'on' : 'off'}, ${w.arrival} arrivals`,
    `machine: ${r.machine.cpus} × ${r.machine.model}, node ${r.machine.node}, load average ${r.machine.loadAverage.join(' ')} at start; Ed25519 here: sign ${r.calibration.signNodeUs} µs / verify ${r.calibration.verifyNodeUs} µs (node:crypto), verify ${r.calibration.verifyJoseUs} µs wall / ${r.calibration.verifyJoseCpuUs} µs CPU (jose)`,
    '',
  ];
  if (r.relay) lines.push(...runLines(r.relay, r.calibration), '');
  if (r.baseline) lines.push(...runLines(r.baseline, r.calibration), '');
  if (r.ratios && r.relay && r.relay.workload.rate > 0) {
    lines.push(
      `${'relay ÷ bare (×)'.padEnd(26)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => pad(h, 9)).join('')}`,
    );
    for (const m of LATENCY_METRICS) {
      if (r.relay.latency[m].count === 0) continue;
      lines.push(`  ${LABEL[m].padEnd(24)}${PERCENTILES.map((p) => pad(fmt(r.ratios![m][p]), 9)).join('')}`);
    }
    lines.push('');
  }
  for (const t of r.thresholds)
    lines.push(`threshold ${t.name}: ${t.ok ? 'met' : 'MISSED'} (limit ${t.limit}, actual ${t.actual ?? '-'})`);
  lines.push(r.ok ? 'result: PASS' : `result: FAIL (${r.failures.join('; ')})`);
  return lines.join('\n');
}
