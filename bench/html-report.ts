// A self-contained HTML report: the figures as tables, latency over time and the percentile distribution
// as inline SVG plots (relay solid, bare relay dashed), relay and generator CPU over time. No scripts, no
// network: it opens from a file anywhere.
import { PERCENTILES } from './histograms.js';
import { LATENCY_METRICS, type LatencyMetric } from './measures.js';
import type { BenchReport } from './report.js';
import { renderTable } from './report.js';
import type { RunResult } from './result.js';
import { escapeXml, lineChart, type Series } from './svg-chart.js';

const COLOR: Record<LatencyMetric, string> = { accepted: '#1f77b4', delivered: '#2ca02c', receipt: '#d62728' };
const LABEL: Record<LatencyMetric, string> = {
  accepted: 'submit → accepted',
  delivered: 'submit → delivered',
  receipt: 'submit → receipt',
};

function distributionChart(r: BenchReport): string {
  const series: Series[] = [];
  for (const [run, dashed, suffix] of [
    [r.relay, false, ''],
    [r.baseline, true, ' (bare)'],
  ] as const) {
    if (!run) continue;
    for (const m of LATENCY_METRICS) {
      if (run.latency[m].count === 0) continue;
      series.push({
        name: `${LABEL[m]}${suffix}`,
        color: COLOR[m],
        dashed,
        points: run.distribution[m].map((d) => [d.percentile, d.ms]),
      });
    }
  }
  return lineChart({
    title: 'Latency by percentile',
    xLabel: 'percentile',
    yLabel: 'latency (ms, log scale)',
    series,
    x: 'percentile',
    y: 'log',
  });
}

function overTimeChart(run: RunResult, title: string): string {
  const series: Series[] = [];
  for (const m of LATENCY_METRICS) {
    const pts = run.series[m];
    if (pts.length === 0) continue;
    series.push({ name: `${LABEL[m]} p99`, color: COLOR[m], points: pts.map((p) => [p.t, p.p99]) });
    series.push({ name: `${LABEL[m]} p50`, color: COLOR[m], dashed: true, points: pts.map((p) => [p.t, p.p50]) });
  }
  const maxLine = run.series.receipt.length > 0 ? run.series.receipt : run.series.delivered;
  series.push({ name: 'max (end to end)', color: '#999', points: maxLine.map((p) => [p.t, p.max]) });
  return lineChart({
    title,
    xLabel: 'seconds into the measurement (by completion time, 1 s windows)',
    yLabel: 'latency (ms, log scale)',
    series,
    y: 'log',
  });
}

function cpuChart(run: RunResult): string {
  const series: Series[] = [
    { name: 'generator CPU %', color: '#9467bd', points: run.resources.map((p) => [p.t, p.generatorCpu]) },
  ];
  const relay = run.resources.filter((p) => p.relayCpu !== null);
  if (relay.length > 0)
    series.unshift({ name: 'relay CPU %', color: '#ff7f0e', points: relay.map((p) => [p.t, p.relayCpu!]) });
  return lineChart({
    title: `CPU over time (${run.target.kind})`,
    xLabel: 'seconds since the schedule started (warmup included)',
    yLabel: '% of one core',
    series,
  });
}

