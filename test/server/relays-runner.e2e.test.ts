// The exercise runner on two relays of one log (issue 13): each relay's runner follows the other's control
// entries, so a trainer may load a scenario through relay A and start it through relay B; timed injects
// fire once, not once per relay; two trainers giving the same command at once through different relays get
// one transition and one BAD_TRANSITION, as on one relay. Real relays, a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainerApi } from '../../client/trainer-api.js';
import { injectData } from '../../shared/run-entries.js';
import type { Scenario } from '../../shared/scenario.js';
import { verifyExport } from '../../shared/export.js';
import { startRelayPair, type RelayPair } from '../helpers/relay-pair.js';
import { until, type TestRelay } from '../helpers/relay.js';

const INJECTS = 6;

function scenario(): Scenario {
  return {
    format: 'hotline-scenario',
    v: 1,
    title: 'Two relays',
    compression: 60,
    // Due 15 exercise seconds apart: a quarter of a real second at 60x.
    injects: Array.from({ length: INJECTS }, (_, i) => ({
      id: `INJ-${i + 1}`,
      at: String(15 * (i + 1)),
      to: i % 2 ? 'washington' : 'beijing',
      from: { zh: '值班室', en: 'Desk' },
      precedence: 'ROUTINE' as const,
      body: { zh: `定时 ${i + 1}`, en: `Timed ${i + 1}` },
      expectedAction: 'Read.',
    })),
  };
}

describe('the exercise runner on two relays of one log', () => {
  let pair: RelayPair;
  let a: TestRelay;
  let b: TestRelay;
  let onA: TrainerApi;
  let onB: TrainerApi;

  beforeAll(async () => {
    pair = await startRelayPair('hotline_relays_run');
    ({ a, b } = pair);
    const secret = a.newTrainerSecret!;
    onA = new TrainerApi(a.url, { secret, name: 'Trainer on A' });
    onB = new TrainerApi(b.url, { secret, name: 'Trainer on B' });
  });

  afterAll(async () => {
    await pair?.cleanup();
  });

  it('follows the other relay: a scenario loaded on A starts on B, and each timed inject fires once', async () => {
    await onA.loadScenario('dtl', scenario());
    await until(async () => (await onB.run('dtl')).injects.length === INJECTS, 5000, 'B sees the scenario');
    const run = await onB.setState('dtl', { state: 'running' });
    expect(run.phase).toBe('running');
    await until(async () => (await onA.run('dtl')).phase === 'running', 5000, 'A sees it running');
    const fired = async (t: TrainerApi) => (await t.run('dtl')).injects.filter((i) => i.status === 'fired').length;
    await until(async () => (await fired(onA)) === INJECTS && (await fired(onB)) === INJECTS, 15_000, 'all fired');
    // Past the last one's due time, with time for a second firing to show.
    await new Promise((r) => setTimeout(r, 500));
    const exported = (await a.api<string>('GET', '/v1/exercises/dtl/export', undefined, await onA.token())).body;
    const report = await verifyExport(exported);
    expect(report.ok).toBe(true);
    const injects = report.entries
      .filter((e) => e.kind === 'inject')
      .map((e) => injectData.parse(e.reveal?.data ?? {}).inject);
    expect(injects.sort()).toEqual(Array.from({ length: INJECTS }, (_, i) => `INJ-${i + 1}`).sort());
  });

  it('gives one transition when two trainers command it at once through different relays', async () => {
    const results = await Promise.allSettled([
      onA.setState('dtl', { state: 'paused' }),
      onB.setState('dtl', { state: 'paused' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'BAD_TRANSITION' });
    const entries = await a.store.readControl('dtl');
    const paused = entries.filter(
      (c) => c.entry.kind === 'exercise-state' && (c.entry.data as { state?: string }).state === 'paused',
    );
    expect(paused).toHaveLength(1);
  });
});
