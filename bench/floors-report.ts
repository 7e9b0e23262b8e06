// The terminal text of a floors run: each target's runs, then the three ratios with their inputs, each
// naming the target and the step it comes from, then the ratio limits and the verdict.
import type { CpuRatio, FloorTarget, P50Ratio, RateRatio, StepRef } from './floor-ratios.js';
import { FLOOR_LABEL, FLOOR_TARGETS, p50At, peakStep, ratioThresholdText, REFERENCE_RATE } from './floor-ratios.js';
import type { FloorsReport } from './floors.js';
import { renderSteps } from './rate-steps.js';
import { renderTable } from './report.js';

export const FLOOR_DESCRIPTION: Record<FloorTarget, string> = {
  relay: 'the relay as configured: SQLite store, every check, fsync’d commits',
  'crypto-floor': 'the same relay with every check and the volatile store: no storage, no fsync',
  bare: 'a bare WebSocket relay: the same frames, no checks, no log, no storage',
};

const num = (n: number) => n.toLocaleString('en-US');
const times = (v: number | null) => (v === null ? 'not measured' : `${v.toFixed(2)}×`);

function stepText(s: StepRef): string {
  const held = s.passed ? 'passed' : 'failed';
  return `${FLOOR_LABEL[s.target]}, step ${num(s.rate)} msg/s (achieved ${num(s.achieved)}/s, p99 ${s.p99Ms.toFixed(1)} ms, ${held})`;
}

function cpuLines(c: CpuRatio, stepped: boolean): string[] {
  const what =
    c.checksPerRoundTrip === 2 ? 'two node:crypto Ed25519 verifications' : 'one node:crypto Ed25519 verification';
  const peak = stepped
    ? 'at peak (the relay’s correct step with the most round trips per second)'
    : 'at the run’s one rate';
  const lines = [`  CPU   relay CPU per round trip ${peak} ÷ ${what}: ${times(c.value)}`];
  if (c.value !== null && c.step)
    lines.push(
      `        = ${num(c.relayCpuPerRoundTripUs!)} µs ÷ (${c.checksPerRoundTrip} × ${c.verifyNodeCpuUs} µs)`,
      `        from: ${stepText(c.step)}; relay child's process CPU ÷ round trips in the window; verification CPU from the micro-benchmark just before that step`,
    );
  else lines.push(`        ${c.why ?? ''}`);
  if (c.floor.step && c.floor.cpuPerRoundTripUs !== null)
    lines.push(
      `        for reference, the crypto floor: ${num(c.floor.cpuPerRoundTripUs)} µs per round trip, ${times(c.floor.value)} (${stepText(c.floor.step)})`,
    );
  return lines;
}

function rateLines(r: RateRatio, limit: string): string[] {
  const lines = [`  rate  highest rate held (${limit}), relay ÷ crypto floor: ${times(r.value)}`];
  const held = (rate: number | null, top: boolean) =>
    rate === null ? 'none' : `${num(rate)} msg/s${top ? ' (every step passed: at least this)' : ''}`;
  if (r.value !== null)
    lines.push(
      `        = ${num(r.relayMaxRate!)} ÷ ${num(r.floorMaxRate!)} msg/s`,
      `        from: relay ${held(r.relayMaxRate, r.relayTopPassed)}; crypto floor ${held(r.floorMaxRate, r.floorTopPassed)} (each the highest step passed before its first failed one)`,
    );
  else lines.push(`        ${r.why ?? ''}`);
  if (r.value !== null && (r.relayTopPassed || r.floorTopPassed))
    lines.push(
      `        caution: ${r.relayTopPassed && r.floorTopPassed ? 'both targets' : r.relayTopPassed ? 'the relay' : 'the crypto floor'} passed every step, so this ratio is ${r.relayTopPassed && r.floorTopPassed ? 'undetermined' : r.relayTopPassed ? 'a lower bound' : 'an upper bound'}: add higher steps`,
    );
  return lines;
}

