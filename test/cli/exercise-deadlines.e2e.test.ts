// `hotline exercise deadlines`, with the built CLI against a real relay: shows the defaults, sets FLASH and
// IMMEDIATE in minutes keeping the other two, refuses a bad value before sending anything, and is refused
// after STARTEX.
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
      'dtl deadlines: FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h (the ACP 121 defaults)\n',
    );
    const set = await hotline('exercise', 'deadlines', 'dtl', '--flash', '5', '--immediate', '15');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('dtl deadlines: FLASH 5 min, IMMEDIATE 15 min, PRIORITY 3 h, ROUTINE 6 h\n');
    const head = (await relay.store.head('dtl'))!.idx;
    const [c] = await relay.store.read('dtl', head, 1);
    expect(c?.entry.kind).toBe('procedures');

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
