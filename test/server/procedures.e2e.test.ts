// An exercise's own acknowledgement deadlines on a real relay: POST /v1/exercises/:id/procedures and a
// scenario's `deadlines` record a public `procedures` entry, the run answers the table, refusals have stable
// codes (out of range 400, after STARTEX 409), and the export verifies with the table on its clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrainerApi } from '../../client/trainer-api.js';
import { ChainVerifier } from '../../shared/chain.js';
import { parseEntry } from '../../shared/protocol.js';
import { enrolKey, RawConsole, type FrameOf } from '../helpers/raw-console.js';
import { verifyExport } from '../../shared/export.js';
import { ACK_DEADLINE_MS } from '../../shared/precedence.js';
import { LINE_DEFAULTS } from '../../shared/line-entries.js';
import type { Scenario } from '../../shared/scenario.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

const MIN = 60_000;
const TABLE = { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 90 * MIN, ROUTINE: 4 * 60 * MIN };

const scenario = (deadlines?: Scenario['deadlines']): Scenario => ({
  format: 'hotline-scenario',
  v: 1,
  title: 'Deadlines',
  ...(deadlines ? { deadlines } : {}),
  injects: [
    {
      id: 'INJ-01',
      at: 'manual',
      to: 'beijing',
      from: { zh: '南部战区' },
      precedence: 'FLASH',
      body: { zh: '内容' },
      expectedAction: 'Call Washington.',
    },
  ],
});

describe('per-exercise acknowledgement deadlines on the relay', () => {
  let relay: TestRelay;
  let trainer: TrainerApi;

  beforeEach(async () => {
    relay = await startTestRelay();
    trainer = new TrainerApi(relay.url, { secret: relay.newTrainerSecret!, name: 'Controller Zhao' });
  });

  afterEach(async () => {
    await relay.cleanup();
  });

  it('sets them by route and by scenario, logs them publicly, and the export verifies with them', async () => {
    expect((await trainer.run('dtl')).ackDeadlinesMs).toEqual(ACK_DEADLINE_MS);
    let run = await trainer.setProcedures('dtl', { ackDeadlinesMs: TABLE });
    expect(run.ackDeadlinesMs).toEqual(TABLE);
    // A scenario with its own deadlines replaces them, in minutes.
    run = await trainer.loadScenario('dtl', scenario({ FLASH: 3, IMMEDIATE: 20, PRIORITY: 120, ROUTINE: 480 }));
    const fromScenario = { FLASH: 3 * MIN, IMMEDIATE: 20 * MIN, PRIORITY: 120 * MIN, ROUTINE: 480 * MIN };
    expect(run.ackDeadlinesMs).toEqual(fromScenario);
    await trainer.setState('dtl', { state: 'running', compression: 6 });
    await expect(trainer.setProcedures('dtl', { ackDeadlinesMs: TABLE })).rejects.toMatchObject({
      code: 'BAD_TRANSITION',
    });
    expect((await trainer.run('dtl')).ackDeadlinesMs).toEqual(fromScenario);
    await trainer.setState('dtl', { state: 'ended' });

    const report = await verifyExport(await (await trainer.exportBlob('dtl')).text());
    expect(report.fault).toBeUndefined();
    expect(report.verifier.clock.deadlines).toEqual(fromScenario);
    const procedures = report.entries.filter((e) => e.kind === 'procedures');
    expect(procedures.map((e) => [e.data, e.reveal, e.commit])).toEqual([
      // Every procedures entry carries the line settings in force, in full (defaults here).
      [{ ackDeadlinesMs: TABLE, line: LINE_DEFAULTS, by: 'Controller Zhao' }, undefined, undefined],
      [{ ackDeadlinesMs: fromScenario, line: LINE_DEFAULTS, by: 'Controller Zhao' }, undefined, undefined],
    ]);
    // Recorded right after the scenario entry.
    const scenarioIdx = report.entries.findIndex((e) => e.kind === 'scenario');
    expect(report.entries[scenarioIdx + 1]?.kind).toBe('procedures');
  });

  it('reaches a console: its own verifier of the stream judges by the table', async () => {
    const wa = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
    await trainer.setProcedures('dtl', { ackDeadlinesMs: TABLE });
    const head = (await relay.store.head('dtl'))!;
    const seen = new ChainVerifier({ audience: { station: 'washington' } });
    for (let applied = 0; applied <= head.idx; applied++) {
      const f = await wa.waitForFrame((x): x is FrameOf<'entry'> => x.type === 'entry');
      await seen.apply(parseEntry(f.entry));
    }
    expect(seen.clock.deadlines).toEqual(TABLE);
  });

  it('a scenario without deadlines leaves the table alone', async () => {
    await trainer.setProcedures('dtl', { ackDeadlinesMs: TABLE });
    expect((await trainer.loadScenario('dtl', scenario())).ackDeadlinesMs).toEqual(TABLE);
  });

  it('refuses a table out of range or incomplete (400), and a trainer-less request (401)', async () => {
    const token = await trainer.token();
    for (const ackDeadlinesMs of [
      { ...TABLE, FLASH: 59_999 },
      { ...TABLE, ROUTINE: 7 * 24 * 60 * MIN + 1 },
      { FLASH: MIN, IMMEDIATE: MIN, PRIORITY: MIN },
      { ...TABLE, FLASH: '300000' },
      undefined,
    ]) {
      const r = await relay.api('POST', '/v1/exercises/dtl/procedures', { ackDeadlinesMs }, token);
      expect([r.status, r.body['code']]).toEqual([400, 'BAD_REQUEST']);
    }
    const bad = await relay.api(
      'POST',
      '/v1/exercises/dtl/scenario',
      {
        scenario: scenario({ FLASH: 0, IMMEDIATE: 1, PRIORITY: 1, ROUTINE: 1 }),
      },
      token,
    );
    expect([bad.status, bad.body['code']]).toEqual([400, 'SCENARIO_INVALID']);
    expect((await relay.api('POST', '/v1/exercises/dtl/procedures', { ackDeadlinesMs: TABLE })).status).toBe(401);
    expect((await trainer.run('dtl')).ackDeadlinesMs).toEqual(ACK_DEADLINE_MS);
    await trainer.setState('dtl', { state: 'ended' });
    await expect(trainer.setProcedures('dtl', { ackDeadlinesMs: TABLE })).rejects.toMatchObject({
      code: 'BAD_TRANSITION',
    });
  });
});
