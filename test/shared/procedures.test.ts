// An exercise's own acknowledgement deadlines (a public `procedures` entry before STARTEX): the chain verifier
// puts them on its clock, so every deadline judged from the log uses them; one after STARTEX is refused, a
// later one before it replaces an earlier one. Expected times are worked out by hand.
import { codeOf } from '../helpers/thrown.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../shared/chain.js';
import { ackDueAt, lineDeadline, overdueOnLine } from '../../shared/deadlines.js';
import { ACK_DEADLINE_MS } from '../../shared/precedence.js';
import { clockOf } from '../../shared/replay-events.js';
import { scenarioDeadlinesMs, scenarioProblems } from '../../shared/scenario.js';
import { LogBuilder, logKeys, type LogKeys } from '../helpers/log-fixture.js';

const S = 1000;
const MIN = 60 * S;
const FIVE_MIN_FLASH = { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 60 * MIN, ROUTINE: 120 * MIN };

async function verify(log: LogBuilder): Promise<ChainVerifier> {
  const v = new ChainVerifier();
  for (const e of log.entries) await v.apply(e);
  return v;
}

describe('an exercise sets its own acknowledgement deadlines', () => {
  let keys: LogKeys;
  beforeAll(async () => {
    keys = await logKeys();
  });

  it('a FLASH of 5 min at 6x is due 50 real seconds after acceptance, by the verifier and by clockOf', async () => {
    const log = await LogBuilder.start(keys);
    await log.add('procedures', { data: { ackDeadlinesMs: { ...FIVE_MIN_FLASH, FLASH: 9 * MIN }, by: 'Trainer' } });
    await log.add('procedures', { data: { ackDeadlinesMs: FIVE_MIN_FLASH, by: 'Trainer' } });
    const startex = await log.add('exercise-state', { data: { state: 'running', by: 'Trainer', compression: 6 } });
    const flash = await log.message({ precedence: 'FLASH' });
    const v = await verify(log);
    const accepted = Date.parse(flash.entry.at);
    expect(Date.parse(startex.at)).toBeLessThan(accepted);
    for (const clock of [v.clock, clockOf(log.entries)]) {
      expect(clock.deadlines).toEqual(FIVE_MIN_FLASH);
      expect(ackDueAt(clock, 'FLASH', accepted)).toBe(accepted + 50 * S);
      expect(lineDeadline(clock, 'FLASH', accepted, accepted + 20 * S)).toEqual({
        leftMs: 3 * MIN,
        dueAt: accepted + 50 * S,
      });
      expect(overdueOnLine(clock, 'FLASH', accepted, undefined, accepted + 49 * S)).toBe(false);
      expect(overdueOnLine(clock, 'FLASH', accepted, undefined, accepted + 50 * S)).toBe(true);
      // 15 min of IMMEDIATE at 6x: 150 real seconds.
      expect(ackDueAt(clock, 'IMMEDIATE', accepted)).toBe(accepted + 150 * S);
    }
  });

  it('keeps the defaults without one', async () => {
    const log = await LogBuilder.start(keys);
    await log.add('exercise-state', { data: { state: 'running', by: 'Trainer', compression: 6 } });
    expect((await verify(log)).clock.deadlines).toEqual(ACK_DEADLINE_MS);
  });

  it('refuses one after STARTEX, and one out of range or incomplete', async () => {
    const late = await LogBuilder.start(keys);
    await late.add('exercise-state', { data: { state: 'running', by: 'Trainer' } });
    await late.add('procedures', { data: { ackDeadlinesMs: FIVE_MIN_FLASH, by: 'Trainer' } });
    const v = new ChainVerifier();
    for (const e of late.entries.slice(0, -1)) await v.apply(e);
    expect(await codeOf(v.apply(late.entries.at(-1)!))).toBe('SCHEMA_INVALID');
    expect(v.clock.deadlines).toEqual(ACK_DEADLINE_MS);

    for (const ackDeadlinesMs of [
      { ...FIVE_MIN_FLASH, FLASH: 59_999 },
      { ...FIVE_MIN_FLASH, ROUTINE: 7 * 24 * 60 * MIN + 1 },
      { ...FIVE_MIN_FLASH, FLASH: 5.5 * MIN + 0.5 },
      { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 60 * MIN },
    ]) {
      const bad = await LogBuilder.start(keys);
      await bad.add('procedures', { data: { ackDeadlinesMs, by: 'Trainer' } });
      expect(await codeOf(verify(bad))).toBe('SCHEMA_INVALID');
    }
  });

  it('reads a scenario file’s deadlines in minutes, all four, 1 min to 7 days', () => {
    const base = {
      format: 'hotline-scenario',
      v: 1,
      title: 'T',
      injects: [
        {
          id: 'I1',
          at: 'manual',
          to: 'beijing',
          from: { zh: '南部战区' },
          precedence: 'FLASH',
          body: { zh: '内容' },
          expectedAction: 'x',
        },
      ],
    };
    const deadlines = { FLASH: 5, IMMEDIATE: 15, PRIORITY: 60, ROUTINE: 120 };
    expect(scenarioProblems({ ...base, deadlines })).toEqual([]);
    expect(scenarioDeadlinesMs({ ...base, deadlines })).toEqual(FIVE_MIN_FLASH);
    expect(scenarioDeadlinesMs(base)).toBeUndefined();
    expect(scenarioProblems({ ...base, deadlines: { ...deadlines, FLASH: 0.5 } })[0]).toMatch(/^deadlines\.FLASH/);
    expect(scenarioProblems({ ...base, deadlines: { ...deadlines, ROUTINE: 10_081 } })[0]).toMatch(
      /^deadlines\.ROUTINE/,
    );
    expect(scenarioProblems({ ...base, deadlines: { FLASH: 5 } })).not.toEqual([]);
  });
});
