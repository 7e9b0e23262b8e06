// The trainer's live observer on a running exercise, in Node against a real relay: exercise control's
// stream carries the content of every private entry (scenario, inject controls, injects, notes), which the
// observer's ChainVerifier (audience 'control') checks against each commitment; the observer keeps each
// station's injects with their receipts, the notes, the clock and the scenario, and nothing raises an alarm.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import type { TrainerApi } from '../../client/trainer-api.js';
import type { ExerciseDef } from '../../shared/items.js';
import type { InjectDef } from '../../shared/scenario.js';
import { describeEntry } from '../../web/src/trainer/entry-text.js';
import { Observer } from '../../web/src/trainer/observer.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';

const inject = (id: string, at: string, to: string, en: string): InjectDef => ({
  id,
  at,
  to,
  from: { zh: '新闻社', en: 'News wire' },
  precedence: 'PRIORITY',
  body: { zh: '新闻。', en },
  expectedAction: 'Read it.',
});

let relay: TestRelay;
let api: TrainerApi;
let def: ExerciseDef;
let clients: HotlineClient[] = [];
let observer: Observer | undefined;

beforeEach(async () => {
  relay = await startTestRelay();
  api = await relay.trainer();
  def = (await api.exercise('dtl')).def;
});

afterEach(async () => {
  observer?.stop();
  for (const c of clients) await c.stop();
  clients = [];
  await relay.cleanup();
});

describe('the trainer observer on a running exercise', () => {
  it('verifies every private entry from its content and keeps injects, receipts, notes and the clock', async () => {
    const { beijing, washington } = await startPair(relay);
    clients = [beijing, washington];
    const token = await relay.trainerToken();
    observer = new Observer(def, () => token, relay.url, nodeSocket());
    const alarms: string[] = [];
    observer.on('alarm', (a) => alarms.push(`${a.code}: ${a.message}`));
    observer.start();

    await api.loadScenario('dtl', {
      format: 'hotline-scenario',
      v: 1,
      title: 'Wire',
      compression: 12,
      injects: [inject('W-1', '00:01:00', 'washington', 'First wire.'), inject('B-1', 'manual', 'beijing', 'Hold me.')],
    });
    await api.injectCommand('dtl', 'B-1', 'hold');
    await api.setState('dtl', { state: 'running', compression: 60 });
    await until(() => washington.injects.list().length === 1, 10_000, 'W-1 reaches Washington');
    const w1 = washington.injects.list()[0]!;
    await washington.acknowledge(w1.id, 'Noted');
    await api.injectCommand('dtl', 'B-1', 'release');
    await api.injectCommand('dtl', 'B-1', 'fire');
    const t = (await api.run('dtl')).injects.find((i) => i.id === 'W-1')!.fired!.idx;
    const { idx: noteIdx } = await api.addNote('dtl', 'Washington was quick.', t);
    await api.setState('dtl', { state: 'ended' });
    const head = (await api.exercise('dtl')).head.idx;
    await until(() => observer!.lastIdx === head, 10_000, 'the observer reaches the head');
    await until(() => observer!.injects[0].list()[0]?.states.delivered !== undefined, 10_000, 'B-1 delivered');

    expect(alarms).toEqual([]);
    expect(observer.broken).toBeUndefined();
    // Every private entry arrived with its content, checked against its commitment.
    const kinds = observer.records.map((r) => r.entry.kind);
    for (const kind of ['scenario', 'inject-control', 'inject', 'note'] as const) expect(kinds).toContain(kind);
    for (const r of observer.records.filter((r) => r.entry.commit !== undefined)) expect(r.entry.reveal).toBeDefined();
    expect(observer.scenario?.title).toBe('Wire');
    expect(observer.chain.clock.phase).toBe('ended');
    expect(observer.chain.clock.transitions.map((x) => [x.state, x.compression])).toEqual([
      ['running', 60],
      ['ended', 60],
    ]);

    // Each station's injects, with the receipts its own console sent.
    const [bj, wa] = observer.injects;
    expect(wa.list().map((v) => [v.inject, v.body.en, v.ackNote])).toEqual([['W-1', 'First wire.', 'Noted']]);
    expect(wa.list()[0]!.states.acknowledged).toBeDefined();
    expect(wa.list()[0]!.exerciseMs).toBeGreaterThanOrEqual(60_000);
    expect(bj.list().map((v) => v.inject)).toEqual(['B-1']);
    expect(bj.list()[0]!.states.acknowledged).toBeUndefined();

    // The note, with its author, reference and exercise time.
    expect(observer.notes).toHaveLength(1);
    expect(observer.notes[0]).toMatchObject({ idx: noteIdx, text: 'Washington was quick.', by: 'Trainer', ref: t });
    expect(observer.notes[0]!.exerciseMs).toBeGreaterThan(0);

    // Every entry reads as a line, the private ones from their content.
    const lines = observer.records.map((r) => describeEntry(r, observer!.entryContext));
    expect(lines).toContain(
      `inject B-1 held by Trainer (entry ${observer.records.find((r) => r.entry.kind === 'inject-control')!.entry.idx})`,
    );
    expect(lines.some((l) => l.startsWith('EXERCISE INJECT W-1 → Washington from News wire (PRIORITY)'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Washington acknowledged EXERCISE INJECT W-1 of entry'))).toBe(true);
    expect(lines.some((l) => l.startsWith('ENDEX by Trainer: the line is closed and the log sealed'))).toBe(true);
    expect(lines.filter((l) => l.includes('(private)'))).toEqual([]);
  });
});
