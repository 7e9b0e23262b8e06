// The report's "Line procedures" section over a run with every procedure (test/helpers/line-log.ts lineRun),
// checked against figures worked out here by hand from the times the run was written with: the line time of
// each call answer (real time before STARTEX at 09:01:00, 2x after it), the link tests' round trips and the
// translations' delays. Nothing here calls the report's own code to compute an expected value.
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { reportFromExport } from '../../shared/report/from-export.js';
import type { ReportModel } from '../../shared/report/model.js';
import { reportBody } from '../../shared/report/render.js';
import { lineRun } from '../helpers/line-log.js';
import { logKeys } from '../helpers/log-fixture.js';

const S = 1_000;

describe('report: line procedures', () => {
  let model: ReportModel;
  let run: Awaited<ReturnType<typeof lineRun>>;
  let text: string;

  beforeAll(async () => {
    run = await lineRun(await logKeys());
    const built = await reportFromExport(utf8(await run.log.exportText()), {
      verifiedBy: 'line test',
      verifiedAt: Date.parse('2026-11-29T10:00:00Z'),
    });
    if (!built.model) throw new Error(JSON.stringify(built.report.fault));
    model = built.model;
    text = reportBody(model)
      .text.replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ');
  });

  it('names the settings and the procedures entry that set them', () => {
    expect(model.line.settings).toEqual({
      callWindowMs: 600_000,
      linkTestIntervalMs: 60_000,
      linkTestTimeoutMs: 5_000,
    });
    expect(model.line.set).toEqual({ idx: run.procedures.idx, by: 'Controller Wu' });
    expect(text).toContain('Call request window 10 min of line time; a link test every 1 min of real time');
    expect(text).toContain(`set for this exercise by Controller Wu (entry ${run.procedures.idx})`);
    // The exercise overview counts them too.
    expect(text).toContain('0 relay alarms, 4 call requests, 3 translations, 5 link tests (1 missed)');
  });

  it('gives every call request its outcome and each answer its line time', () => {
    const { callA, proposeA, acceptA, callB, expiredB, callC, declineC, callD } = run.calls;
    const byIdx = new Map(model.line.calls.map((c) => [c.idx, c]));
    const a = byIdx.get(callA.entry.idx)!;
    expect(a.outcome).toBe('accepted');
    expect(a.callAt).toBe('2026-11-29T13:00:00.000Z');
    // 09:00:20 → 09:01:00 real (40 s) + 09:01:00 → 09:02:00 at 2x (120 s); then 09:02:00 → 09:03:00 at 2x.
    expect(a.steps.map((s) => [s.idx, s.action, s.lineMs])).toEqual([
      [callA.entry.idx, 'request', undefined],
      [proposeA.entry.idx, 'propose', 160 * S],
      [acceptA.entry.idx, 'accept', 120 * S],
    ]);
    const b = byIdx.get(callB.entry.idx)!;
    expect(b.outcome).toBe('expired');
    // 09:03:30 → 09:08:30 at 2x: exactly the 10 min window.
    expect(b.steps.at(-1)).toMatchObject({ idx: expiredB.idx, action: 'expired', by: 'relay', lineMs: 600 * S });
    expect(byIdx.get(callC.entry.idx)!.steps.at(-1)).toMatchObject({
      idx: declineC.entry.idx,
      action: 'decline',
      note: 'Not needed',
      lineMs: 120 * S,
    });
    expect(byIdx.get(callD.entry.idx)!.outcome).toBe('awaiting');
    // Answers: 160 s, 120 s, 120 s (the expiry is no answer). Median 120 s; p90 the 3rd of 3; max 160 s.
    expect(model.line.totals).toEqual({
      requests: 4,
      accepted: 1,
      declined: 1,
      expired: 1,
      open: 1,
      proposals: 1,
      answer: { count: 3, median: 120 * S, p90: 160 * S, max: 160 * S },
    });
    expect(text).toContain(
      '4 call requests: 1 accepted, 1 declined, 1 expired, 1 still open at the end; 1 counter-proposals',
    );
    expect(text).toContain('median 2 min 00 s, p90 2 min 40 s, max 2 min 40 s of line time');
    expect(text).toContain('EXPIRED: no answer in time');
    expect(text).toContain('“Minister travelling”, after 2 min 40 s of line time');
  });

  it('counts link tests per station with their round trips', () => {
    const [beijing, washington] = model.line.links;
    // Beijing: 250 ms and 300 ms answered, one missed. Median of two: their mean; p90 of two: the larger.
    expect(beijing).toEqual({
      station: 'beijing',
      tests: 3,
      answered: 2,
      missed: 1,
      open: 0,
      rtt: { count: 2, median: 275, p90: 300, max: 300 },
    });
    expect(washington).toEqual({
      station: 'washington',
      tests: 2,
      answered: 2,
      missed: 0,
      open: 0,
      rtt: { count: 2, median: 800, p90: 1200, max: 1200 },
    });
    expect(text).toMatch(/Beijing 3 2 1 0 275 ms 300 ms 300 ms/);
  });

  it('measures translations per translating station', () => {
    const [beijing, washington] = model.line.translations;
    // Beijing translated m2 after 120 s and m3 after 10 s; Washington m1 after 30 s.
    expect(beijing).toEqual({
      station: 'beijing',
      received: 2,
      count: 2,
      delay: { count: 2, median: 65 * S, p90: 120 * S, max: 120 * S },
    });
    expect(washington).toEqual({
      station: 'washington',
      received: 1,
      count: 1,
      delay: { count: 1, median: 30 * S, p90: 30 * S, max: 30 * S },
    });
    expect(text).toMatch(/Beijing 2 2 1 min 05 s 2 min 00 s/);
  });

  it('renumbers the sections after it and lists it in the contents', () => {
    for (const title of ['4. Measured figures', '5. Line procedures', '6. Injects', '9. Verification'])
      expect(text).toContain(title);
    // Every signed item is a console signature: messages, calls, translations and link replies.
    const signed = run.log.entries.filter((e) => e.jws !== undefined).length;
    expect(text).toContain(`${signed} console signatures verified`);
    // 7 call items, 3 translations, 4 link replies beside the 3 messages.
    expect(text).toContain(`(3 messages, 0 receipts, 14 line procedure items) against 6 keys`);
    expect(signed).toBe(17);
  });
});
