// The trainer console's pure modules, in Node: the replay model (both consoles at time T, markers, alarms),
// the timeline with idle skipping, and response times, on logs made by a real relay and real clients.
// The relay runs in this process with Date faked (and still advancing), so idle stretches of minutes and
// missed deadlines are real entries in a real, verifiable log without waiting for them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import type { MessageView } from '../../client/conversation.js';
import { liveOverdue } from '../../web/src/trainer/deadlines.js';
import { ExerciseClock } from '../../shared/exercise-clock.js';
import { duration, elapsed } from '../../web/src/trainer/format.js';
import { Observer } from '../../web/src/trainer/observer.js';
import type { SocketLike } from '../../client/connection.js';
import { ReplayModel } from '../../web/src/trainer/replay-model.js';
import { median, responseRows, summarize } from '../../web/src/trainer/response-times.js';
import { TYP } from '../../shared/items.js';
import { Timeline } from '../../web/src/trainer/timeline.js';
import { verifyLog, type VerifiedLog } from '../../web/src/trainer/verified-log.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const MIN = 60_000;

describe('Timeline with idle skipping (hand-built times)', () => {
  // Events at 0, 10 s, 20 s, then nothing for 10 min, then 10 min + 30 s.
  const t0 = 1_700_000_000_000;
  const events = [t0, t0 + 10_000, t0 + 20_000, t0 + 20_000 + 10 * MIN, t0 + 30_000 + 10 * MIN];
  const tl = new Timeline(t0, events[4]!, events, { idleThresholdMs: 60_000, idleKeepMs: 4_000 });

  it('finds the idle stretch and collapses it to the kept seconds', () => {
    expect(tl.idle).toEqual([{ from: t0 + 20_000, to: t0 + 20_000 + 10 * MIN }]);
    expect(tl.duration(false)).toBe(30_000 + 10 * MIN);
    expect(tl.duration(true)).toBe(30_000 + 4_000);
    expect(tl.idleSaved).toBe(10 * MIN - 4_000);
  });

  it('maps time to position and back, monotonically, with and without skipping', () => {
    for (const skip of [false, true]) {
      let prev = -1;
      for (let t = t0; t <= events[4]!; t += 7_000) {
        const pos = tl.position(t, skip);
        expect(pos).toBeGreaterThanOrEqual(prev);
        prev = pos;
      }
      for (const e of events) expect(tl.time(tl.position(e, skip), skip)).toBe(e);
    }
    // Inside the collapsed part: 2 s after the last event, then straight to 2 s before the next.
    expect(tl.position(t0 + 21_000, true)).toBe(21_000);
    expect(tl.position(t0 + 5 * MIN, true)).toBe(22_000);
    expect(tl.time(22_000, true)).toBe(t0 + 22_000);
    expect(tl.time(22_001, true)).toBe(t0 + 20_000 + 10 * MIN - 1_999);
    expect(tl.position(t0 + 20_000 + 10 * MIN, true)).toBe(24_000);
  });

  it('clamps, and finds the events around a time and the stretch it is in', () => {
    expect(tl.position(t0 - 5_000, true)).toBe(0);
    expect(tl.time(1e12, true)).toBe(events[4]);
    expect(tl.nextEvent(t0 + 20_000)).toBe(t0 + 20_000 + 10 * MIN);
    expect(tl.previousEvent(t0 + 20_000)).toBe(t0 + 10_000);
    expect(tl.idleAt(t0 + 5 * MIN)).toEqual(tl.idle[0]);
    expect(tl.idleAt(t0 + 15_000)).toBeUndefined();
  });
});

