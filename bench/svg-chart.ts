// A small line chart as inline SVG (no scripts, no network): linear or log axes, and the percentile axis
// of HdrHistogram plots, where each step to the right is ten times further into the tail (90%, 99%, 99.9%).

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** 'percentile': x is a percentile 0..100 shown on the 1/(1-p) log scale. */
  x?: 'linear' | 'percentile';
  y?: 'linear' | 'log';
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Percentile → log10 of 1/(1-p), capped so that 100% sits one decade past the last finite point. */
export function percentileX(p: number, cap: number): number {
  return p >= 100 ? cap : Math.min(cap, Math.log10(1 / (1 - p / 100)));
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v * 1e9) / 1e9);
  return out;
}

const label = (v: number) =>
  Math.abs(v) >= 100
    ? v.toFixed(0)
    : Math.abs(v) >= 10
      ? v.toFixed(1).replace(/\.0$/, '')
      : String(Math.round(v * 100) / 100);

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 320;
  const m = { l: 64, r: 16, t: 34, b: 84 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = spec.series.flatMap((s) => s.points);
  if (all.length === 0) return `<p class="empty">${escapeXml(spec.title)}: no data</p>`;
  const finite = all.filter(([x]) => x < 100).map(([x]) => x);
  const cap = spec.x === 'percentile' ? Math.ceil(Math.log10(1 / (1 - Math.max(90, ...finite) / 100))) + 1 : 0;
  const fx = (x: number) => (spec.x === 'percentile' ? percentileX(x, cap) : x);
  const logY = spec.y === 'log';
  const fy = (y: number) => (logY ? Math.log10(Math.max(y, 0.001)) : y);
  const xs = all.map(([x]) => fx(x));
  const ys = all.map(([, y]) => fy(y));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1e-9);
  const y0 = logY ? Math.floor(Math.min(...ys)) : 0;
  const y1 = logY ? Math.ceil(Math.max(...ys, y0 + 1)) : Math.max(...ys) * 1.08 || 1;
  const px = (x: number) => m.l + ((fx(x) - x0) / (x1 - x0)) * pw;
  const py = (y: number) => m.t + ph - ((fy(y) - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(spec.title)}">`,
  );
  parts.push(`<text x="${m.l}" y="20" font-size="14" font-weight="600">${escapeXml(spec.title)}</text>`);
  const yTicks = logY ? Array.from({ length: y1 - y0 + 1 }, (_, i) => 10 ** (y0 + i)) : niceTicks(0, y1);
  for (const v of yTicks) {
    const y = py(v);
    parts.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${m.l - 6}" y="${y + 4}" font-size="11" text-anchor="end">${label(v)}</text>`,
    );
  }
  const xTicks =
    spec.x === 'percentile'
      ? Array.from({ length: cap + 1 }, (_, i) => ({
          at: i,
          text: i === 0 ? '0%' : `${(100 - 100 / 10 ** i).toFixed(Math.max(0, i - 2))}%`,
        }))
      : niceTicks(x0, x1).map((v) => ({ at: v, text: label(v) }));
  for (const t of xTicks) {
    const x = spec.x === 'percentile' ? m.l + ((t.at - x0) / (x1 - x0)) * pw : px(t.at);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${m.t}" y2="${m.t + ph}" stroke="#eee"/><text x="${x}" y="${m.t + ph + 16}" font-size="11" text-anchor="middle">${escapeXml(t.text)}</text>`,
    );
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  parts.push(
    `<text x="${m.l + pw / 2}" y="${m.t + ph + 34}" font-size="12" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    const lx = m.l + (i % 4) * (pw / 4);
    const ly = m.t + ph + 56 + Math.floor(i / 4) * 15;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${lx + 22}" y="${ly}" font-size="11">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
