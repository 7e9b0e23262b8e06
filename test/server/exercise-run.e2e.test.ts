// Running an exercise on a real relay: lifecycle, a scenario's timed and manual injects on a compressed
// clock, private content that reaches only its station (every raw frame of the other one is searched),
// inject receipts, notes, ENDEX sealing the log, and an export that verifies in full.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyExport } from '../../shared/export.js';
import { ChainVerifier } from '../../shared/chain.js';
import { injectData } from '../../shared/run-entries.js';
import type { Scenario } from '../../shared/scenario.js';
import { parseEntry } from '../../shared/protocol.js';
import { enrolKey, frameText, RawConsole, type FrameOf } from '../helpers/raw-console.js';
import { startTestRelay, until, type TestRelay } from '../helpers/relay.js';
import { TrainerApi } from '../../client/trainer-api.js';
import { type HotlineError } from '../../shared/errors.js';
import { TYP } from '../../shared/items.js';

const SECRET_BODY = '绝密演习内容: 舰艇编号 573 的航向改变';
const SECRET_SUBJECT = 'Only-for-Beijing subject 8812';

function scenario(): Scenario {
  return {
    format: 'hotline-scenario',
    v: 1,
    title: 'Relay test scenario',
    compression: 60,
    injects: [
      {
        id: 'INJ-01',
        at: '00:00:30',
        to: 'beijing',
        from: { zh: '南部战区', en: 'Southern Theater Command' },
        precedence: 'IMMEDIATE',
        subject: { zh: '舰艇接近', en: SECRET_SUBJECT },
        body: { zh: SECRET_BODY },
        expectedAction: 'Call Washington.',
        controllerNotes: 'Controller-only note 4471',
      },
      {
        id: 'INJ-02',
        at: 'manual',
        to: 'washington',
        from: { en: 'News wire' },
        precedence: 'ROUTINE',
        body: { en: 'Wire report 3390 for Washington only.' },
        expectedAction: 'Assess.',
      },
      {
        id: 'INJ-03',
        at: '01:00:00',
        to: 'washington',
        from: { en: 'Embassy' },
        precedence: 'FLASH',
        body: { en: 'Never fired: skipped.' },
        expectedAction: 'None.',
      },
    ],
  };
}

