// The views that judge deadlines read the exercise's own table from the clock (a `procedures` entry sets
// clock.deadlines): the trainer's live overdue alarms and the terminal console's overdue line say 5 min for
// FLASH, and the alarm falls due after 50 real seconds at 6x.
import { describe, expect, it } from 'vitest';
import type { TrafficItem } from '../../client/client.js';
import type { MessageView } from '../../client/conversation.js';
import { overdueItems, overdueLine } from '../../cli/console-overdue.js';
import { ExerciseClock } from '../../shared/exercise-clock.js';
import { liveOverdue } from '../../web/src/trainer/deadlines.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const S = 1000;
const MIN = 60 * S;
const TABLE = { FLASH: 5 * MIN, IMMEDIATE: 15 * MIN, PRIORITY: 60 * MIN, ROUTINE: 120 * MIN };
const iso = (ms: number) => new Date(ms).toISOString();

function flash(accepted: number): MessageView {
  return {
    id: 'm1',
    idx: 10,
    direction: 'in',
    from: 'washington',
    to: 'beijing',
    precedence: 'FLASH',
    lang: 'en',
    subject: 'Alpha',
    body: 'x',
    classification: '',
    sentAt: iso(accepted),
    seq: 0,
    verified: true,
    states: { accepted: iso(accepted) },
  };
}

describe("views judge deadlines by the exercise's own table", () => {
  const clock = new ExerciseClock();
  clock.deadlines = TABLE;
  clock.apply({ at: T0, idx: 5, state: 'running', compression: 6, by: 'Control' });
  const accepted = T0 + 10 * S;

  it('the trainer: a FLASH at 6x is overdue after 50 real seconds, "within 5 min of line time"', () => {
    expect(liveOverdue([flash(accepted)], [], clock, accepted + 50 * S - 1)).toEqual([]);
    const [alarm] = liveOverdue([flash(accepted)], [], clock, accepted + 50 * S);
    expect(alarm?.at).toBe(accepted + 50 * S);
    expect(alarm?.message).toMatch(/not acknowledged within 5 min of line time$/);
  });

  it('the terminal console: "past its 5 min deadline"', () => {
    const traffic: TrafficItem[] = [{ kind: 'message', view: flash(accepted) }];
    expect(overdueItems(traffic, clock, accepted + 50 * S - 1)).toEqual([]);
    // 10 real seconds past at 6x: a minute of line time.
    const [o] = overdueItems(traffic, clock, accepted + 60 * S);
    expect(overdueLine(o!, 'en')).toMatch(/: not acknowledged, 1 min 00 s past its 5 min deadline \(line time\)/);
  });
});
