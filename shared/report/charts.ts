// The report's two charts, as inline SVG with UTC time axes: acknowledgement times over the exercise, per
// precedence, against the deadlines; and a strip of the whole exercise with a marker for every state change,
// inject, message, acknowledgement, note and alarm. Every marker has a <title>; the same facts are in the
// tables, so the charts are an overview, never the only record.
import { PRECEDENCES, type Precedence } from '../items.js';
import { deadlineList, deadlineText } from '../precedence.js';
import { shortName } from '../stations.js';
import { durationText, utcText } from './format.js';
import { html, join, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import type { ItemTiming } from './timings.js';
import { chartSvg, FONT, GRID, INK, marker, MUTED, PRECEDENCE_MARK, utcAxis, type Frame } from './svg-axis.js';

const WIDTH = 760;

function scale(from: number, to: number, a: number, b: number): (v: number) => number {
  const span = to - from || 1;
  return (v) => a + ((v - from) / span) * (b - a);
}

/** One unit for the delay axis, from the largest value: seconds, minutes or hours. */
function delayUnit(max: number): [string, number] {
  return max < 180_000 ? ['seconds', 1000] : max < 3 * 3_600_000 ? ['minutes', 60_000] : ['hours', 3_600_000];
}

/** A round step for four gridlines that reach at least `v`. */
function niceStep(v: number): number {
  const raw = v / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
}

type DeadlineLine = readonly [Precedence, number];

/**
 * The deadlines drawn as lines: those of the precedences in the log, as far as they stay within four times
 * the chart's reach (the slowest acknowledgement, or the shortest of those deadlines if slower): a 6 h
 * ROUTINE line would flatten minutes of FLASH acknowledgements into the axis. The others are named below.
 */
function deadlineLines(model: ReportModel, acked: readonly ItemTiming[]): [DeadlineLine[], DeadlineLine[]] {
  const inLog = deadlineList(model.deadlines.ackDeadlinesMs).filter(([p]) =>
    model.items.some((i) => i.precedence === p),
  );
  const reach = Math.max(...acked.map((i) => i.acknowledged!.lineMs), Math.min(...inLog.map(([, ms]) => ms)));
  return [inLog.filter(([, ms]) => ms <= 4 * reach), inLog.filter(([, ms]) => ms > 4 * reach)];
}

/** The deadlines not drawn, named so that the chart never hides one. */
function offScaleNote(lines: readonly DeadlineLine[]): SafeHtml {
  const named = lines.map(([p, ms]) => `${p} deadline ${deadlineText(ms)}`).join(', ');
  return html`<p class="note" data-testid="deadlines-off-scale">Off the scale: ${named}.</p>`;
}

export function ackChart(model: ReportModel): SafeHtml {
  const acked = model.items.filter((i) => i.acknowledged);
  const f: Frame = { width: WIDTH, height: 280, left: 64, right: 16, top: 16, bottom: 40 };
  if (acked.length === 0) return html`<p class="muted">No acknowledgements in this log: nothing to chart.</p>`;
  const from = Math.min(...model.items.map((i) => i.acceptedAt));
  const to = Math.max(...acked.map((i) => i.acceptedAt), from + 60_000);
  const [shown, offScale] = deadlineLines(model, acked);
  const largest = Math.max(...acked.map((i) => i.acknowledged!.lineMs), ...shown.map(([, ms]) => ms), 1000);
  const [unit, div] = delayUnit(largest);
  const step = niceStep((largest * 1.05) / div);
  const top = step * 4;
  const x = scale(from, to, f.left + 8, f.width - f.right - 8);
  const y = scale(0, top, f.height - f.bottom, f.top);
  const yTicks = [0, 1, 2, 3, 4].map((k) => k * step);
  const label = `Line time to acknowledge, in ${unit}, of ${acked.length} acknowledged items by the UTC time they were logged`;
  const svg = chartSvg(
    f,
    label,
    html`<g font-family="${FONT}" font-size="11" fill="${MUTED}">
        ${join(
          yTicks.map(
            (v) =>
              html`<line
                  x1="${f.left}"
                  y1="${y(v).toFixed(1)}"
                  x2="${f.width - f.right}"
                  y2="${y(v).toFixed(1)}"
                  stroke="${GRID}"
                />
                <text x="${f.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${+v.toFixed(2)}</text>`,
          ),
        )}
        <text
          x="14"
          y="${(f.top + f.height - f.bottom) / 2}"
          text-anchor="middle"
          fill="${INK}"
          transform="rotate(-90 14 ${(f.top + f.height - f.bottom) / 2})"
        >
          ${unit}
        </text>
      </g>
      ${join(
        shown.map(([p, ms]) => {
          const yy = y(ms / div).toFixed(1);
          return html`<g
            ><line
              x1="${f.left}"
              y1="${yy}"
              x2="${f.width - f.right}"
              y2="${yy}"
              stroke="${PRECEDENCE_MARK[p].colour}"
              stroke-dasharray="6 4"
              stroke-width="1.5"
            />
            <text
              x="${f.width - f.right - 4}"
              y="${(+yy - 4).toFixed(1)}"
              text-anchor="end"
              font-family="${FONT}"
              font-size="11"
              fill="${PRECEDENCE_MARK[p].colour}"
              >${p} deadline ${deadlineText(ms)}</text
            ></g
          >`;
        }),
      )}
      ${utcAxis(f, from, to, x)}
      <g>
        ${join(
          acked.map((i) => {
            const m = PRECEDENCE_MARK[i.precedence];
            const a = i.acknowledged!;
            const title = `Entry ${i.idx}: ${i.precedence} ${i.kind} logged ${utcText(i.acceptedAt)}, acknowledged after ${durationText(a.ms)} (line time ${durationText(a.lineMs)})`;
            return marker(m.shape, x(i.acceptedAt), y(a.lineMs / div), m.colour, title, i.kind === 'inject');
          }),
        )}
      </g>`,
  );
  return offScale.length === 0 ? svg : html`${svg}${offScaleNote(offScale)}`;
}

/** The legend of both charts: precedence shapes and colours; hollow for injects. */
export function precedenceLegend(): SafeHtml {
  return html`<ul class="legend">
    ${join(
      PRECEDENCES.map((p) => {
        const m = PRECEDENCE_MARK[p];
        return html`<li>
          <svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">${marker(m.shape, 7, 7, m.colour, p)}</svg>
          ${p}
        </li>`;
      }),
    )}
    <li>
      <svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">
        ${marker('circle', 7, 7, INK, 'inject', true)}
      </svg>
      hollow: an inject
    </li>
  </ul>`;
}

export function timelineStrip(model: ReportModel): SafeHtml {
  const p = model.period;
  const events = model.timeline.filter((e) => e.kind !== 'created' && e.kind !== 'key-enrolled');
  const from = Math.min(p.startex ?? Infinity, ...events.map((e) => e.at));
  const to = Math.max(from + 60_000, ...events.map((e) => e.at), model.verification.checkpoint.at);
  const [a, b] = model.exercise.stations;
  const lanes = [
    ['control', 'Exercise control'],
    ['injects', 'Injects'],
    [a.id, shortName(model.exercise, a.id)],
    [b.id, shortName(model.exercise, b.id)],
  ] as const;
  const laneH = 30;
  const f: Frame = { width: WIDTH, height: 16 + lanes.length * laneH + 44, left: 120, right: 16, top: 16, bottom: 44 };
  const x = scale(from, to, f.left + 6, f.width - f.right - 6);
  const laneY = (i: number) => f.top + i * laneH + laneH / 2;
  const laneOf = (e: (typeof events)[number]): number => {
    if (e.kind === 'inject') return 1;
    if (e.station === a.id) return 2;
    if (e.station === b.id) return 3;
    return 0;
  };
  const pauses = p.pauses.map((ps) => {
    const x1 = x(ps.at);
    const x2 = x(ps.until ?? to);
    return html`<rect
      x="${x1.toFixed(1)}"
      y="${f.top}"
      width="${Math.max(1, x2 - x1).toFixed(1)}"
      height="${lanes.length * laneH}"
      fill="#eaeef2"
      ><title>Paused ${utcText(ps.at)} by ${ps.by}</title></rect
    >`;
  });
  const marks = events.map((e) => {
    const cx = x(e.at);
    const cy = laneY(laneOf(e));
    const title = `${utcText(e.at)} · entry ${e.idx}: ${e.text}`;
    if (e.kind === 'startex' || e.kind === 'endex' || e.kind === 'pause' || e.kind === 'resume') {
      const word = { startex: 'STARTEX', endex: 'ENDEX', pause: 'PAUSE', resume: 'RESUME' }[e.kind];
      // ENDEX and PAUSE close a stretch: their word stands before the line, the others after it.
      const before = e.kind === 'endex' || e.kind === 'pause';
      return html`<g
        ><line
          x1="${cx.toFixed(1)}"
          y1="${f.top}"
          x2="${cx.toFixed(1)}"
          y2="${f.top + lanes.length * laneH}"
          stroke="${INK}"
          stroke-width="1.5"
          stroke-dasharray="${e.kind === 'pause' || e.kind === 'resume' ? '3 3' : 'none'}"
          ><title>${title}</title></line
        ><text
          x="${(before ? cx - 3 : cx + 3).toFixed(1)}"
          y="${f.top - 4}"
          text-anchor="${before ? 'end' : 'start'}"
          font-family="${FONT}"
          font-size="10"
          fill="${INK}"
          >${word}</text
        ></g
      >`;
    }
    if (e.kind === 'message' || e.kind === 'inject') {
      const m = PRECEDENCE_MARK[e.precedence ?? 'ROUTINE'];
      return marker(m.shape, cx, cy, m.colour, title, e.kind === 'inject');
    }
    if (e.kind === 'acknowledged' || e.kind === 'delivered')
      return html`<line
        x1="${cx.toFixed(1)}"
        y1="${(cy + 7).toFixed(1)}"
        x2="${cx.toFixed(1)}"
        y2="${(cy + (e.kind === 'acknowledged' ? 14 : 11)).toFixed(1)}"
        stroke="${e.kind === 'acknowledged' ? '#1a7f37' : MUTED}"
        stroke-width="2"
        ><title>${title}</title></line
      >`;
    if (e.kind === 'alarm')
      return html`<text
        x="${cx.toFixed(1)}"
        y="${(cy + 4).toFixed(1)}"
        text-anchor="middle"
        font-family="${FONT}"
        font-size="13"
        font-weight="bold"
        fill="#b42318"
        >✕<title>${title}</title></text
      >`;
    return marker('square', cx, cy, e.kind === 'note' ? '#8250df' : MUTED, title, e.kind !== 'note');
  });
  const label = `Timeline of the exercise from ${utcText(from)} to ${utcText(to)}: state changes, injects, messages, receipts, notes and alarms`;
  return chartSvg(
    f,
    label,
    html`${join(pauses)}
      <g font-family="${FONT}" font-size="11" fill="${INK}">
        ${join(
          lanes.map(
            ([, name], i) =>
              html`<line x1="${f.left}" y1="${laneY(i)}" x2="${f.width - f.right}" y2="${laneY(i)}" stroke="${GRID}" />
                <text x="${f.left - 8}" y="${laneY(i) + 4}" text-anchor="end">${name}</text>`,
          ),
        )}
      </g>
      ${utcAxis(f, from, to, x)} ${join(marks)}`,
  );
}
