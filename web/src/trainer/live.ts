// The live view of an exercise: both consoles side by side as their operators see them right now,
// presence, every message's states, the injects each station received (as EXERCISE INJECT from their
// simulated originator, with the station's receipts), the exercise's lifecycle changes as markers, alarms
// (verification failures, relay alarms, overdue acknowledgements of messages and injects on the exercise's
// line time, as the consoles count them), a running list of events announced to screen readers as they
// happen, the line's procedures (call requests, link health, translations: line-panel.ts) and the trainer
// notes (controller only). Missed link tests and expired call requests are alarms too.
import type { Applied } from '../../../shared/chain.js';
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import { PRIVATE_KINDS } from '../../../shared/private.js';
import { alarmsSection, announceAlarm } from './alarms-panel.js';
import { consolePanel } from './console-panel.js';
import { liveOverdue } from './deadlines.js';
import { announce, fill, h } from './dom.js';
import { lineSummary } from './line-model.js';
import { linePanel } from './line-panel.js';
import { describeEntry } from './entry-text.js';
import { shortName, zuluTime } from './format.js';
import { notesPanel } from './notes-panel.js';
import { stateMarkers } from './run-clock.js';
import type { ExerciseContext, View } from './view.js';

const MAX_EVENTS = 12;

export function liveView(ctx: ExerciseContext): View {
  const { observer, def } = ctx;
  const name = (s: string) => shortName(def, s);
  const linkLine = h('p', { class: 'link-line', role: 'status' });
  const alarms = alarmsSection('live-alarms');
  const consoles = h('div', { class: 'consoles' });
  const events = h('ol', { class: 'events', reversed: true, 'aria-label': 'Latest log entries, newest first' });
  const notes = notesPanel(ctx);
  const line = linePanel(def, 'live-line');
  const el = h(
    'section',
    { class: 'live', 'aria-labelledby': 'live-title' },
    h('h2', { id: 'live-title', class: 'visually-hidden' }, 'Live view'),
    linkLine,
    alarms.el,
    consoles,
    line.el,
    h(
      'div',
      { class: 'live-lower' },
      h(
        'section',
        { class: 'recent', 'aria-labelledby': 'recent-title' },
        h('h3', { id: 'recent-title' }, 'Latest entries'),
        events,
      ),
      notes.el,
    ),
  );

  const describe = (applied: Applied): string => describeEntry(applied, observer.entryContext);
  /** Exercise time of a moment, once the exercise had started by then. */
  const exerciseTime = (at: string): string | undefined => {
    const ms = observer.chain.clock.exerciseMs(Date.parse(at));
    return ms === null ? undefined : formatExerciseTime(ms);
  };

  const eventLines: HTMLElement[] = [];
  const addEvent = (text: string, at: string, kind: string, idx?: number) => {
    const control = PRIVATE_KINDS[kind as keyof typeof PRIVATE_KINDS] === 'control';
    const tplus = exerciseTime(at);
    eventLines.unshift(
      h(
        'li',
        { class: `event event-${kind}`, ...(idx === undefined ? {} : { 'data-idx': idx }) },
        h('time', { datetime: at }, zuluTime(at)),
        tplus && h('span', { class: 'tplus' }, ` ${tplus}`),
        ' ',
        control && h('span', { class: 'tag tag-control' }, 'CONTROL ONLY'),
        control && ' ',
        text,
        idx !== undefined &&
          h(
            'button',
            {
              type: 'button',
              class: 'link attach-note',
              'aria-label': `Write a note about entry ${idx}`,
              onclick: () => notes.attach(idx),
            },
            'Note',
          ),
      ),
    );
    eventLines.length = Math.min(eventLines.length, MAX_EVENTS);
    fill(events, ...eventLines);
  };

  /** The deadlines missed by `now`, on the clock of the verified log (each message once: its sender's view). */
  const overdueNow = (now: number) => {
    const [a, b] = observer.conversations;
    const sent = [...a.list(), ...b.list()].filter((v) => v.direction === 'out');
    const injects = observer.injects.flatMap((book) => book.list());
    return liveOverdue(sent, injects, observer.chain.clock, now, name);
  };

  let overdueKey = '';
  const announced = new Set<string>();
  const render = () => {
    const now = Date.now();
    const l = observer.link;
    const linkText =
      l.state === 'open'
        ? 'Live: connected to the relay'
        : l.state === 'reconnecting'
          ? `Reconnecting (attempt ${l.attempt})…`
          : l.state === 'connecting'
            ? 'Connecting…'
            : 'Offline';
    const verified = observer.broken
      ? `verification FAILED at entry ${observer.broken.idx ?? '?'}: showing entries 0 to ${observer.lastIdx} only`
      : `${observer.chain.length} entries verified (hash chain and every signature)`;
    linkLine.className = `link-line link-${l.state}${observer.broken ? ' link-broken' : ''}`;
    linkLine.textContent = `${linkText} · ${verified}`;
    const overdue = overdueNow(now);
    overdueKey = overdue.map((o) => o.id).join(',');
    for (const o of overdue) {
      if (announced.has(o.id)) continue;
      announced.add(o.id);
      announceAlarm(o);
    }
    alarms.render([...observer.alarms, ...overdue].sort((x, y) => x.at - y.at));
    const ids = new Set(overdue.map((o) => o.messageId!));
    const ops = [...observer.operators.values()];
    const markers = stateMarkers(observer.chain.clock.transitions);
    fill(
      consoles,
      ...def.stations.map((station, side) =>
        consolePanel({
          def,
          station,
          side,
          messages: observer.conversations[side]!.list(),
          online: observer.online.get(station.id) ?? false,
          operators: ops.filter((o) => o.station === station.id),
          overdue: ids,
          deadlines: { clock: observer.chain.clock, now },
          injects: observer.injects[side]!.list(),
          markers,
          exerciseTime,
          line: observer.chain.line,
        }),
      ),
    );
    line.render(lineSummary(observer.chain.line, def, now));
  };

  let frame = 0;
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  };

  const offs = [
    observer.on('update', schedule),
    observer.on('entry', ({ applied, caughtUp }) => {
      const { entry } = applied;
      const text = describe(applied);
      addEvent(text, entry.at, entry.kind, entry.idx);
      // Link tests and their replies come every interval and say nothing new: shown, not read out (a miss is
      // an alarm, announced as one).
      if (caughtUp && entry.kind !== 'link-test' && entry.kind !== 'link-reply') announce(text);
    }),
    observer.on('presence', ({ station, online }) => {
      const text = `${name(station)} console ${online ? 'came online' : 'went offline'}`;
      addEvent(text, new Date().toISOString(), 'presence');
      announce(text);
    }),
    observer.on('alarm', (a) => announceAlarm(a)),
  ];
  // Overdue alarms arise with the passing of time alone: look again every second (at 60x a FLASH is due
  // 10 s after it was logged).
  const timer = setInterval(() => {
    const now = Date.now();
    const fresh = overdueNow(now);
    if (fresh.map((o) => o.id).join(',') !== overdueKey) render();
    // The call windows count down on line time.
    else line.render(lineSummary(observer.chain.line, def, now));
  }, 1_000);
  for (const r of observer.records.slice(-MAX_EVENTS)) addEvent(describe(r), r.entry.at, r.entry.kind, r.entry.idx);
  render();

  return {
    el,
    destroy() {
      for (const off of offs) off();
      clearInterval(timer);
      cancelAnimationFrame(frame);
      notes.destroy?.();
    },
  };
}
