// One time format in the trainer console: times of day as HH:MM:SSZ (UTC), dated only when they may fall on
// another day, and a DTG only where a message's (or an inject's) date-time group is meant.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zuluDated } from '../../web/src/trainer/format.js';

const TRAINER = path.resolve('web/src/trainer');

describe('zuluDated', () => {
  const at = '2026-12-02T03:13:34.512Z';

  it('is HH:MM:SSZ on the UTC day of `today`', () => {
    expect(zuluDated(at, Date.parse('2026-12-02T23:59:59Z'))).toBe('03:13:34Z');
    expect(zuluDated(Date.parse(at), Date.parse('2026-12-02T00:00:00Z'))).toBe('03:13:34Z');
  });

  it('puts the UTC date in front on another day, or when no day is in view', () => {
    expect(zuluDated(at, Date.parse('2026-12-01T23:59:59Z'))).toBe('2026-12-02 03:13:34Z');
    expect(zuluDated(new Date(at))).toBe('2026-12-02 03:13:34Z');
  });
});

describe('the trainer shows a DTG only where a DTG is meant', () => {
  // A message's and an inject's date-time group in a console column, a private entry's in the replay, and
  // the per-message table's DTG column. Every other time (states, alarms, deadlines, notes, expiries, the
  // replay position) is HH:MM:SSZ.
  const ALLOWED: Record<string, number> = { 'console-panel.ts': 2, 'replay-console.ts': 1, 'response-view.ts': 1 };

  it('calls dtg() in those places only', () => {
    const found: Record<string, number> = {};
    for (const file of readdirSync(TRAINER).filter((f) => f.endsWith('.ts'))) {
      const calls = readFileSync(path.join(TRAINER, file), 'utf8').match(/\bdtg\(/g)?.length ?? 0;
      if (calls > 0 && file !== 'format.ts') found[file] = calls;
    }
    expect(found).toEqual(ALLOWED);
  });
});
