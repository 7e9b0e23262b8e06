// The labels of the response-time chart's time axis, in UTC like every other time in the trainer: HH:MM:SSZ
// when ticks are less than a minute apart (with milliseconds below a second, so no two ticks read alike),
// HH:MMZ otherwise, and the date in front of the first tick of the
// axis and of every new UTC day when the span crosses midnight. uPlot's own time labels are local time in
// an American format ("12/1/26 10:19pm"); this replaces them.
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;

/**
 * One label per tick. `splits` are the ticks in seconds since the epoch (uPlot's time scale), `incr` the
 * distance between ticks in seconds, `span` the first and last time plotted (seconds), which decides
 * whether the axis crosses a UTC day.
 */
export function utcAxisLabels(splits: readonly number[], incr: number, span?: readonly [number, number]): string[] {
  const first = span?.[0] ?? splits[0] ?? 0;
  const last = span?.[1] ?? splits[splits.length - 1] ?? 0;
  const dayOf = (s: number) => Math.floor((s * 1000) / DAY_MS);
  const crossesDays = dayOf(first) !== dayOf(last) || incr >= DAY_MS / 1000;
  const whole = (s: number) => Math.abs(s - Math.round(s)) < 1e-6;
  const withMs = incr < 1 || splits.some((s) => !whole(s));
  const withSeconds = withMs || incr < 60 || splits.some((s) => Math.round(s) % 60 !== 0);
  let previousDay: number | undefined;
  return splits.map((s) => {
    const d = new Date(Math.round(s * 1000));
    const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const sec = withSeconds ? `:${pad(d.getUTCSeconds())}` : '';
    const ms = withMs ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : '';
    const time = `${hm}${sec}${ms}Z`;
    const day = dayOf(s);
    const newDay = crossesDays && day !== previousDay;
    previousDay = day;
    return newDay ? `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${time}` : time;
  });
}