// The deadline table is tested with the other precedence rules (test/shared/precedence.test.ts), the line time
// rule in test/shared/deadlines.test.ts; before STARTEX (a clock with no transitions) line time is real time.
describe('overdue alarms, statistics and formatting', () => {
  const planned = new ExerciseClock();
  it('raises one overdue alarm per message, at its deadline, late acknowledgements included', () => {
    const view = (id: string, precedence: MessageView['precedence'], acked?: number): MessageView => ({
      id,
      idx: 0,
      direction: 'out',
      from: 'beijing',
      to: 'washington',
      precedence,
      lang: 'zh',
      body: 'x',
      classification: '',
      sentAt: new Date(0).toISOString(),
      seq: 0,
      verified: true,
      states: {
        accepted: new Date(0).toISOString(),
        ...(acked === undefined ? {} : { acknowledged: new Date(acked).toISOString() }),
      },
    });
    const alarms = liveOverdue(
      [view('a', 'FLASH'), view('b', 'FLASH', 5 * MIN), view('c', 'FLASH', 12 * MIN), view('d', 'ROUTINE')],
      [],
      planned,
      15 * MIN,
    );
    expect(alarms.map((a) => [a.messageId, a.at, a.code])).toEqual([
      ['a', 10 * MIN, 'ACK_OVERDUE'],
      ['c', 10 * MIN, 'ACK_OVERDUE'],
    ]);
    expect(alarms[0]!.message).toMatch(/not acknowledged within 10 min/);
    expect(alarms[1]!.message).toMatch(/acknowledged late/);
    // Before the late acknowledgement was logged, replay shows it as not acknowledged.
    expect(liveOverdue([view('c', 'FLASH', 12 * MIN)], [], planned, 11 * MIN)[0]!.message).toMatch(/not acknowledged/);
  });

  it('counts deadlines and response times from the entry time, not the sentAt the sender claims', () => {
    // Beijing's clock runs 4 min ahead (within the relay's bound): its FLASH claims 00:04, is logged at
    // 00:00 and acknowledged at 00:12. From the claim the objective (10 min) would look met; it was not.
    const t0 = Date.parse('2026-01-01T00:00:00.000Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    const entry = (idx: number, at: number, kind: 'message' | 'receipt') =>
      ({ idx, prev: '', at: iso(at), kind, hash: `h${idx}` }) as const;
    const msg = {
      v: 1 as const,
      type: 'message' as const,
      id: '01900000-0000-7000-8000-000000000001',
      exercise: 'dtl',
      from: 'beijing',
      to: 'washington',
      seq: 0,
      sentAt: iso(t0 + 4 * MIN),
      precedence: 'FLASH' as const,
      lang: 'zh' as const,
      body: 'x',
      classification: '',
    };
    const ack = {
      v: 1 as const,
      type: 'receipt' as const,
      id: '01900000-0000-7000-8000-000000000002',
      exercise: 'dtl',
      from: 'washington',
      to: 'beijing',
      seq: 0,
      sentAt: iso(t0 + 2 * MIN),
      kind: 'acknowledged' as const,
      ref: msg.id,
      refHash: 'h0',
    };
    const rows = responseRows(
      [
        { entry: entry(0, t0, 'message'), item: { typ: TYP.message, kid: 'b', payload: msg, payloadHash: '' } },
        {
          entry: entry(1, t0 + 12 * MIN, 'receipt'),
          item: { typ: TYP.receipt, kid: 'w', payload: ack, payloadHash: '' },
        },
      ],
      t0 + 20 * MIN,
    );
    expect(rows[0]).toMatchObject({ acceptedAt: t0, ackMs: 12 * MIN, deliverMs: 12 * MIN, overdue: true });
    // Signed → logged is the sender's claim: a clock ahead of the relay never makes it negative.
    expect(rows[0]!.acceptMs).toBe(0);
    const view: MessageView = {
      id: msg.id,
      idx: 0,
      direction: 'out',
      from: 'beijing',
      to: 'washington',
      precedence: 'FLASH',
      lang: 'zh',
      body: 'x',
      classification: '',
      sentAt: msg.sentAt,
      seq: 0,
      verified: true,
      states: { accepted: iso(t0), acknowledged: iso(t0 + 12 * MIN) },
    };
    expect(liveOverdue([view], [], planned, t0 + 20 * MIN).map((a) => a.at)).toEqual([t0 + 10 * MIN]);
  });

  it('computes medians and formats durations', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(duration(850)).toBe('850 ms');
    expect(duration(12_400)).toBe('12.4 s');
    expect(duration(185_000)).toBe('3 min 05 s');
    expect(duration(undefined)).toBe('—');
    expect(elapsed(3_723_000)).toBe('T+01:02:03');
  });
});

