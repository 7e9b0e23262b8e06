// The report model over a log with every kind of entry (private injects, notes, scenario and inject-control;
// STARTEX, pause, resume, ENDEX; messages both ways; receipts of messages and of injects; an alarm), checked
// against figures computed here by hand from what the test wrote: its own line-time integral over the known
// running and paused stretches, its own median and nearest-rank p90. Nothing here calls the report's code to
// compute an expected value.
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/encoding.js';
import { verifyExport } from '../../shared/export.js';
import type { Precedence } from '../../shared/items.js';
import { reportFromExport } from '../../shared/report/from-export.js';
import type { ReportModel } from '../../shared/report/model.js';
import { logKeys, type LogKeys } from '../helpers/log-fixture.js';
import { RunLog } from '../helpers/replay-log.js';
import {
  CHEN,
  DIAZ,
  EDITED_ACTION,
  reportRun,
  S,
  SCENARIO_TITLE,
  TITLE,
  type ItemFact,
  type RunFacts,
} from './report-run.js';

/** docs/report.md (ACP 121): FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h, written out here. */
const DEADLINE: Partial<Record<Precedence, number>> = {
  FLASH: 600_000,
  IMMEDIATE: 1_800_000,
  PRIORITY: 10_800_000,
  ROUTINE: 21_600_000,
};

/** Line time between two instants of this run, by hand: real time before STARTEX, 2x while running (0–300 s and
 * 900–1900 s after STARTEX), nothing while paused (300–900 s) or after ENDEX. */
function lineMs(from: number, to: number): number {
  const segments: [number, number, number][] = [
    [-Infinity, S, 1],
    [S, S + 300_000, 2],
    [S + 300_000, S + 900_000, 0],
    [S + 900_000, S + 1_900_000, 2],
    [S + 1_900_000, Infinity, 0],
  ];
  let total = 0;
  for (const [a, b, rate] of segments) total += Math.max(0, Math.min(to, b) - Math.max(from, a)) * rate;
  return total;
}

function median(v: number[]): number | undefined {
  if (!v.length) return undefined;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
const p90 = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.ceil(v.length * 0.9) - 1] : undefined);
const max = (v: number[]) => (v.length ? Math.max(...v) : undefined);

function outcome(f: ItemFact, end: number): string {
  const d = DEADLINE[f.precedence];
  if (d === undefined) return 'none';
  if (f.ackAt !== undefined) return lineMs(f.at, f.ackAt) <= d ? 'met' : 'late';
  return lineMs(f.at, end) > d ? 'missed' : 'open';
}

function expectedRow(items: ItemFact[], end: number) {
  const deliver = items.filter((i) => i.deliveredAt !== undefined).map((i) => i.deliveredAt! - i.at);
  const ack = items.filter((i) => i.ackAt !== undefined).map((i) => i.ackAt! - i.at);
  const n = (o: string) => items.filter((i) => outcome(i, end) === o).length;
  return {
    count: items.length,
    delivered: deliver.length,
    acknowledged: ack.length,
    deliver: { count: deliver.length, median: median(deliver), p90: p90(deliver), max: max(deliver) },
    acknowledge: { count: ack.length, median: median(ack), p90: p90(ack), max: max(ack) },
    met: n('met'),
    late: n('late'),
    missed: n('missed'),
    open: n('open'),
  };
}

const strip = <T extends object>(o: T) => JSON.parse(JSON.stringify(o)) as T;

