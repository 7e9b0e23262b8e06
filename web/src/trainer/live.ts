// The live view of an exercise: both consoles side by side as their operators see them right now,
// presence, every message's states, alarms (verification failures, relay alarms, overdue acknowledgements
// against the wall clock) and a running list of events, announced to screen readers as they happen.
import type { Applied } from '../../../shared/chain.js';
import { alarmsSection, announceAlarm } from './alarms-panel.js';
import { consolePanel } from './console-panel.js';
import { overdueAlarms } from './deadlines.js';
import { announce, fill, h } from './dom.js';
import { dataText, shortName, zuluTime } from './format.js';
import type { ExerciseContext, View } from './view.js';

const MAX_EVENTS = 12;

export function liveView(ctx: ExerciseContext): View {
  const { observer, def } = ctx;
  const name = (s: string) => shortName(def, s);
  const linkLine = h('p', { class: 'link-line', role: 'status' });
  const alarms = alarmsSection('live-alarms');
  const consoles = h('div', { class: 'consoles' });
  const events = h('ol', { class: 'events', reversed: true, 'aria-label': 'Latest log entries, newest first' });
  const el = h(
    'section',
    { class: 'live', 'aria-labelledby': 'live-title' },
    h('h2', { id: 'live-title', class: 'visually-hidden' }, 'Live view'),
    linkLine,
    alarms.el,
    consoles,
    h(
      'section',
      { class: 'recent', 'aria-labelledby': 'recent-title' },
      h('h3', { id: 'recent-title' }, 'Latest entries'),
      events,
    ),
  );

  /** One line per log entry, as a trainer reads it. */
  const describe = ({ entry, item }: Applied): string => {
    if (item?.payload.type === 'message') {
      const p = item.payload;
      return `${p.precedence} message ${name(p.from)} → ${name(p.to)}${p.subject ? ` “${p.subject}”` : ''} (entry ${entry.idx})`;
    }
    if (item?.payload.type === 'receipt') {
      const p = item.payload;
      const ref = observer.conversations[0].messages.get(p.ref);
      return `${name(p.from)} ${p.kind === 'acknowledged' ? 'acknowledged' : 'confirmed delivery of'} ${ref ? `${ref.precedence} ` : ''}message of entry ${ref?.idx ?? '?'}`;
    }
    const d = entry.data ?? {};
    if (entry.kind === 'key-enrolled')
      return `console enrolled for ${name(String(d['station']))}: ${String(d['operator'])} (entry ${entry.idx})`;
    if (entry.kind === 'key-revoked') return `key ${String(d['kid'])} revoked (entry ${entry.idx})`;
    if (entry.kind === 'exercise-created') return `exercise created (entry ${entry.idx})`;
    if (entry.kind === 'alarm') return `relay alarm ${dataText(d, 'code')} (entry ${entry.idx})`;
    return `${entry.kind} (entry ${entry.idx})`;
  };

  const eventLines: HTMLElement[] = [];
  const addEvent = (text: string, at: string, kind: string) => {
    eventLines.unshift(h('li', { class: `event event-${kind}` }, h('time', { datetime: at }, zuluTime(at)), ' ', text));
    eventLines.length = Math.min(eventLines.length, MAX_EVENTS);
    fill(events, ...eventLines);
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
    const [a, b] = observer.conversations;
    const sent = [...a.list(), ...b.list()].filter((v) => v.direction === 'out');
    const overdue = overdueAlarms(sent, now, name);
    overdueKey = overdue.map((o) => o.id).join(',');
    for (const o of overdue) {
      if (announced.has(o.id)) continue;
      announced.add(o.id);
      announceAlarm(o);
    }
    alarms.render([...observer.alarms, ...overdue].sort((x, y) => x.at - y.at));
    const ids = new Set(overdue.map((o) => o.messageId!));
    const ops = [...observer.operators.values()];
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
        }),
      ),
    );
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
      addEvent(text, entry.at, entry.kind);
      if (caughtUp) announce(text);
    }),
    observer.on('presence', ({ station, online }) => {
      const text = `${name(station)} console ${online ? 'came online' : 'went offline'}`;
      addEvent(text, new Date().toISOString(), 'presence');
      announce(text);
    }),
    observer.on('alarm', (a) => announceAlarm(a)),
  ];
  // Overdue alarms arise with the passing of time alone: look again every few seconds.
  const timer = setInterval(() => {
    const [a, b] = observer.conversations;
    const sent = [...a.list(), ...b.list()].filter((v) => v.direction === 'out');
    const fresh = overdueAlarms(sent, Date.now(), name);
    if (fresh.map((o) => o.id).join(',') !== overdueKey) render();
  }, 2_000);
  for (const r of observer.records.slice(-MAX_EVENTS)) addEvent(describe(r), r.entry.at, r.entry.kind);
  render();

  return {
    el,
    destroy() {
      for (const off of offs) off();
      clearInterval(timer);
      cancelAnimationFrame(frame);
    },
  };
}
