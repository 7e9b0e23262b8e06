// The report judges every item against the exercise's own deadlines (a `procedures` entry before STARTEX),
// not the defaults: a FLASH of 5 min at 6x acknowledged after 60 real seconds (6 min of line time) is late,
// one acknowledged after 40 s (4 min) met it; under the default 10 min both would have met it.
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { reportFromExport } from '../../shared/report/from-export.js';
import { reportBody } from '../../shared/report/render.js';
import { logKeys } from '../helpers/log-fixture.js';
import { CONTROLLER, RunLog } from '../helpers/replay-log.js';

const MIN = 60_000;
const TABLE = { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 60 * MIN, ROUTINE: 120 * MIN };

describe('a report over an exercise with its own deadlines', () => {
  it('judges a FLASH against 5 min of line time and says where the table came from', async () => {
    const log = await RunLog.start(await logKeys());
    const set = await log.add('procedures', { data: { ackDeadlinesMs: TABLE, by: CONTROLLER } });
    await log.state('running', 6);
    const slow = await log.message('beijing', { precedence: 'FLASH' });
    const quick = await log.message('beijing', { precedence: 'FLASH' });
    log.at(Date.parse(quick.entry.at) + 39_000);
    await log.receipt('washington', quick, 'acknowledged');
    log.at(Date.parse(slow.entry.at) + 60_000);
    await log.receipt('washington', slow, 'acknowledged');
    await log.state('ended');
    const built = await reportFromExport(utf8(await log.exportText()), { verifiedBy: 'test', verifiedAt: 0 });
    expect(built.report.fault).toBeUndefined();
    const model = built.model!;
    const flash = model.figures.messages.find((f) => f.precedence === 'FLASH')!;
    expect([flash.deadlineMs, flash.met, flash.late, flash.missed]).toEqual([5 * MIN, 1, 1, 0]);
    expect(model.deadlines).toEqual({ ackDeadlinesMs: TABLE, set: { idx: set.idx, by: CONTROLLER } });
    const html = reportBody(model).text;
    expect(html).toContain('Deadlines (FLASH 5 min, IMMEDIATE 15 min, PRIORITY 1 h, ROUTINE 2 h from the entry)');
    expect(html).toContain(`set for this exercise by ${CONTROLLER} (entry ${set.idx})`);
  });
});