describe('running an exercise on the relay', () => {
  let relay: TestRelay;
  let trainer: TrainerApi;

  beforeEach(async () => {
    relay = await startTestRelay();
    const secret = relay.newTrainerSecret!;
    trainer = new TrainerApi(relay.url, { secret, name: 'Controller Zhao' });
  });

  afterEach(async () => {
    await relay.cleanup();
  });

  it('plays a scenario: private injects reach their station only, and ENDEX seals the log', async () => {
    const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
    const wa = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    const washingtonText: string[] = [];
    wa.ws.on('message', (d) => washingtonText.push(frameText(d)));

    const bad = await relay.api(
      'POST',
      '/v1/exercises/dtl/scenario',
      { scenario: { ...scenario(), injects: [{}] } },
      await trainer.token(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body['code']).toBe('SCENARIO_INVALID');
    expect((bad.body['problems'] as string[])[0]).toMatch(/^injects\[0\] id: /);

    let run = await trainer.loadScenario('dtl', scenario());
    expect(run.phase).toBe('planned');
    expect(run.injects.map((i) => [i.id, i.status])).toEqual([
      ['INJ-01', 'pending'],
      ['INJ-02', 'pending'],
      ['INJ-03', 'pending'],
    ]);
    await expect(trainer.injectCommand('dtl', 'INJ-02', 'fire')).rejects.toMatchObject({ code: 'INJECT_STATE' });

    run = await trainer.setState('dtl', { state: 'running' });
    expect(run.phase).toBe('running');
    expect(run.compression).toBe(60);
    expect(run.transitions[0]).toMatchObject({ state: 'running', by: 'Controller Zhao', compression: 60 });
    await trainer.injectCommand('dtl', 'INJ-03', 'skip');

    // INJ-01 is due 30 exercise seconds after STARTEX: half a real second at 60x.
    const inject = await bj.waitForFrame(
      (f): f is FrameOf<'entry'> => f.type === 'entry' && f.entry.kind === 'inject',
      5_000,
    );
    const data = injectData.parse(inject.entry.reveal?.data);
    expect(data).toMatchObject({ inject: 'INJ-01', precedence: 'IMMEDIATE', body: { zh: SECRET_BODY } });
    expect(inject.entry.to).toBe('beijing');
    expect(JSON.stringify(inject.entry)).not.toContain('Controller-only');

    // Beijing acknowledges the inject with ordinary receipts; Washington sees them and can check refHash only.
    for (const kind of ['delivered', 'acknowledged'] as const) {
      const r = await bj.submit(await bj.sign(bj.receipt(data.id, inject.entry.hash, { kind }), { typ: TYP.receipt }));
      if (r.type !== 'accepted') throw new Error(JSON.stringify(r));
      bj.seq++;
    }
    const wrong = await bj.submit(await bj.sign(bj.receipt(data.id, inject.entry.prev), { typ: TYP.receipt }));
    expect(wrong).toMatchObject({ type: 'rejected', code: 'REF_HASH_MISMATCH' });

    run = await trainer.injectCommand('dtl', 'INJ-02', 'fire');
    expect(run.injects.find((i) => i.id === 'INJ-02')?.status).toBe('fired');
    const note = await trainer.addNote('dtl', 'Beijing answered within a minute.', inject.entry.idx);
    run = await trainer.setState('dtl', { state: 'paused' });
    const frozen = run.exerciseMs;
    await new Promise((r) => setTimeout(r, 100));
    expect((await trainer.run('dtl')).exerciseMs).toBe(frozen);
    await trainer.setState('dtl', { state: 'running' });
    await bj.accept({ body: 'Beijing calls Washington about the approach.' });
    run = await trainer.setState('dtl', { state: 'ended' });
    expect(run.phase).toBe('ended');
    expect(run.endex).not.toBeNull();

    // After ENDEX: the line is closed, the log sealed, and no console can join.
    const late = await bj.submit(await bj.sign(bj.message()));
    expect(late).toMatchObject({ type: 'rejected', code: 'EXERCISE_ENDED' });
    await expect(trainer.issueCode('dtl', 'beijing')).rejects.toMatchObject({ code: 'EXERCISE_ENDED' });
    await expect(trainer.addNote('dtl', 'too late')).rejects.toMatchObject({ code: 'EXERCISE_ENDED' });
    await expect(trainer.setState('dtl', { state: 'running' })).rejects.toMatchObject({ code: 'BAD_TRANSITION' });

    // Washington verified the same chain without a byte of Beijing's inject, the notes or the scenario.
    const head = (await relay.store.head('dtl'))!;
    await until(() => washingtonText.some((t) => t.includes(`"idx":${head.idx},`)));
    const all = washingtonText.join('\n');
    for (const secret of [
      SECRET_BODY,
      SECRET_SUBJECT,
      '南部战区',
      'Controller-only',
      'Beijing answered',
      'INJ-01',
      'Relay test scenario',
    ])
      expect(all).not.toContain(secret);
    expect(all).toContain('Wire report 3390 for Washington only.');
    const seen = new ChainVerifier({ audience: { station: 'washington' } });
    // Washington connected after entry 2; a fresh verifier takes the whole log the way it streams to it.
    const w2 = await RawConsole.open(relay, wa.key!);
    const frames: FrameOf<'entry'>[] = [];
    while (frames.length <= head.idx)
      frames.push(await w2.waitForFrame((f): f is FrameOf<'entry'> => f.type === 'entry'));
    for (const f of frames) await seen.apply(parseEntry(f.entry));
    expect(seen.clock.phase).toBe('ended');
    expect(frames.filter((f) => f.entry.reveal !== undefined).map((f) => f.entry.kind)).toEqual(['inject']);

    // The trainer's export holds every reveal and verifies in full, offline.
    const text = await (await trainer.exportBlob('dtl')).text();
    const report = await verifyExport(text);
    expect(report.fault).toBeUndefined();
    expect(report.ok).toBe(true);
    const kinds = report.entries.filter((e) => e.reveal !== undefined).map((e) => e.kind);
    expect(kinds).toEqual(['scenario', 'inject-control', 'inject', 'inject-control', 'inject', 'note']);
    expect(report.entries.at(-1)?.kind).toBe('exercise-state');
    expect(report.entries[note.idx]?.reveal?.data).toMatchObject({ by: 'Controller Zhao', ref: inject.entry.idx });

    // A reveal changed by one character no longer matches its commitment.
    const tampered = text.replace(SECRET_BODY, SECRET_BODY.replace('573', '574'));
    const bad2 = await verifyExport(tampered);
    expect(bad2.fault?.code).toBe('COMMIT_MISMATCH');
  });

  it('rebuilds the run after a restart and fires what fell due while it was down', async () => {
    await trainer.loadScenario('dtl', scenario());
    await trainer.setState('dtl', { state: 'running', compression: 1 });
    await trainer.editInject('dtl', 'INJ-01', { ...scenario().injects[0]!, at: '00:00:01' });
    const dataDir = relay.dataDir;
    await relay.close();
    await new Promise((r) => setTimeout(r, 1_100));
    relay = await startTestRelay({}, dataDir);
    const t2 = relay.trainer();
    await until(async () => (await (await t2).run('dtl')).injects[0]?.status === 'fired');
    const run = await (await t2).run('dtl');
    expect(run.injects.map((i) => [i.id, i.status, i.edited])).toEqual([
      ['INJ-01', 'fired', true],
      ['INJ-02', 'pending', false],
      ['INJ-03', 'pending', false],
    ]);
    expect(run.phase).toBe('running');
  });

  it('refuses what does not fit the run with stable codes', async () => {
    await expect(trainer.setState('dtl', { state: 'paused' })).rejects.toMatchObject({ code: 'BAD_TRANSITION' });
    await expect(trainer.injectCommand('dtl', 'NOPE', 'fire')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      trainer.addInject('dtl', { ...scenario().injects[0]!, body: { en: 'no zh for beijing' } }),
    ).rejects.toSatisfy((e: HotlineError) => e.code === 'SCENARIO_INVALID' && /body\.zh: required/.test(e.message));
    const token = await trainer.token();
    expect(
      (await relay.api('POST', '/v1/exercises/dtl/state', { state: 'running', compression: 99 }, token)).status,
    ).toBe(400);
    expect((await relay.api('POST', '/v1/auth/token', { secret: relay.newTrainerSecret, name: '' })).status).toBe(400);
    await trainer.setState('dtl', { state: 'running' });
    await expect(trainer.loadScenario('dtl', scenario())).rejects.toMatchObject({ code: 'BAD_TRANSITION' });
  });
});
