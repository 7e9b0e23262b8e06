// The exercise's live Response times tab: the figures from the verified log so far, drawn again when an
// entry arrives and when the next unacknowledged message's deadline falls due. A message becomes overdue by
// the passing of line time alone (at 60x a FLASH is due 10 s after it was logged), so waiting for the next
// entry would show it late, or never on a quiet line; the live alarms look every second, this tab wakes
// exactly when something can change, and sleeps while the clock stands still (paused, ended).
import { fill, h } from './dom.js';
import { nextOverdueAt } from './response-times.js';
import { responseTimesView, type ResponseTimesView } from './response-view.js';
import type { ExerciseContext, View } from './view.js';

/** Entries come in bursts (catching up, a receipt right after its message): draw once they settle. */
const SETTLE_MS = 400;
/** Past the deadline by this much, so that the row is judged overdue when the timer fires. */
const PAST_DUE_MS = 50;
/** setTimeout's longest delay (about 24.8 days); a ROUTINE deadline paused at 1x never comes near it. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export function responsesTab(ctx: ExerciseContext): View {
  const host = h('div', {});
  let current: ResponseTimesView | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let due: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    clearTimeout(due);
    current?.destroy?.();
    const clock = ctx.observer.chain.clock;
    const now = Date.now();
    current = responseTimesView(
      ctx.def,
      ctx.observer.records,
      now,
      `Live figures from the verified log so far (${ctx.observer.chain.length} entries); unacknowledged messages are judged against the current time.`,
      clock,
    );
    fill(host, current.el);
    const next = nextOverdueAt(current.rows, clock);
    if (next !== undefined) due = setTimeout(render, Math.min(Math.max(0, next - now) + PAST_DUE_MS, MAX_DELAY_MS));
  };
  const off = ctx.observer.on('entry', () => {
    clearTimeout(settle);
    settle = setTimeout(render, SETTLE_MS);
  });
  render();
  return {
    el: host,
    destroy() {
      off();
      clearTimeout(settle);
      clearTimeout(due);
      current?.destroy?.();
    },
  };
}
