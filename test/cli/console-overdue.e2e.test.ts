// The terminal console says when a deadline has passed, with the built CLI against a real relay: an exercise
// at 60x, so a FLASH's 10 minutes of line time are 10 real seconds. A FLASH message from Washington and a
// FLASH inject at Beijing go unacknowledged; Beijing's console says each is overdue once (precedence,
// subject, how long past due in line time), /status counts them, and after /ack the count falls. Needs
// `npm run build` first (dist/cli).
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../shared/scenario.js';
import { terminalExercises } from '../helpers/terminal-exercise.js';

const scenario: Scenario = {
  format: 'hotline-scenario',
  v: 1,
  title: 'Terminal overdue test',
  injects: [
    {
      id: 'INJ-01',
      at: 'manual',
      to: 'beijing',
      from: { zh: '南部战区海军', en: 'Southern Theater Navy' },
      precedence: 'FLASH',
      subject: { zh: '危险接近', en: 'Close approach' },
      body: { zh: '外国驱逐舰在 300 米内横越我舰艏。', en: 'A foreign destroyer crossed our bow within 300 m.' },
      expectedAction: 'Call Washington.',
    },
  ],
};

describe('terminal console: overdue acknowledgements', () => {
  const exercises = terminalExercises('hotline-cli-overdue-');

  afterEach(() => exercises.stop());

  it('says once that a FLASH message and a FLASH inject are overdue, and counts them in /status', async () => {
    const { trainer, bj, wa } = await exercises.start();

    await trainer.loadScenario('dtl', scenario);
    await trainer.setState('dtl', { state: 'running', compression: 60 });
    await bj.waitFor(/=== exercise RUNNING .* ×60 /);
    const started = Date.now();
    wa.write('/subject Alpha');
    wa.write('/flash Confirm your vessel position.');
    await bj.waitFor(/FLASH from washington: acknowledge with \/ack 1 by/);
    await trainer.injectCommand('dtl', 'INJ-01', 'fire');
    await bj.waitFor(/FLASH exercise inject: acknowledge with \/ack 2 by/);
    bj.write('/status');
    await bj.waitFor(/overdue: none/);
    expect(bj.stdout()).not.toContain('OVERDUE');

    // 10 min of line time at 60x: 10 real seconds after each was logged (not 10 minutes); looked at every second,
    // so said under 2 min of line time past due.
    await bj.waitFor(
      /!!! OVERDUE #1 FLASH from washington “Alpha”: not acknowledged, (\d+(?:\.\d+)? s|1 min \d\d s) past its 10 min deadline \(line time\); \/ack 1/,
      20_000,
    );
    await bj.waitFor(
      /!!! OVERDUE #2 FLASH exercise inject “危险接近”: not acknowledged, (\d+(?:\.\d+)? s|1 min \d\d s) past its 10 min deadline \(line time\); \/ack 2/,
      5_000,
    );
    // FLASH interrupts: the terminal bell first.
    expect(bj.stdout()).toContain('\u0007!!! OVERDUE #1 FLASH');
    expect(bj.stdout()).toContain('\u0007!!! OVERDUE #2 FLASH');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(9_500);
    expect(elapsed).toBeLessThan(25_000);
    bj.write('/status');
    await bj.waitFor(/overdue: 2 awaiting acknowledgement past the deadline/);

    bj.write('/ack 1');
    await bj.waitFor(/#1 ← acknowledged/);
    bj.write('/status');
    await bj.waitFor(/overdue: 1 awaiting acknowledgement past the deadline/);
    // Said once each, however many ticks passed.
    expect(bj.stdout().match(/OVERDUE #1 /g)).toHaveLength(1);
    expect(bj.stdout().match(/OVERDUE #2 /g)).toHaveLength(1);
    // Washington sent the message: nothing of it is overdue at Washington's console.
    expect(wa.stdout()).not.toContain('OVERDUE');

    for (const p of [bj, wa]) {
      p.child.stdin.end();
      expect(await p.exited).toBe(0);
    }
  }, 60_000);
});
