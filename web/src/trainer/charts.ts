// The response-time chart (uPlot): for every message, at the time it was logged, how long until the relay
// accepted it, until the other console confirmed delivery, and until its operator acknowledged it. Each
// message is its own measurement, so the chart draws points and never a line from one message to the next;
// the time axis is labelled in UTC (chart-axis.ts).
// uPlot styles its elements through the CSSOM, which the CSP allows; its stylesheet is bundled by Vite.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { utcAxisLabels } from './chart-axis.js';
import { h } from './dom.js';
import type { ResponseRow } from './response-times.js';
import { OUT_STATE } from './state-words.js';

// Each delay named by the state it reaches, in the consoles' words (state-words.ts).
const SERIES = [
  { key: 'acceptMs', label: `${OUT_STATE.accepted} (after signing)`, stroke: '#d2a8ff', cls: 'series-accepted' },
  {
    key: 'deliverMs',
    label: `${OUT_STATE.delivered} (after logging)`,
    stroke: '#58a6ff',
    cls: 'series-delivered',
  },
  {
    key: 'ackMs',
    label: `${OUT_STATE.acknowledged} (after logging)`,
    stroke: '#56d364',
    cls: 'series-acknowledged',
  },
] as const;

export interface Chart {
  el: HTMLElement;
  destroy(): void;
}

export function responseChart(rows: readonly ResponseRow[], caption: string): Chart {
  const plot = h('div', {
    class: 'chart-plot',
    role: 'img',
    'aria-label': `${caption} The same figures are in the table below.`,
  });
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    ...SERIES.map((s) => h('li', { class: s.cls }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), s.label)),
  );
  const el = h('figure', { class: 'chart card' }, h('figcaption', {}, caption), plot, legend);
  if (rows.length === 0) {
    plot.append(h('p', { class: 'muted' }, 'No messages yet.'));
    return { el, destroy: () => undefined };
  }
  const xs = rows.map((r) => r.acceptedAt / 1000);
  // One unit for the whole axis, picked from the largest delay: ms, seconds or minutes.
  const largest = Math.max(0, ...rows.flatMap((r) => SERIES.map((s) => r[s.key] ?? 0)));
  const [unit, div] =
    largest < 2_000 ? ['Milliseconds', 1] : largest < 180_000 ? ['Seconds', 1000] : ['Minutes', 60_000];
  const data: uPlot.AlignedData = [
    xs,
    ...SERIES.map((s) => rows.map((r) => (r[s.key] === undefined ? null : Math.max(0, r[s.key]!) / div))),
  ];
  const span: [number, number] = [Math.min(...xs), Math.max(...xs)];
  const axis = { stroke: '#c9d1d9', grid: { stroke: '#30363d', width: 1 }, ticks: { stroke: '#30363d', width: 1 } };
  const opts: uPlot.Options = {
    width: 800,
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
    axes: [
      {
        ...axis,
        label: 'Logged at (UTC)',
        // Room for the widest label ("02 DEC 03:17Z", "03:17:10.600Z") and a gap.
        space: 110,
        values: (_u, splits, _axis, _space, incr) => utcAxisLabels(splits, incr, span),
      },
      { ...axis, label: unit, size: 60 },
    ],
    series: [
      {},
      ...SERIES.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: 1.5,
        // No path: points only (a line would join unrelated messages).
        paths: () => null,
        points: { show: true, size: 9, stroke: s.stroke, fill: s.stroke },
      })),
    ],
  };
  const chart = new uPlot(opts, data, plot);
  const fit = () => {
    const width = Math.max(240, plot.clientWidth);
    if (Math.abs(width - chart.width) > 2) chart.setSize({ width, height: 260 });
  };
  const observer = new ResizeObserver(fit);
  observer.observe(plot);
  requestAnimationFrame(fit);
  return {
    el,
    destroy() {
      observer.disconnect();
      chart.destroy();
    },
  };
}
