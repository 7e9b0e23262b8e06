// Frame and axes of the report's SVG charts: the titled, white-backed <svg>, a UTC time axis with round ticks,
// and a delay axis in one unit. Drawn with SVG presentation attributes only (the trainer's pages allow no
// style attributes), in colours that print.
import type { Precedence } from '../items.js';
import { html, join, type SafeHtml } from './html.js';

export const INK = '#1f2328';
export const GRID = '#d0d7de';
export const MUTED = '#57606a';
export const FONT = 'system-ui, sans-serif';

/** Precedence colours for paper (darker than the consoles' dark-theme ones) and a shape each, so no meaning
 * rests on colour alone. */
export const PRECEDENCE_MARK: Readonly<Record<Precedence, { colour: string; shape: Shape }>> = {
  FLASH: { colour: '#b42318', shape: 'diamond' },
  IMMEDIATE: { colour: '#b54708', shape: 'triangle' },
  PRIORITY: { colour: '#175cd3', shape: 'square' },
  ROUTINE: { colour: '#475467', shape: 'circle' },
};

export type Shape = 'diamond' | 'triangle' | 'square' | 'circle';

/** A marker centred on (x, y), with its tooltip (and accessible name) as a <title>; hollow: outline only. */
export function marker(shape: Shape, x: number, y: number, colour: string, title: string, hollow = false): SafeHtml {
  const r = 5;
  const fill = hollow ? '#ffffff' : colour;
  const paint = { fill, stroke: colour, width: hollow ? 1.5 : 0.5 };
  const n = (v: number) => v.toFixed(1);
  if (shape === 'circle')
    return html`<circle
      cx="${n(x)}"
      cy="${n(y)}"
      r="${r}"
      fill="${paint.fill}"
      stroke="${paint.stroke}"
      stroke-width="${paint.width}"
      ><title>${title}</title></circle
    >`;
  if (shape === 'square')
    return html`<rect
      x="${n(x - r)}"
      y="${n(y - r)}"
      width="${2 * r}"
      height="${2 * r}"
      fill="${paint.fill}"
      stroke="${paint.stroke}"
      stroke-width="${paint.width}"
      ><title>${title}</title></rect
    >`;
  const pts =
    shape === 'diamond'
      ? [
          [x, y - r - 1],
          [x + r + 1, y],
          [x, y + r + 1],
          [x - r - 1, y],
        ]
      : [
          [x, y - r - 1],
          [x + r + 1, y + r],
          [x - r - 1, y + r],
        ];
  const points = pts.map(([a, b]) => `${n(a!)},${n(b!)}`).join(' ');
  return html`<polygon points="${points}" fill="${paint.fill}" stroke="${paint.stroke}" stroke-width="${paint.width}"
    ><title>${title}</title></polygon
  >`;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(
  (s) => s * 1000,
);

/** Round UTC tick times between `from` and `to`, about `target` of them. */
export function utcTicks(from: number, to: number, target = 6): { step: number; ticks: number[] } {
  const span = Math.max(1000, to - from);
  const step = STEPS.find((s) => span / s <= target) ?? STEPS[STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { step, ticks };
}

export function utcTickLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  return step < 60_000 ? `${iso.slice(11, 19)}Z` : `${iso.slice(11, 16)}Z`;
}

/** The axis title: the UTC date(s) the axis spans. */
export function utcAxisTitle(from: number, to: number): string {
  const a = new Date(from).toISOString().slice(0, 10);
  const b = new Date(to).toISOString().slice(0, 10);
  return a === b ? `UTC, ${a}` : `UTC, ${a} to ${b}`;
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The bottom UTC axis of a chart framed by `f`, mapping time with `x`. */
export function utcAxis(f: Frame, from: number, to: number, x: (t: number) => number): SafeHtml {
  const { step, ticks } = utcTicks(from, to);
  const base = f.height - f.bottom;
  return html`<g font-family="${FONT}" font-size="11" fill="${MUTED}">
    <line x1="${f.left}" y1="${base}" x2="${f.width - f.right}" y2="${base}" stroke="${INK}" stroke-width="1" />
    ${join(
      ticks.map(
        (t) =>
          html`<line x1="${x(t).toFixed(1)}" y1="${base}" x2="${x(t).toFixed(1)}" y2="${base + 4}" stroke="${INK}" />
            <text x="${x(t).toFixed(1)}" y="${base + 16}" text-anchor="middle">${utcTickLabel(t, step)}</text>`,
      ),
    )}
    <text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 4}" text-anchor="middle" fill="${INK}"
      >${utcAxisTitle(from, to)}</text
    >
  </g>`;
}

/** A chart's <svg>, sized to its frame on a white ground, whose label is both its accessible name and its tooltip. */
export function chartSvg(f: Frame, label: string, body: SafeHtml): SafeHtml {
  return html`<svg
    class="chart"
    viewBox="0 0 ${f.width} ${f.height}"
    width="100%"
    role="img"
    aria-label="${label}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title>${label}</title>
    <rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff" />
    ${body}
  </svg>`;
}
