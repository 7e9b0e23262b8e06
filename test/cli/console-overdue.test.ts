// The terminal console's overdue lines (cli/console-overdue.ts) on a test clock: PRIORITY (3 h) and ROUTINE
// (6 h) are too long for a test against a real relay, so they are driven here by the exercise clock and a
// chosen `now`. Each overdue item is said once, without the bell for PRIORITY and ROUTINE, and counted.
import { describe, expect, it } from 'vitest';
import type { TrafficItem } from '../../client/client.js';
import type { MessageView } from '../../client/conversation.js';
import type { InjectView } from '../../client/injects.js';
import { ExerciseClock } from '../../shared/exercise-clock.js';
import type { Precedence } from '../../shared/items.js';
import { overdueItems, overdueLine, OverdueWatch } from '../../cli/console-overdue.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const MIN = 60_000;
const H = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

function message(id: string, precedence: Precedence, accepted: number, direction: 'in' | 'out' = 'in'): TrafficItem {
  const view: MessageView = {
    id,
    idx: 3,
    direction,
    from: 'washington',
    to: 'beijing',
    precedence,
    lang: 'en',
    subject: 'Line check',
    body: 'x',
    classification: '',
    sentAt: iso(accepted),
    seq: 0,
    kid: 'k',
    verified: true,
    states: { accepted: iso(accepted) },
  };
  return { kind: 'message', view };
}

function inject(id: string, precedence: Precedence, accepted: number): TrafficItem {
  const view: InjectView = {
    id,
    inject: 'INJ-07',
    to: 'beijing',
    from: { zh: '东部战区', en: 'Eastern Theater Command' },
    precedence,
    subject: { zh: '例行通报', en: 'Routine report' },
    body: { zh: '无异常。' },
    idx: 4,
    hash: 'h4',
    exerciseMs: 0,
    states: { accepted: iso(accepted) },
  };
  return { kind: 'inject', view };
}

describe('terminal console: overdue lines', () => {
  it('says a PRIORITY message overdue at 3 h and a ROUTINE inject at 6 h of line time, once each, without the bell', () => {
    const clock = new ExerciseClock(); // before STARTEX: line time is real time
    const traffic = [
      message('m1', 'PRIORITY', T0),
      inject('i1', 'ROUTINE', T0 + MIN),
      message('m2', 'ROUTINE', T0, 'out'),
    ];
    const watch = new OverdueWatch(clock);

    expect(watch.fresh(traffic, T0 + 3 * H - 1)).toEqual([]);
    const first = watch.fresh(traffic, T0 + 3 * H + 90_000);
    expect(first.map((o) => [o.item.view.id, o.n, o.pastMs])).toEqual([['m1', 1, 90_000]]);
    expect(overdueLine(first[0]!, 'zh')).toBe(
      'OVERDUE #1 PRIORITY from washington “Line check”: not acknowledged, 1 min 30 s past its 3 h deadline (line time); /ack 1',
    );
    expect(watch.fresh(traffic, T0 + 4 * H)).toEqual([]);
    expect(watch.count(traffic, T0 + 4 * H)).toBe(1);

    const later = watch.fresh(traffic, T0 + MIN + 6 * H + 5_000);
    expect(later.map((o) => o.item.view.id)).toEqual(['i1']);
    // The inject's subject in the station's language; no bell: ROUTINE does not interrupt.
    expect(overdueLine(later[0]!, 'zh')).toBe(
      'OVERDUE #2 ROUTINE exercise inject “例行通报”: not acknowledged, 5.00 s past its 6 h deadline (line time); /ack 2',
    );
    // Own outgoing messages are the other side's to acknowledge.
    expect(watch.count(traffic, T0 + 24 * H)).toBe(2);
  });

  it('rings the bell for FLASH and IMMEDIATE, counts on line time, and forgets nothing acknowledged', () => {
    const clock = new ExerciseClock();
    clock.apply({ at: T0, idx: 1, state: 'running', compression: 6, by: 'Control' });
    const flash = inject('i1', 'FLASH', T0);
    const priority = message('m1', 'PRIORITY', T0);
    // At 6x a FLASH is due 100 s after it was logged, a PRIORITY 30 min after.
    expect(overdueItems([flash, priority], clock, T0 + 99_999)).toEqual([]);
    const [o] = overdueItems([flash, priority], clock, T0 + 110_000);
    expect(overdueLine(o!, 'en')).toBe(
      '\u0007!!! OVERDUE #1 FLASH exercise inject “Routine report”: not acknowledged, 1 min 00 s past its 10 min deadline (line time); /ack 1',
    );
    expect(overdueItems([flash, priority], clock, T0 + 30 * MIN).map((x) => x.item.view.id)).toEqual(['i1', 'm1']);
    // Acknowledged, even late: no longer awaiting, so not counted (the late acknowledgement is the report's).
    flash.view.states.acknowledged = iso(T0 + 20 * MIN);
    expect(overdueItems([flash, priority], clock, T0 + 30 * MIN).map((x) => x.item.view.id)).toEqual(['m1']);
    // Paused: the PRIORITY's remaining line time stands still.
    clock.apply({ at: T0 + 20 * MIN, idx: 2, state: 'paused', compression: 6, by: 'Control' });
    expect(overdueItems([priority], clock, T0 + 10 * H)).toEqual([]);
  });
});