describe('replay model and response times on a real relay log', () => {
  let relay: TestRelay;
  let beijing: HotlineClient;
  let washington: HotlineClient;
  let log: VerifiedLog;
  let text: string;
  let flash: string;
  let immediate: string;
  let routine: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    relay = await startTestRelay();
    ({ beijing, washington } = await startPair(relay));
    await until(() => beijing.peerOnline && washington.peerOnline, 5000, 'presence');

    flash = (await beijing.send({ precedence: 'FLASH', subject: 'Alpha', body: 'Request immediate call.' })).id;
    await until(() => washington.conversation.messages.get(flash)?.hash !== undefined, 5000, 'flash arrives');
    await until(
      () => beijing.conversation.messages.get(flash)?.states.delivered !== undefined,
      5000,
      'flash delivered',
    );
    await washington.acknowledge(flash, 'Received');
    await until(
      () => beijing.conversation.messages.get(flash)?.states.acknowledged !== undefined,
      5000,
      'flash acknowledged',
    );

    // Five quiet minutes, then an IMMEDIATE that nobody acknowledges.
    vi.setSystemTime(Date.now() + 5 * MIN);
    immediate = (await washington.send({ precedence: 'IMMEDIATE', subject: 'Bravo', body: 'Clarify your position.' }))
      .id;
    await until(
      () => washington.conversation.messages.get(immediate)?.states.delivered !== undefined,
      5000,
      'immediate delivered',
    );

    // 31 minutes later a ROUTINE: the IMMEDIATE's deadline passed in between.
    vi.setSystemTime(Date.now() + 31 * MIN);
    routine = (await beijing.send({ precedence: 'ROUTINE', body: 'Line check.' })).id;
    await until(
      () => beijing.conversation.messages.get(routine)?.states.delivered !== undefined,
      5000,
      'routine delivered',
    );
    await until(() => beijing.lastIdx === washington.lastIdx, 5000, 'settled');

    const res = await relay.api<string>('GET', '/v1/exercises/dtl/export', undefined, await relay.trainerToken());
    expect(res.status).toBe(200);
    text = res.body;
    log = await verifyLog(new TextEncoder().encode(text));
  });

  afterAll(async () => {
    await Promise.all([beijing?.stop(), washington?.stop()]);
    await relay?.cleanup();
    vi.useRealTimers();
  });

  const entryOf = (id: string) =>
    log.records.find((r) => r.item?.payload.type === 'message' && r.item.payload.id === id)!;
  const receiptOf = (id: string, kind: 'delivered' | 'acknowledged') =>
    log.records.find(
      (r) => r.item?.payload.type === 'receipt' && r.item.payload.ref === id && r.item.payload.kind === kind,
    );
  const at = (r: { entry: { at: string } }) => Date.parse(r.entry.at);
  /** The replay instant of an entry (ties within a millisecond are spread in log order). */
  const when = (model: ReplayModel, r: { entry: { idx: number } }) =>
    model.timeOf(log.records.findIndex((x) => x.entry.idx === r.entry.idx));

  it('verifies the whole export before anything plays', () => {
    expect(log.report.ok).toBe(true);
    expect(log.records).toHaveLength(log.report.entries.length);
    expect(log.counts).toMatchObject({ messages: 3, keys: 2 });
    expect(log.counts.receipts).toBeGreaterThanOrEqual(4);
  });

  it('shows both consoles as they were at time T', () => {
    const model = new ReplayModel(log.report.header!.exercise, log.records);
    const flashAt = when(model, entryOf(flash));
    expect(Math.floor(flashAt)).toBe(at(entryOf(flash)));

    const before = model.stateAt(flashAt - 1);
    expect(before.consoles.map((c) => c.messages.length)).toEqual([0, 0]);
    expect(before.consoles.map((c) => c.operators.length)).toEqual([1, 1]);

    // The instant FLASH was logged: accepted on both sides, not yet delivered.
    const sent = model.stateAt(flashAt);
    const [bj, wa] = sent.consoles;
    expect(bj.station.id).toBe('beijing');
    expect(bj.messages[0]).toMatchObject({ id: flash, direction: 'out', precedence: 'FLASH', subject: 'Alpha' });
    expect(wa.messages[0]).toMatchObject({ id: flash, direction: 'in' });
    expect(Object.keys(bj.messages[0]!.states).sort()).toEqual(['accepted', 'queued']);
    expect(Object.keys(wa.messages[0]!.states)).toEqual(['accepted']);

    const ackAt = when(model, receiptOf(flash, 'acknowledged')!);
    expect(model.stateAt(ackAt - 1 / 128).consoles[0].messages[0]!.states.acknowledged).toBeUndefined();
    const acked = model.stateAt(ackAt);
    expect(acked.consoles[0].messages[0]!.states.acknowledged).toBe(receiptOf(flash, 'acknowledged')!.entry.at);
    expect(acked.consoles[0].messages[0]!.ackNote).toBe('Received');
    expect(acked.consoles[0].messages).toHaveLength(1);

    // Seeking backwards rebuilds the earlier picture, and earlier snapshots are not changed by later ones.
    const again = model.stateAt(flashAt);
    expect(again.consoles[0].messages[0]!.states.acknowledged).toBeUndefined();
    expect(sent.consoles[0].messages[0]!.states.acknowledged).toBeUndefined();
    const end = model.stateAt(model.end);
    expect(end.count).toBe(log.records.length);
    expect(end.consoles[1].messages.map((m) => m.id)).toEqual([flash, immediate, routine]);
  });

  it('raises the overdue alarm for the IMMEDIATE at its deadline and marks it on the timeline', () => {
    const model = new ReplayModel(log.report.header!.exercise, log.records);
    const immAt = at(entryOf(immediate));
    expect(Math.floor(when(model, entryOf(immediate)))).toBe(immAt);
    expect(model.stateAt(immAt + 30 * MIN - 1).alarms.filter((a) => a.kind === 'overdue')).toEqual([]);
    const alarms = model.stateAt(immAt + 30 * MIN).alarms;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      kind: 'overdue',
      code: 'ACK_OVERDUE',
      messageId: immediate,
      station: 'beijing',
      at: immAt + 30 * MIN,
    });
    const overdue = model.markers.filter((m) => m.kind === 'overdue');
    expect(overdue).toEqual([expect.objectContaining({ t: immAt + 30 * MIN, precedence: 'IMMEDIATE' })]);
    const kinds = new Set(model.markers.map((m) => m.kind));
    for (const k of ['created', 'enrolment', 'message', 'delivered', 'acknowledged', 'overdue'])
      expect(kinds).toContain(k);
  });

  it('skips the idle stretches: the 5 and 31 minute gaps collapse to seconds', () => {
    const model = new ReplayModel(log.report.header!.exercise, log.records);
    const tl = model.timeline;
    const gaps = tl.idle.map((s) => s.to - s.from);
    expect(gaps.filter((g) => g > 4 * MIN).length).toBeGreaterThanOrEqual(2);
    expect(tl.duration(false) - tl.duration(true)).toBe(tl.idleSaved);
    expect(tl.duration(true)).toBeLessThan(tl.duration(false) - 30 * MIN);
    // Every entry stays reachable, in order, when skipping.
    let prev = -1;
    for (const t of model.times) {
      const pos = tl.position(t, true);
      expect(pos).toBeGreaterThanOrEqual(prev);
      expect(tl.time(pos, true)).toBe(t);
      prev = pos;
    }
  });

  it('computes per-message delays and the after-action summary', () => {
    const end = Date.parse(log.records.at(-1)!.entry.at);
    const rows = responseRows(log.records, end);
    expect(rows.map((r) => r.precedence)).toEqual(['FLASH', 'IMMEDIATE', 'ROUTINE']);
    const [f, i, r] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    expect(f.ackMs).toBe(at(receiptOf(flash, 'acknowledged')!) - at(entryOf(flash)));
    expect(f.deliverMs).toBe(at(receiptOf(flash, 'delivered')!) - at(entryOf(flash)));
    expect(f.ackMs!).toBeGreaterThanOrEqual(f.deliverMs!);
    expect(f.acceptMs).toBeGreaterThanOrEqual(0);
    expect(f.overdue).toBe(false);
    expect(i.ackMs).toBeUndefined();
    expect(i.deliverMs).toBeDefined();
    expect(i.overdue).toBe(true);
    expect(r.overdue).toBe(false);

    const s = summarize(rows, ['beijing', 'washington']);
    expect(s).toMatchObject({ total: 3, delivered: 3, acknowledged: 1, unacknowledged: 2, overdue: 1 });
    expect(s.ack).toEqual({ count: 1, median: f.ackMs, max: f.ackMs });
    expect(s.byPrecedence.map((p) => [p.precedence, p.count, p.acknowledged, p.overdue])).toEqual([
      ['FLASH', 1, 1, 0],
      ['IMMEDIATE', 1, 0, 1],
      ['PRIORITY', 0, 0, 0],
      ['ROUTINE', 1, 0, 0],
    ]);
    expect(s.byStation).toEqual([
      expect.objectContaining({ station: 'beijing', received: 1, acknowledged: 0, overdue: 1 }),
      expect.objectContaining({ station: 'washington', received: 2, acknowledged: 1, overdue: 0 }),
    ]);
    // Earlier in the exercise the IMMEDIATE was not yet overdue.
    expect(responseRows(log.records, at(entryOf(immediate)) + MIN)[1]!.overdue).toBe(false);
  });

  it('names the first fault of a tampered file and plays nothing', async () => {
    const lines = text.trimEnd().split('\n');
    const n = lines.findIndex((l) => l.includes('"kind":"message"'));
    const e = JSON.parse(lines[n]!) as { at: string; idx: number };
    lines[n] = JSON.stringify({ ...e, at: new Date(Date.parse(e.at) + 1000).toISOString() });
    const bad = await verifyLog(new TextEncoder().encode(`${lines.join('\n')}\n`));
    expect(bad.report.ok).toBe(false);
    expect(bad.records).toEqual([]);
    expect(bad.report.fault).toMatchObject({ line: n + 1, idx: e.idx, code: 'CHAIN_BROKEN' });
  });

  it('refuses a file with a byte that is not UTF-8 instead of reading it as a replacement character', async () => {
    const bytes = new TextEncoder().encode(text);
    const lines = text.split('\n');
    const n = lines.findIndex((l) => l.includes('"kind":"message"'));
    // The first byte of that line becomes 0xff: no UTF-8 text has it.
    const at = lines.slice(0, n).reduce((sum, l) => sum + new TextEncoder().encode(l).length + 1, 0);
    bytes[at] = 0xff;
    const bad = await verifyLog(bytes);
    expect(bad.report.ok).toBe(false);
    expect(bad.records).toEqual([]);
    expect(bad.report.fault).toMatchObject({ line: n + 1, code: 'BAD_EXPORT' });
  });

  /** A socket the test scripts: it records what the observer sends and delivers the frames we give it. */
  function scriptedSocket(): {
    factory: (url: string, protocols: string[]) => SocketLike;
    sent: unknown[];
    deliver(frame: object): void;
  } {
    let socket: SocketLike | undefined;
    const sent: unknown[] = [];
    return {
      sent,
      factory: () =>
        (socket = {
          readyState: 1,
          send: (d: string) => sent.push(JSON.parse(d)),
          close: () => undefined,
          onopen: null,
          onmessage: null,
          onclose: null,
          onerror: null,
        }),
      deliver: (frame) => socket!.onmessage!({ data: JSON.stringify(frame) }),
    };
  }

  it('live observer: observes with the token in the first frame, verifies every entry, and alarms on a broken chain', async () => {
    const entries = text
      .trimEnd()
      .split('\n')
      .slice(1, -1)
      .map((l) => JSON.parse(l) as { idx: number; at: string; kind: string });
    const def = log.report.header!.exercise;
    const s = scriptedSocket();
    const observer = new Observer(def, () => 'trainer.jwt.token', 'http://relay.test', s.factory);
    const alarms: string[] = [];
    observer.on('alarm', (a) => alarms.push(`${a.kind}:${a.code}:${a.idx}`));
    observer.start();
    s.deliver({ type: 'challenge', nonce: 'n'.repeat(32), relayKid: log.report.header!.relay.kid });
    expect(s.sent[0]).toEqual({ type: 'observe', token: 'trainer.jwt.token', exercise: 'dtl', since: -1 });
    s.deliver({
      type: 'observing',
      exercise: 'dtl',
      head: null,
      checkpoint: null,
      online: { beijing: true, washington: false },
    });
    expect(observer.online.get('beijing')).toBe(true);

    const half = entries.findIndex((e) => e.kind === 'message' && entries.indexOf(e) > 5);
    for (const e of entries.slice(0, half)) s.deliver({ type: 'entry', entry: e });
    await until(() => observer.chain.length === half, 5000, 'history verified');
    expect(observer.conversations[0].list().map((v) => v.id)).toEqual([flash]);
    expect(observer.operators.size).toBe(2);

    // The next entry arrives altered: the chain breaks, a verification alarm names it, nothing later is shown.
    const bad = { ...entries[half]!, at: new Date(Date.parse(entries[half]!.at) + 1).toISOString() };
    s.deliver({ type: 'entry', entry: bad });
    for (const e of entries.slice(half + 1)) s.deliver({ type: 'entry', entry: e });
    await until(() => observer.broken !== undefined, 5000, 'verification alarm');
    expect(alarms).toEqual([`verification:CHAIN_BROKEN:${bad.idx}`]);
    expect(observer.broken!.message).toMatch(new RegExp(`entry ${bad.idx}`));
    expect(observer.chain.length).toBe(half);
    expect(observer.conversations[1].list()).toHaveLength(1);
    observer.stop();
  });
});
