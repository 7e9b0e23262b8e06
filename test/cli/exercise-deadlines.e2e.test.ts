// `hotline exercise deadlines`, with the built CLI against a real relay: shows the defaults, sets FLASH and
// IMMEDIATE in minutes keeping the other two, sets the line's call window and link test timings as durations
// keeping the others, refuses a bad value before sending anything, and is refused after STARTEX.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/cli.js';
import { startTestRelay, type TestRelay } from '../helpers/relay.js';

describe('hotline exercise deadlines', () => {
  let relay: TestRelay;
  let env: Record<string, string>;
  const hotline = (...args: string[]) => runToEnd(args, { env });

  beforeAll(async () => {
    relay = await startTestRelay();
    env = { HOTLINE_URL: relay.url, HOTLINE_TRAINER_SECRET: relay.newTrainerSecret! };
  });
  afterAll(async () => {
    await relay.cleanup();
  });

  it('shows, sets in minutes, refuses out of range and after STARTEX', async () => {
    const shown = await hotline('exercise', 'deadlines', 'dtl');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(
      'dtl deadlines: FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h (the ACP 121 defaults)\n' +
        'dtl line: call window 48 h 00 min (line time); link test every 1 h 00 min, answer within 1 min 00 s (real time)\n',
    );
    const set = await hotline('exercise', 'deadlines', 'dtl', '--flash', '5', '--immediate', '15');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^dtl deadlines: FLASH 5 min, IMMEDIATE 15 min, PRIORITY 3 h, ROUTINE 6 h\n/);
    let head = (await relay.store.head('dtl'))!.idx;
    const [c] = await relay.store.read('dtl', head, 1);
    expect(c?.entry.kind).toBe('procedures');

    const line = await hotline('exercise', 'deadlines', 'dtl', '--call-window', '2h', '--link-timeout', '1.5s');
    expect(line.code, line.stderr).toBe(0);
    expect(line.stdout).toBe(
      'dtl deadlines: FLASH 5 min, IMMEDIATE 15 min, PRIORITY 3 h, ROUTINE 6 h\n' +
        'dtl line: call window 2 h 00 min (line time); link test every 1 h 00 min, answer within 1.50 s (real time)\n',
    );
    const json = await hotline('exercise', 'deadlines', 'dtl', '--link-interval', '90s', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      line: { callWindowMs: 7_200_000, linkTestIntervalMs: 90_000, linkTestTimeoutMs: 1_500 },
      ackDeadlinesMs: { FLASH: 300_000 },
    });
    head = (await relay.store.head('dtl'))!.idx;
    const [p] = await relay.store.read('dtl', head, 1);
    expect(p?.entry.data).toMatchObject({
      line: { callWindowMs: 7_200_000, linkTestIntervalMs: 90_000, linkTestTimeoutMs: 1_500 },
    });
    for (const [opt, value, message] of [
      [
        '--call-window',
        '48',
        /--call-window: a duration with its unit \(ms, s, min, h, d\) from 1 min 00 s to 336 h 00 min, not "48"/,
      ],
      ['--link-timeout', '100ms', /--link-timeout: .* from 200 ms to 10 min 00 s, not "100ms"/],
    ] as const) {
      const refused = await hotline('exercise', 'deadlines', 'dtl', opt, value);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
    expect((await relay.store.head('dtl'))!.idx).toBe(head);

    const bad = await hotline('exercise', 'deadlines', 'dtl', '--routine', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--routine: whole minutes from 1 to 10080/);
    expect((await relay.store.head('dtl'))!.idx).toBe(head);

    expect((await hotline('exercise', 'start', 'dtl')).code).toBe(0);
    const late = await hotline('exercise', 'deadlines', 'dtl', '--flash', '7');
    expect(late.code).not.toBe(0);
    expect(late.stderr).toMatch(/BAD_TRANSITION|before STARTEX/);
  }, 60_000);
});