describe('report model', () => {
  let keys: LogKeys;
  let facts: RunFacts;
  let model: ReportModel;
  let text: string;

  beforeAll(async () => {
    keys = await logKeys();
    const run = await reportRun(keys);
    facts = run.facts;
    text = await run.log.exportText();
    const built = await reportFromExport(utf8(text), {
      verifiedBy: 'the model test',
      verifiedAt: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect(built.report.fault).toBeUndefined();
    model = built.model!;
  });

  it('names the exercise, the scenario, the stations, operators and keys', () => {
    expect(model.exercise.title).toBe(TITLE);
    expect(model.exercise.id).toBe('dtl');
    expect(model.scenario).toMatchObject({ title: SCENARIO_TITLE, by: CHEN, injects: 5 });
    expect(model.control.sort()).toEqual([CHEN, DIAZ].sort());
    expect(model.stations.map((s) => [s.id, s.keys.map((k) => [k.kid, k.operator, k.enrolled.idx])])).toEqual([
      [
        'beijing',
        [
          [keys.beijing.kid, 'Duty officer Li', 1],
          [facts.spare.kid, 'Spare console', facts.spare.enrolledIdx],
        ],
      ],
      ['washington', [[keys.washington.kid, 'Duty officer Smith', 2]]],
    ]);
    expect(model.stations[0]!.keys[0]!.revoked).toBeUndefined();
    expect(model.stations[0]!.keys[1]!.revoked).toEqual({
      idx: facts.spare.revokedIdx,
      at: facts.spare.revokedAt,
      reason: facts.spare.reason,
    });
    expect(model.period.startex).toBe(S);
    expect(model.period.endex).toBe(facts.endexAt);
    expect(model.period.compressions).toEqual([2]);
    const pause = facts.entries.find((e) => e.kind === 'exercise-state' && e.data?.['state'] === 'paused')!;
    expect(model.period.pauses).toEqual([{ idx: pause.idx, at: S + 300_000, by: CHEN, until: S + 900_000 }]);
    // 300 s at 2x, then 1000 s at 2x: the clock stood still for the 600 s pause.
    expect(model.period.exerciseMs).toBe(2600_000);
  });

  it('has one timeline row per entry, in log order, with UTC and exercise time', () => {
    expect(model.timeline.map((t) => t.idx)).toEqual(facts.entries.map((e) => e.idx));
    const kinds = model.timeline.map((t) => t.kind);
    for (const k of [
      'startex',
      'pause',
      'resume',
      'endex',
      'inject',
      'message',
      'delivered',
      'acknowledged',
      'note',
      'alarm',
      'scenario',
      'inject-control',
      'key-enrolled',
      'key-revoked',
    ])
      expect(kinds, k).toContain(k);
    for (const t of model.timeline) {
      const at = Date.parse(facts.entries[t.idx]!.at);
      expect(t.at).toBe(at);
      expect(t.exerciseMs).toBe(at < S ? null : lineMs(S, at));
    }
    expect(model.timeline.find((t) => t.kind === 'endex')?.text).toBe(`ENDEX by ${CHEN}`);
    expect(model.timeline.find((t) => t.kind === 'resume')?.text).toBe(`Resumed by ${DIAZ}`);
  });

  it('measures time to deliver and to acknowledge, and deadlines, per precedence, as computed by hand', () => {
    const end = facts.endexAt;
    for (const kind of ['message', 'inject'] as const) {
      const rows = model.figures[kind === 'message' ? 'messages' : 'injects'];
      for (const row of rows) {
        const of = facts.items.filter(
          (i) => i.kind === kind && (row.precedence === 'all' || i.precedence === row.precedence),
        );
        expect(strip({ ...row, precedence: undefined, deadlineMs: undefined }), `${kind} ${row.precedence}`).toEqual(
          strip(expectedRow(of, end)),
        );
      }
    }
    // The cases this run was built to have, spelled out.
    const flash = model.figures.messages.find((r) => r.precedence === 'FLASH')!;
    expect([flash.count, flash.met, flash.late, flash.open, flash.missed]).toEqual([3, 1, 1, 1, 0]);
    expect(flash.acknowledge).toEqual({ count: 2, median: 255_000, p90: 400_000, max: 400_000 });
    const immediate = model.figures.messages.find((r) => r.precedence === 'IMMEDIATE')!;
    expect([immediate.missed, immediate.acknowledged]).toEqual([1, 0]);
    // INJ-02: acknowledged after exactly 30 min of line time (150 s + 750 s at 2x): on its deadline, so met.
    const injImmediate = model.figures.injects.find((r) => r.precedence === 'IMMEDIATE')!;
    expect([injImmediate.met, injImmediate.acknowledge.median]).toEqual([1, 1_500_000]);
    // INJ-03 (PRIORITY, fired at 910 s: 33 min of line time by ENDEX) and the ROUTINE summary (1800 s: 200 s of
    // line time) have deadlines too, of 3 h and 6 h, not yet due when the log ends.
    const injPriority = model.figures.injects.find((r) => r.precedence === 'PRIORITY')!;
    expect([injPriority.count, injPriority.deadlineMs, injPriority.open, injPriority.missed]).toEqual([
      1, 10_800_000, 1, 0,
    ]);
    const routine = model.figures.messages.find((r) => r.precedence === 'ROUTINE')!;
    expect([routine.count, routine.deadlineMs, routine.open, routine.missed]).toEqual([1, 21_600_000, 1, 0]);
  });

  it('judges each item in line time', () => {
    for (const f of facts.items) {
      const t = model.items.find((i) => i.idx === f.idx)!;
      expect(t.acceptedAt).toBe(f.at);
      expect(t.delivered?.ms).toBe(f.deliveredAt === undefined ? undefined : f.deliveredAt - f.at);
      expect(t.acknowledged?.lineMs).toBe(f.ackAt === undefined ? undefined : lineMs(f.at, f.ackAt));
      expect(t.outcome).toBe(outcome(f, facts.endexAt));
    }
    expect(model.items.map((i) => i.idx)).toEqual(facts.items.map((f) => f.idx));
  });

  it('sets each inject’s expected action beside what happened', () => {
    const by = new Map(model.injects.map((i) => [i.id, i]));
    expect([...by.keys()]).toEqual(['INJ-01', 'INJ-02', 'INJ-03', 'INJ-04', 'INJ-05', 'ADHOC-1']);
    expect(by.get('INJ-01')!.expectedAction).toBe(
      'Beijing calls Washington within 10 minutes to ask about the vessel.',
    );
    expect(by.get('INJ-02')!.expectedAction).toBe(EDITED_ACTION);
    expect(by.get('INJ-02')!.controls.map((c) => [c.action, c.by])).toEqual([['edit', CHEN]]);
    expect(by.get('INJ-01')!.fired).toMatchObject({ trigger: 'timer', exerciseMs: 60_000 });
    expect(by.get('INJ-02')!.fired).toMatchObject({ trigger: 'timer', exerciseMs: 300_000 });
    expect(by.get('INJ-03')!.fired).toMatchObject({ trigger: 'manual', by: DIAZ });
    expect(by.get('ADHOC-1')).toMatchObject({
      source: 'added',
      status: 'fired',
      fired: { trigger: 'manual', by: CHEN },
    });
    expect(by.get('INJ-04')!.status).toBe('skipped');
    expect(by.get('INJ-05')!.status).toBe('held');
    for (const [id, f] of Object.entries(facts.injects)) {
      const inj = by.get(id)!;
      expect(inj.fired?.idx, id).toBe(f.idx);
      expect(inj.firstReply?.idx, id).toBe(f.firstReplyIdx);
      expect(inj.firstReply?.ms, id).toBe(f.firstReplyAt! - f.at!);
      expect(inj.firstReply?.lineMs, id).toBe(lineMs(f.at!, f.firstReplyAt!));
    }
    expect(by.get('INJ-01')!.timing?.acknowledged?.note).toBe('收到');
  });

  it('lists the trainer notes with their author, time and the entry they refer to', () => {
    expect(
      model.notes.map((n) => ({ idx: n.idx, by: n.by, text: n.text, ...(n.ref ? { ref: n.ref.idx } : {}) })),
    ).toEqual(facts.notes);
    expect(model.notes[0]!.ref!.text).toMatch(/^FLASH message Beijing → Washington: 请求澄清$/);
    expect(model.notes[0]!.exerciseMs).toBe(480_000);
  });

  it('keeps the whole transcript, in log order, in the original languages', () => {
    const want = facts.items.map((f) => [f.kind, f.idx]);
    expect(model.transcript.map((t) => [t.kind, t.idx])).toEqual(want);
    const m1 = model.transcript.find((t) => t.kind === 'message' && t.lang === 'zh')!;
    expect(m1.kind === 'message' && m1.body).toBe('我方发现一艘不明船只接近浅滩，请贵方说明情况。\n请立即答复。');
    const inj1 = model.transcript.find((t) => t.kind === 'inject')!;
    expect(inj1.kind === 'inject' && [inj1.lang, inj1.body.zh, inj1.body.en]).toEqual([
      'zh',
      '一艘不明船只进入演习区域。',
      'An unidentified vessel entered the exercise area.',
    ]);
    const reply = model.transcript.find((t) => t.kind === 'message' && t.replyToIdx !== undefined);
    expect(reply?.kind === 'message' && reply.replyToIdx).toBe(m1.idx);
  });

  it('states what was verified, the head and the closing checkpoint, and that ENDEX sealed the log', async () => {
    const v = model.verification;
    const last = facts.entries[facts.entries.length - 1]!;
    const lines = text.trimEnd().split('\n');
    const cp = JSON.parse(lines[lines.length - 1]!) as { checkpoint: string };
    const payload = JSON.parse(Buffer.from(cp.checkpoint.split('.')[1]!, 'base64url').toString()) as { at: string };
    expect(v).toMatchObject({
      entries: facts.entries.length,
      signatures: facts.entries.filter((e) => e.jws !== undefined).length,
      privateEntries: facts.entries.filter((e) => e.commit !== undefined).length,
      privateOpened: facts.entries.filter((e) => e.commit !== undefined).length,
      head: { idx: last.idx, hash: last.hash },
      checkpoint: { idx: last.idx, hash: last.hash, kid: keys.relay.kid, at: Date.parse(payload.at) },
      relayKid: keys.relay.kid,
      sealedByEndex: true,
      endex: { idx: last.idx, by: CHEN },
    });
    expect(v.privateEntries).toBeGreaterThan(10);
    // The same file, verified on its own, agrees.
    expect((await verifyExport(text)).checkpointIdx).toBe(last.idx);
  });

  it('refuses a file that does not verify: no model, the verifier’s fault', async () => {
    const bad = text.replace('"state":"paused"', '"state":"running"');
    const built = await reportFromExport(utf8(bad), { verifiedBy: 't', verifiedAt: 0 });
    expect(built.model).toBeUndefined();
    expect(built.report.fault?.code).toBe('CHAIN_BROKEN');
  });
});

describe('report model: PRIORITY (3 h) and ROUTINE (6 h) deadlines', () => {
  // Before STARTEX line time is real time, so the hours are written as they are: a log of 6 h 05 min.
  const T0 = Date.parse('2026-11-29T09:00:00.000Z');
  const MIN = 60_000;
  const H = 60 * MIN;
  let model: ReportModel;
  let idx: Record<string, number>;

  beforeAll(async () => {
    const log = await RunLog.start(await logKeys());
    const metP = await log.at(T0 + 2 * MIN).message('beijing', { precedence: 'PRIORITY', subject: 'On time' });
    const lateP = await log.at(T0 + 3 * MIN).message('washington', { precedence: 'PRIORITY', subject: 'Late' });
    const missedR = await log.at(T0 + 4 * MIN).message('beijing', { precedence: 'ROUTINE', subject: 'Never' });
    const openR = await log.at(T0 + 5 * H).message('washington', { precedence: 'ROUTINE', subject: 'Open' });
    // Exactly on the 3 h deadline: met; 3 h and 1 s: late.
    await log.at(T0 + 2 * MIN + 3 * H).receipt('washington', metP, 'acknowledged');
    await log.at(T0 + 3 * MIN + 3 * H + 1000).receipt('beijing', lateP, 'acknowledged');
    // The log ends 6 h 05 min after T0: the ROUTINE of 09:04 is 1 min past its 6 h, the one of 14:00 1 h 05 min in.
    await log.at(T0 + 6 * H + 5 * MIN).receipt('beijing', openR, 'delivered');
    idx = { metP: metP.entry.idx, lateP: lateP.entry.idx, missedR: missedR.entry.idx, openR: openR.entry.idx };
    const built = await reportFromExport(utf8(await log.exportText()), { verifiedBy: 't', verifiedAt: 0 });
    model = built.model!;
  });

  it('judges each by its own deadline: met on the deadline, late by a second, missed, not yet due', () => {
    const outcome = (i: number) => model.items.find((t) => t.idx === i)?.outcome;
    expect([outcome(idx['metP']!), outcome(idx['lateP']!), outcome(idx['missedR']!), outcome(idx['openR']!)]).toEqual([
      'met',
      'late',
      'missed',
      'open',
    ]);
    const row = (p: Precedence) => model.figures.messages.find((r) => r.precedence === p)!;
    expect([row('PRIORITY').deadlineMs, row('PRIORITY').met, row('PRIORITY').late]).toEqual([3 * H, 1, 1]);
    expect([row('ROUTINE').deadlineMs, row('ROUTINE').missed, row('ROUTINE').open]).toEqual([6 * H, 1, 1]);
    const all = model.figures.messages.find((r) => r.precedence === 'all')!;
    expect([all.met, all.late, all.missed, all.open]).toEqual([1, 1, 1, 1]);
  });
});
