// The trainer's views of the line's procedures, in Node, over a verified run with every procedure
// (test/helpers/line-log.ts lineRun: its times are in its comment): the replay model's line at moments T
// (call states, whose turn, the window left in line time, link health, translation times), the alarms a
// missed link test and an expired call request raise, the timeline's Line lane, the entry list's words, and
// the live view's summary read from a chain verifier's LineBook. Expected values are worked out here by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Applied } from '../../shared/chain.js';
import { ChainVerifier } from '../../shared/chain.js';
import { describeEntry, type EntryContext } from '../../web/src/trainer/entry-text.js';
import { lineSummary } from '../../web/src/trainer/line-model.js';
import { lineSettingsText, settingText } from '../../shared/line-text.js';
import { translatorLink } from '../../web/src/trainer/line-words.js';
import { ReplayModel } from '../../web/src/trainer/replay-model.js';
import { verifyLog, type VerifiedLog } from '../../web/src/trainer/verified-log.js';
import { lineRun } from '../helpers/line-log.js';
import { logKeys } from '../helpers/log-fixture.js';

const t = (time: string) => Date.parse(`2026-11-29T${time}Z`);

describe('trainer views of the line procedures (a verified offline run)', () => {
  let run: Awaited<ReturnType<typeof lineRun>>;
  let log: VerifiedLog;
  let model: ReplayModel;

  beforeAll(async () => {
    run = await lineRun(await logKeys());
    log = await verifyLog(new TextEncoder().encode(await run.log.exportText()));
    expect(log.report.fault).toBeUndefined();
    model = new ReplayModel(log.report.header!.exercise, log.records);
  });

  it('shows each call request at T with its state, whose turn it is and the window left on line time', () => {
    const { callA, callB } = run.calls;
    // 09:03:40: A accepted at 09:03:00; B requested at 09:03:30, 10 s of real time at 2x = 20 s of line time.
    const snap = model.stateAt(t('09:03:40'));
    const calls = new Map(snap.line.calls.map((c) => [c.idx, c]));
    expect(snap.line.calls.map((c) => c.idx)).toEqual([callB.entry.idx, callA.entry.idx]);
    expect(calls.get(callA.entry.idx)).toMatchObject({
      state: 'accepted',
      callAt: '2026-11-29T13:00:00.000Z',
      from: 'washington',
      to: 'beijing',
      level: 'principal',
    });
    expect(calls.get(callA.entry.idx)!.leftMs).toBeUndefined();
    expect(calls.get(callB.entry.idx)).toMatchObject({
      state: 'awaiting',
      awaiting: 'washington',
      leftMs: 580_000,
      // 10 min of line time from 09:03:30 at 2x: 09:08:30.
      dueAt: t('09:08:30'),
    });
    // A before its counter-proposal (09:01:30): Beijing's turn, 40 s real before STARTEX + 60 s at 2x gone.
    const early = model.stateAt(t('09:01:30')).line.calls[0]!;
    expect(early).toMatchObject({ state: 'awaiting', awaiting: 'beijing', leftMs: 600_000 - 100_000 });
    // At ENDEX the clock stands still: D's window is on hold (no due time), 09:06:00 → 09:09:30 at 2x gone.
    const end = model.stateAt(t('09:09:31')).line.calls.find((c) => c.idx === run.calls.callD.entry.idx)!;
    expect(end).toMatchObject({ state: 'awaiting', awaiting: 'washington', leftMs: 600_000 - 420_000 });
    expect(end.dueAt).toBeUndefined();
    expect(model.stateAt(model.end).line.calls.find((c) => c.idx === callB.entry.idx)!.state).toBe('expired');
  });

  it('gives each station its link health and translation times as they stood at T', () => {
    const before = model.stateAt(t('09:06:33')).line;
    // Beijing's second test (09:06:30) is open; Washington's second was answered at 09:06:32.200.
    expect(before.health[0]).toMatchObject({ station: 'beijing', tests: 2, answered: 1, missed: 0, lastRttMs: 250 });
    expect(before.health[0]!.last).toMatchObject({ idx: run.tests.t3.entry.idx, outcome: 'open' });
    expect(before.health[1]).toMatchObject({ station: 'washington', tests: 2, answered: 2, lastRttMs: 1200 });
    const end = model.stateAt(model.end).line;
    expect(end.health[0]).toMatchObject({
      tests: 3,
      answered: 2,
      missed: 1,
      lastRttMs: 300,
      lastMissAt: t('09:06:36'),
      last: { outcome: 'answered' },
    });
    // Beijing translated after 120 s and 10 s; Washington after 30 s.
    expect(end.translations).toEqual([
      { station: 'beijing', count: 2, medianMs: 65_000, maxMs: 120_000 },
      { station: 'washington', count: 1, medianMs: 30_000, maxMs: 30_000 },
    ]);
    expect(end.settings).toEqual({ callWindowMs: 600_000, linkTestIntervalMs: 60_000, linkTestTimeoutMs: 5_000 });
    // Before the first translation, nobody has translated anything.
    expect(model.stateAt(t('09:01:30')).line.translations.map((r) => r.count)).toEqual([0, 0]);
  });

  it('raises an alarm for the missed link test and for the expired call request, each from its entry on', () => {
    const { missed3, t3 } = run.tests;
    const { expiredB, callB } = run.calls;
    expect(model.stateAt(t('09:06:35')).alarms.filter((a) => a.kind === 'link')).toEqual([]);
    const alarms = model.stateAt(model.end).alarms.filter((a) => a.kind === 'link' || a.kind === 'call');
    expect(alarms).toEqual([
      {
        id: `link:${missed3.idx}`,
        at: t('09:06:36'),
        kind: 'link',
        code: 'LINK_TEST_MISSED',
        message: `No console of Beijing answered the link test (entry ${t3.entry.idx}) in time (entry ${missed3.idx})`,
        idx: missed3.idx,
        station: 'beijing',
      },
      {
        id: `call:${expiredB.idx}`,
        at: t('09:08:30'),
        kind: 'call',
        code: 'CALL_EXPIRED',
        message: `Washington did not answer the call request (entry ${callB.entry.idx}) within 10 min 00 s of line time (entry ${expiredB.idx})`,
        idx: expiredB.idx,
        station: 'washington',
      },
    ]);
  });

  it('puts calls, translations and link tests in the Line lane, misses and expiries in the alarms lane', () => {
    const line = model.markers.filter((m) => m.lane === 'line');
    // 7 call items (A: request, propose, accept; B, C request; C decline; D request), 3 translations, 5 tests, 4 replies.
    expect(line).toHaveLength(19);
    expect(line.every((m) => m.kind === 'line')).toBe(true);
    const alarms = model.markers.filter((m) => m.kind === 'line-alarm');
    expect(alarms.map((m) => [m.idx, m.lane])).toEqual([
      [run.tests.missed3.idx, 'alarms'],
      [run.calls.expiredB.idx, 'alarms'],
    ]);
    const accept = line.find((m) => m.idx === run.calls.acceptA.entry.idx)!;
    expect(accept.label).toContain(`Washington accepts the call (entry ${run.calls.callA.entry.idx}) for 13:00:00Z`);
  });

  it('says in words what each procedure entry is in the live list', async () => {
    const chain = new ChainVerifier({ audience: 'control' });
    const applied: Applied[] = [];
    for (const e of log.report.entries) applied.push(await chain.apply(e));
    const ctx: EntryContext = {
      def: log.report.header!.exercise,
      message: (id) => {
        const m = chain.messages.get(id);
        return m && { precedence: 'ROUTINE', idx: m.idx };
      },
      inject: () => undefined,
      transitions: chain.clock.transitions,
      line: chain.line,
    };
    const text = (idx: number) => describeEntry(applied[idx]!, ctx);
    const { calls, tests, translations, messages, procedures } = run;
    expect(text(calls.callA.entry.idx)).toBe(
      `Washington requests a call (principals) for 12:00:00Z: Collision at sea (entry ${calls.callA.entry.idx})`,
    );
    expect(text(calls.proposeA.entry.idx)).toBe(
      `Beijing proposes 13:00:00Z for the call (entry ${calls.callA.entry.idx}): “Minister travelling” (entry ${calls.proposeA.entry.idx})`,
    );
    expect(text(calls.declineC.entry.idx)).toContain('Beijing declines the call');
    expect(text(calls.expiredB.idx)).toBe(
      `Call request (entry ${calls.callB.entry.idx}) expired: Washington did not answer in time (entry ${calls.expiredB.idx})`,
    );
    expect(text(translations.x1.entry.idx)).toBe(
      `Washington translated the message (entry ${messages.m1.entry.idx}) into English (entry ${translations.x1.entry.idx})`,
    );
    expect(text(tests.t1.entry.idx)).toBe(`Link test to Beijing (entry ${tests.t1.entry.idx})`);
    expect(text(tests.r1.entry.idx)).toBe(
      `Beijing answered the link test (entry ${tests.t1.entry.idx}) in 250 ms (entry ${tests.r1.entry.idx})`,
    );
    expect(text(tests.missed3.idx)).toBe(
      `Link test (entry ${tests.t3.entry.idx}) MISSED: Beijing did not answer (entry ${tests.missed3.idx})`,
    );
    expect(text(procedures.idx)).toContain('line: call window 10 min, link test every 1 min, answered within 5 s');

    // The live view reads the same book: at the end, D open with its window on hold since ENDEX.
    const live = lineSummary(chain.line, ctx.def, Date.parse(run.endex.at) + 60_000);
    expect(live.calls.map((c) => c.state)).toEqual(['awaiting', 'declined', 'expired', 'accepted']);
    expect(live.calls[0]!.leftMs).toBe(180_000);
  });

  it('words the settings and the translator link', () => {
    expect(settingText(48 * 3_600_000)).toBe('48 h');
    expect(settingText(90_000)).toBe('90 s');
    expect(settingText(500)).toBe('500 ms');
    expect(lineSettingsText(undefined)).toBe('call window 48 h, link test every 1 h, answered within 1 min');
    expect(translatorLink('https://hotline.example/console#code=ABCD-EFGH')).toBe(
      'https://hotline.example/console#code=ABCD-EFGH&role=translator',
    );
  });
});
