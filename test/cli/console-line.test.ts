// The terminal console's parsing for the line's procedures, without a relay: call times (HH:MM is the next
// such UTC time, an ISO time needs its offset), call levels, the line settings' durations with their bounds,
// and --role, which only enrolment takes and only as "translator".
import { describe, expect, it } from 'vitest';
import { callTime, parseCallTime, parseLevel } from '../../cli/console-line.js';
import { checkConsoleOptions } from '../../cli/console-open.js';
import { parseDuration } from '../../cli/exercise-deadlines.js';
import { codeFromLink } from '../../client/identity.js';
import { thrown } from '../helpers/thrown.js';

const NOW = Date.parse('2026-12-02T13:30:00.000Z');

describe('terminal console: call times and levels', () => {
  it('reads HH:MM as the next such UTC time, and ISO times with an offset', () => {
    expect(parseCallTime('14:00', NOW)).toBe('2026-12-02T14:00:00.000Z');
    expect(parseCallTime('14:00Z', NOW)).toBe('2026-12-02T14:00:00.000Z');
    // Already past today: tomorrow.
    expect(parseCallTime('13:30', NOW)).toBe('2026-12-03T13:30:00.000Z');
    expect(parseCallTime('09:15z', NOW)).toBe('2026-12-03T09:15:00.000Z');
    expect(parseCallTime('2026-12-24T08:00Z', NOW)).toBe('2026-12-24T08:00:00.000Z');
    expect(parseCallTime('2026-12-24T16:00+08:00', NOW)).toBe('2026-12-24T08:00:00.000Z');
    for (const bad of ['24:00', '9:15', '14h', '2026-12-24T08:00', 'tomorrow'])
      expect((thrown(() => parseCallTime(bad, NOW)) as { code?: string }).code, bad).toBe('BAD_REQUEST');
    expect(callTime('2026-12-03T09:15:00.000Z')).toBe('09:15Z 03 Dec');
  });

  it('takes a level as the protocol names it or in the plural', () => {
    expect(['principal', 'Principals', 'deputy', 'deputies', 'working'].map(parseLevel)).toEqual([
      'principal',
      'principal',
      'deputy',
      'deputy',
      'working',
    ]);
    expect((thrown(() => parseLevel('minister')) as { code?: string }).code).toBe('BAD_REQUEST');
  });
});

describe('exercise deadlines: line durations', () => {
  it('reads a number with its unit into whole milliseconds, within the setting’s bounds', () => {
    expect(parseDuration('call-window', '48h')).toBe(172_800_000);
    expect(parseDuration('call-window', '2d')).toBe(172_800_000);
    expect(parseDuration('call-window', '90min')).toBe(5_400_000);
    expect(parseDuration('link-interval', '1.5s')).toBe(1_500);
    expect(parseDuration('link-timeout', '500ms')).toBe(500);
    expect(parseDuration('link-timeout', '10m')).toBe(600_000);
    for (const [opt, text] of [
      ['call-window', '59s'],
      ['call-window', '15d'],
      ['link-interval', '999ms'],
      ['link-timeout', '199ms'],
      ['link-timeout', '60'],
      ['link-timeout', '-1s'],
    ] as const)
      expect((thrown(() => parseDuration(opt, text)) as { code?: string }).code, `${opt} ${text}`).toBe('BAD_REQUEST');
  });
});

describe('console enrolment role', () => {
  it('takes --role translator with a link or code only; reads &role=translator from a link', () => {
    expect(thrown(() => checkConsoleOptions({ link: 'http://x/console#code=A', role: 'translator' }))).toBe(
      'nothing was thrown',
    );
    expect((thrown(() => checkConsoleOptions({ role: 'translator' })) as Error).message).toMatch(/at enrolment/);
    expect((thrown(() => checkConsoleOptions({ code: 'A', role: 'operator' })) as Error).message).toMatch(
      /only "translator"/,
    );
    expect(codeFromLink('http://127.0.0.1:8080/console#code=AB-CD&role=translator')).toEqual({
      url: 'http://127.0.0.1:8080',
      code: 'AB-CD',
      role: 'translator',
    });
    expect(codeFromLink('http://127.0.0.1:8080/console#code=AB-CD')).toEqual({
      url: 'http://127.0.0.1:8080',
      code: 'AB-CD',
    });
    expect((thrown(() => codeFromLink('http://h/console#code=A&role=admin')) as { code?: string }).code).toBe(
      'BAD_REQUEST',
    );
  });
});