function latencyTable(run: RunResult, caption: string): string {
  const head = `<tr><th>${escapeXml(caption)}</th>${PERCENTILES.map((p) => `<th>${p === 'p999' ? 'p99.9' : p}</th>`).join('')}<th>count</th></tr>`;
  const rows = LATENCY_METRICS.filter((m) => run.latency[m].count > 0).map(
    (m) =>
      `<tr><td>${LABEL[m]}</td>${PERCENTILES.map((p) => `<td>${run.latency[m][p]}</td>`).join('')}<td>${run.latency[m].count}</td></tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

function ratioTable(r: BenchReport): string {
  if (!r.ratios || !r.relay) return '';
  const head = `<tr><th>relay ÷ bare</th>${PERCENTILES.map((p) => `<th>${p === 'p999' ? 'p99.9' : p}</th>`).join('')}</tr>`;
  const rows = LATENCY_METRICS.filter((m) => r.relay!.latency[m].count > 0).map(
    (m) => `<tr><td>${LABEL[m]}</td>${PERCENTILES.map((p) => `<td>${r.ratios![m][p] ?? '-'}×</td>`).join('')}</tr>`,
  );
  return `<h2>Ratio to the floor</h2><p>How many times slower the real relay is than a bare WebSocket relay that only forwards frames, at the same workload in the same run.</p><table>${head}${rows.join('')}</table>`;
}

function memoryTable(run: RunResult): string {
  const m = run.relay?.memory;
  if (!m) return '';
  const rows = m.points
    .map((p) => `<tr><td>${p.sockets}</td><td>${p.rssMb}</td><td>${p.heapMb}</td><td>${p.externalMb}</td></tr>`)
    .join('');
  return `<h2>Relay memory</h2><p>${m.rssPerSocketKb} KB RSS, ${m.heapPerSocketKb} KB heap per socket (${m.method === 'second-half' ? 'marginal, over the second half of the sockets' : 'whole delta; few sockets'}), after a full GC at each step.</p>
<table><tr><th>sockets</th><th>RSS MB</th><th>heap MB</th><th>external MB</th></tr>${rows}</table>`;
}

function profileTable(run: RunResult): string {
  const p = run.profile;
  if (!p) return '';
  const rows = p.topFunctions
    .map(
      (f) =>
        `<tr><td>${escapeXml(f.name)}</td><td class="l">${escapeXml(f.where)}</td><td>${f.ms}</td><td>${f.percent}%</td></tr>`,
    )
    .join('');
  const mods = p.byModule
    .map((f) => `<tr><td>${escapeXml(f.name)}</td><td>${f.ms}</td><td>${f.percent}%</td></tr>`)
    .join('');
  const stalls = p.longestStalls
    .map(
      (st) =>
        `<tr><td>${st.at}</td><td>${st.ms}</td><td class="l">${escapeXml(st.top.map((t) => `${t.name} ${t.where} (${t.ms} ms)`).join('; '))}</td></tr>`,
    )
    .join('');
  return `<h2>Relay CPU profile (main thread, measurement window)</h2>
<table><tr><th>longest busy stretch at (s)</th><th>ms</th><th>mostly</th></tr>${stalls}</table><p>${p.busyMs} ms busy of ${p.totalMs} ms sampled. Work on libuv's thread pool (WebCrypto signature checks, fsync) is not in these samples.</p>
<table><tr><th>function (self time)</th><th>where</th><th>ms</th><th>% of busy</th></tr>${rows}</table>
<table><tr><th>module (self time)</th><th>ms</th><th>% of busy</th></tr>${mods}</table>`;
}

export function renderHtml(r: BenchReport): string {
  const ok = r.ok
    ? '<span class="ok">PASS</span>'
    : `<span class="bad">FAIL</span> ${escapeXml(r.failures.join('; '))}`;
  const sections: string[] = [];
  if (r.relay && r.relay.workload.rate > 0) {
    sections.push(
      `<h2>Latency</h2>${latencyTable(r.relay, 'relay (ms)')}${r.baseline ? latencyTable(r.baseline, 'bare relay (ms)') : ''}`,
    );
    sections.push(ratioTable(r));
    sections.push(distributionChart(r));
    sections.push(overTimeChart(r.relay, 'Latency over time: relay'));
    if (r.baseline) sections.push(overTimeChart(r.baseline, 'Latency over time: bare relay'));
  }
  if (r.relay) sections.push(cpuChart(r.relay));
  if (r.relay) sections.push(memoryTable(r.relay), profileTable(r.relay));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hotline bench ${escapeXml(r.startedAt)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:820px;color:#222}
table{border-collapse:collapse;margin:.6rem 0 1.2rem}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:.8rem;white-space:pre-wrap;font-size:12px}
.l{text-align:left}.ok{color:#080;font-weight:700}.bad{color:#b00;font-weight:700}svg{display:block;margin:1rem 0}
</style></head><body>
<h1>hotline bench</h1>
<p>${escapeXml(r.startedAt)} · <code>${escapeXml(r.command)}</code> · ${ok}</p>
${sections.join('\n')}
<h2>Summary</h2>
<pre>${escapeXml(renderTable(r))}</pre>
</body></html>
`;
}
