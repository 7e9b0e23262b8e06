// The terminal consoles during an exercise, with the built CLI against a real relay: the exercise's state
// and time as they change, an inject at Beijing shown as an exercise inject from its simulated originator
// (nothing of it at Washington) and acknowledged with /ack like a message, `hotline listen` printing an
// inject as JSON, and ENDEX closing the line. Needs `npm run build` first (dist/cli).
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../shared/scenario.js';
import { run } from '../helpers/cli.js';
import { until } from '../helpers/relay.js';
import { terminalExercises } from '../helpers/terminal-exercise.js';

const FROM_ZH = '南部战区海军';
const BODY_ZH = '外国驱逐舰在 300 米内横越我舰艏，编号 4417。';
const BODY_EN = 'A foreign destroyer crossed our bow within 300 m, ref 4417.';

function scenario(): Scenario {
  return {
    format: 'hotline-scenario',
    v: 1,
    title: 'Terminal inject test',
    injects: ['INJ-01', 'INJ-02'].map((id) => ({
      id,
      at: 'manual',
      to: 'beijing',
      from: { zh: FROM_ZH, en: 'Southern Theater Navy' },
      precedence: 'FLASH' as const,
      subject: { zh: `危险接近 ${id}` },
      body: { zh: BODY_ZH, en: BODY_EN },
      expectedAction: 'Call Washington.',
    })),
  };
}

describe('terminal consoles during an exercise', () => {
  const exercises = terminalExercises('hotline-cli-injects-');
  const { dir, procs } = exercises;

  afterEach(() => exercises.stop());

  it('shows the exercise clock and injects, acknowledges them with /ack, and closes the line at ENDEX', async () => {
    const { trainer, link, bj, wa } = await exercises.start();

    await trainer.loadScenario('dtl', scenario());
    await trainer.setState('dtl', { state: 'running', compression: 6 });
    for (const p of [bj, wa])
      await p.waitFor(/=== exercise RUNNING T\+00:00:\d\d ×6 · UTC \d\d:\d\d:\d\dZ \(by Controller Zhao\) ===/);

    await trainer.injectCommand('dtl', 'INJ-01', 'fire');
    await bj.waitFor(
      /#1 {2}FLASH {5}\d{6}Z [A-Z]{3} \d\d {2}T\+\d\d:\d\d:\d\d {2}EXERCISE INJECT · 演习导调情况 from 南部战区海军 \(simulated\) {2}\[verified\]/,
    );
    await bj.waitFor(/FLASH exercise inject: acknowledge with \/ack 1 by \d\d:\d\d:\d\dZ/);
    expect(bj.stdout()).toContain(`    危险接近 INJ-01\n    ${BODY_ZH}\n    ${BODY_EN}\n`);
    await bj.waitFor(/#1 ← delivered/);
    bj.write('/ack 1 收到');
    await bj.waitFor(/#1 ← acknowledged/);
    bj.write('/status');
    await bj.waitFor(/exercise RUNNING T\+\d\d:\d\d:\d\d ×6 · UTC/);

    // `hotline listen` on a second Beijing console prints the next inject as JSON and acknowledges it.
    const listen = run(
      ['listen', '--link', await link('beijing'), '--state', 'bj2.json', '--json', '--ack', '--count', '1'],
      {
        cwd: dir,
      },
    );
    procs.push(listen);
    await until(() => /listening as beijing/.test(listen.stderr()), 10_000, `listen to start: ${listen.stderr()}`);
    await trainer.injectCommand('dtl', 'INJ-02', 'fire');
    expect(await listen.exited).toBe(0);
    const printed = JSON.parse(listen.stdout().trim()) as Record<string, unknown>;
    expect(printed).toMatchObject({ kind: 'inject', inject: 'INJ-02', to: 'beijing', body: { zh: BODY_ZH } });
    await bj.waitFor(/#2 ← acknowledged/);

    // Washington: the clock, and not a byte of the injects.
    expect(wa.stdout()).not.toMatch(/INJECT|南部战区|4417|危险接近/);

    await trainer.setState('dtl', { state: 'ended' });
    for (const p of [bj, wa])
      await p.waitFor(/=== ENDEX \(by Controller Zhao\): the exercise has ended; the line is closed\./);
    wa.write('One more message after ENDEX.');
    await wa.waitFor(/refused: ENDEX, the exercise has ended and the line is closed/);
    for (const p of [bj, wa]) {
      p.child.stdin.end();
      expect(await p.exited).toBe(0);
    }
  });
});
