// The summary statistics of the report's measured figures. Defined here once, and in docs/report.md, so a
// reader can redo them by hand: the median of an even count is the mean of the two middle values; p90 is the
// nearest-rank percentile (the smallest value with at least 90 % of the values at or below it).

export interface Stats {
  count: number;
  median?: number;
  p90?: number;
  max?: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { count: 0 };
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mid = n >> 1;
  return {
    count: n,
    median: n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2,
    p90: s[Math.ceil(0.9 * n) - 1]!,
    max: s[n - 1]!,
  };
}