function p50Lines(p: P50Ratio): string[] {
  const what = p.metric === 'receipt' ? 'round-trip' : `submit → ${p.metric}`;
  const lines = [`  p50   ${what} p50 at ${p.rate} msg/s, relay ÷ crypto floor: ${times(p.value)}`];
  if (p.value !== null)
    lines.push(
      `        = ${p.relayP50Ms!.toFixed(2)} ÷ ${p.floorP50Ms!.toFixed(2)} ms`,
      `        from: relay, step ${p.rate} msg/s; crypto floor, step ${p.rate} msg/s`,
    );
  else lines.push(`        ${p.why ?? ''}`);
  return lines;
}

/** The figures behind the ratios side by side: one column per target. */
function targetTable(r: FloorsReport): string[] {
  const cell = (text: string) => text.padStart(16);
  const row = (label: string, f: (t: FloorTarget) => string) =>
    `${label.padEnd(36)}${FLOOR_TARGETS.map((t) => cell(f(t))).join('')}`;
  const lines = [row('per target', (t) => FLOOR_LABEL[t])];
  if (r.rates)
    lines.push(
      row('highest rate held (msg/s)', (t) => {
        const s = r.targets[t];
        if (s.maxPassingRate === null) return 'none';
        return `${num(s.maxPassingRate)}${s.steps.every((x) => x.ok) ? '+' : ''}`;
      }),
    );
  lines.push(
    row(`p50 at ${REFERENCE_RATE} msg/s (ms)`, (t) => {
      const p = p50At(r.targets[t], REFERENCE_RATE);
      return p?.p50 === null || p?.p50 === undefined ? '-' : p.p50.toFixed(2);
    }),
    row('CPU per round trip at peak (µs @ step)', (t) => {
      const peak = peakStep(t, r.targets[t]);
      return peak ? `${num(peak.report.relay!.relay!.cpuPerRoundTripUs!)} @${num(peak.ref.rate)}` : '-';
    }),
  );
  if (r.rates) lines.push('  (+: every step passed, so the highest rate is at least this)');
  return lines;
}

export function renderFloors(r: FloorsReport): string {
  const w = r.workload;
  const limit = Object.entries(r.p99Limits)
    .map(([m, ms]) => `p99 ${m === 'receipt' ? 'round trip' : m} ≤ ${ms} ms`)
    .join(', ');
  const steps = r.rates
    ? `rate steps ${r.rates.join(', ')} msg/s, the targets taking turns at each rate, a fresh relay for every step; a step passes with ${limit || 'no p99 limit'} and every check correct`
    : `one run per target at ${w.rate} msg/s`;
  const lines = [
    `hotline bench --floors: the same workload against three targets in one run, identical settings`,
    ...FLOOR_TARGETS.map((t) => `  ${FLOOR_LABEL[t].padEnd(13)} ${FLOOR_DESCRIPTION[t]}`),
    `${w.pairs} pairs, ${w.durationMs / 1000} s measured (+${w.warmupMs / 1000} s warmup) per step, ${w.bodyBytes}-byte bodies, receipts ${w.receipts ? 'on' : 'off'}; ${steps}`,
    '',
  ];
  for (const t of FLOOR_TARGETS) {
    const s = r.targets[t];
    lines.push(`── ${FLOOR_LABEL[t]} ──`);
    lines.push(r.rates ? renderSteps(s) : s.reports[0] ? renderTable(s.reports[0]) : 'not run', '');
  }
  lines.push(...targetTable(r), '');
  lines.push('ratios, all measured in this run:');
  lines.push(...cpuLines(r.ratios.cpu, r.rates !== null));
  lines.push(...rateLines(r.ratios.rate, limit || 'the step thresholds'));
  lines.push(...p50Lines(r.ratios.p50), '');
  for (const t of r.thresholds) lines.push(`threshold ${ratioThresholdText(t)}`);
  lines.push(r.ok ? 'result: PASS' : `result: FAIL (${r.failures.join('; ')})`);
  return lines.join('\n');
}
