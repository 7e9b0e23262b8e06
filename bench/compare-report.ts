// The side-by-side table of a comparison (compare.ts): at each rate, the round trip's percentiles, the relays'
// CPU per round trip (and the PostgreSQL server's, where measured) and what was achieved, for both variants
// with the ratio second ÷ first; then the highest rate each held.
import type { CompareReport } from './compare.js';
import type { BenchReport } from './report.js';
import { endToEnd } from './report.js';

export interface ComparedRow {
  rate: number | null;
  figure: string;
  first: number | null;
  second: number | null;
  /** second ÷ first, or null when either is missing or the first is 0. */
  ratio: number | null;
}

export function ratioOf(first: number | null, second: number | null): number | null {
  return first !== null && second !== null && first > 0 ? Math.round((second / first) * 100) / 100 : null;
}

function figuresOf(r: BenchReport | undefined): Record<string, number | null> {
  const run = r?.relay;
  if (!run) return {};
  const s = run.latency[endToEnd(run.workload)];
  const pg = run.group?.postgres;
  return {
    p50: s.count > 0 ? s.p50 : null,
    p90: s.count > 0 ? s.p90 : null,
    p99: s.count > 0 ? s.p99 : null,
    max: s.count > 0 ? s.max : null,
    'relay CPU per round trip (µs, all relays)': run.relay?.cpuPerRoundTripUs ?? null,
    'PostgreSQL server CPU per round trip (µs)': pg && !('unavailable' in pg) ? pg.cpuPerRoundTripUs : null,
    'achieved (per second)': run.workload.receipts ? run.rate.receipts : run.rate.accepted,
  };
}

/** Every compared figure, rate by rate, then the highest rates held. */
export function comparedRows(r: CompareReport): ComparedRow[] {
  const [a, b] = r.variants;
  const rows: ComparedRow[] = [];
  const rates = r.rates ?? [r.workload.rate];
  for (const rate of rates) {
    const at = (s: typeof a) => s.search.reports[s.search.steps.findIndex((x) => x.rate === rate)];
    const fa = figuresOf(at(a));
    const fb = figuresOf(at(b));
    for (const figure of new Set([...Object.keys(fa), ...Object.keys(fb)])) {
      const first = fa[figure] ?? null;
      const second = fb[figure] ?? null;
      if (first === null && second === null) continue;
      rows.push({ rate, figure, first, second, ratio: ratioOf(first, second) });
    }
  }
  if (r.rates) {
    const first = a.search.maxPassingRate;
    const second = b.search.maxPassingRate;
    rows.push({ rate: null, figure: 'highest rate held (msg/s)', first, second, ratio: ratioOf(first, second) });
  }
  return rows;
}

const fmt = (n: number | null) =>
  n === null ? '-' : Number.isInteger(n) || n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1) : n.toFixed(2);

export function renderCompare(r: CompareReport): string {
  const [a, b] = r.variants;
  const w = r.workload;
  const limit = Object.entries(r.p99Limits)
    .map(([m, ms]) => `p99 ${m} ≤ ${ms} ms`)
    .join(', ');
  const lines = [
    `hotline bench --${r.kind === 'stores' ? 'compare-stores' : 'cross-relay'}: ${w.pairs} pairs, ${w.durationMs / 1000} s (+${w.warmupMs / 1000} s warmup) per run, ${a.label} and ${b.label} in turn${r.rates ? `; a step passes at ${limit || 'no limit'}` : ''}`,
    `round trip = submit → ${endToEnd(w) === 'receipt' ? 'receipt back' : 'delivered'}, ms`,
    '',
    `${'figure'.padEnd(48)}${a.label.padStart(12)}${b.label.padStart(12)}${`${b.label} ÷ ${a.label}`.padStart(24)}`,
  ];
  let rate: number | null | undefined;
  for (const row of comparedRows(r)) {
    if (row.rate !== rate) {
      rate = row.rate;
      lines.push(rate === null ? '' : `at ${rate} msg/s`);
    }
    const ratio = row.ratio === null ? '-' : `${row.ratio.toFixed(2)}×`;
    lines.push(
      `  ${row.figure.padEnd(46)}${fmt(row.first).padStart(12)}${fmt(row.second).padStart(12)}${ratio.padStart(24)}`,
    );
  }
  for (const v of r.variants)
    for (const [i, rep] of v.search.reports.entries()) {
      const c = rep.relay?.correctness;
      if (c)
        lines.push(
          `${v.label} at ${v.search.steps[i]!.rate} msg/s: correctness ${c.ok ? 'OK' : 'FAILED'}, ${c.messages} messages, ${c.verification.signatures} signatures verified`,
        );
    }
  lines.push(r.ok ? 'result: PASS' : `result: FAIL (${r.failures.join('; ')})`);
  return lines.join('\n');
}
