// The response-time chart's time axis labels (web/src/trainer/chart-axis.ts): UTC, ending in Z, as precise
// as the tick spacing needs, with the date where the axis crosses a UTC day. uPlot passes ticks in seconds.
import { describe, expect, it } from 'vitest';
import { utcAxisLabels } from '../../web/src/trainer/chart-axis.js';

const s = (iso: string) => Date.parse(iso) / 1000;

describe('utcAxisLabels', () => {
  it('labels minute ticks within one day HH:MMZ, in UTC whatever the local zone', () => {
    const splits = ['2026-12-01T22:19:00Z', '2026-12-01T22:20:00Z', '2026-12-01T22:21:00Z'].map(s);
    expect(utcAxisLabels(splits, 60)).toEqual(['22:19Z', '22:20Z', '22:21Z']);
  });

  it('adds seconds when ticks are less than a minute apart, or fall between minutes', () => {
    const splits = ['2026-12-01T22:19:00Z', '2026-12-01T22:19:15Z', '2026-12-01T22:19:30Z'].map(s);
    expect(utcAxisLabels(splits, 15)).toEqual(['22:19:00Z', '22:19:15Z', '22:19:30Z']);
    expect(utcAxisLabels([s('2026-12-01T22:19:30Z'), s('2026-12-01T22:21:30Z')], 120)).toEqual([
      '22:19:30Z',
      '22:21:30Z',
    ]);
  });

  it('adds milliseconds below a second, so no two ticks read alike', () => {
    const t = s('2026-12-01T03:17:10Z');
    expect(utcAxisLabels([t + 0.2, t + 0.4, t + 0.6], 0.2)).toEqual([
      '03:17:10.200Z',
      '03:17:10.400Z',
      '03:17:10.600Z',
    ]);
  });

  it('puts the date before the first tick and the first tick of each new UTC day when the span crosses days', () => {
    const splits = ['2026-12-01T22:00:00Z', '2026-12-01T23:00:00Z', '2026-12-02T00:00:00Z', '2026-12-02T01:00:00Z'];
    expect(utcAxisLabels(splits.map(s), 3600)).toEqual(['01 DEC 22:00Z', '23:00Z', '02 DEC 00:00Z', '01:00Z']);
  });

  it('judges the crossing by the data plotted, not only by the ticks', () => {
    const splits = [s('2026-12-01T23:30:00Z'), s('2026-12-01T23:45:00Z')];
    const span = [s('2026-12-01T23:20:00Z'), s('2026-12-02T00:05:00Z')] as const;
    expect(utcAxisLabels(splits, 900, span)).toEqual(['01 DEC 23:30Z', '23:45Z']);
    expect(utcAxisLabels(splits, 900, [splits[0]!, splits[1]!])).toEqual(['23:30Z', '23:45Z']);
  });

  it('never writes a local or American form', () => {
    const start = s('2026-12-01T10:19:00Z');
    for (const incr of [0.05, 1, 10, 60, 300, 3600, 86_400]) {
      const splits = Array.from({ length: 5 }, (_, i) => start + i * incr);
      for (const label of utcAxisLabels(splits, incr)) {
        expect(label).toMatch(/^(\d{2} [A-Z]{3} )?\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/);
        expect(label).not.toMatch(/am|pm|\//i);
      }
    }
  });
});
