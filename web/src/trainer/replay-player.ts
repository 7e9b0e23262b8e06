// The replay player: plays a verified log on a scrubber (play, pause, 1x to 64x, seek by dragging or by
// clicking a marker, previous/next event, idle stretches collapsed or skipped) and shows both consoles
// exactly as they looked at that moment, injects, call requests and translations included, with the
// exercise clock, the line's procedures and the alarms that stood then. The consoles come first; the
// verification statement, alarms, line procedures and event list sit in a drawer.
import './replay.css';
import { formatExerciseTime } from '../../../shared/exercise-clock.js';
import type { ExerciseDef } from '../../../shared/items.js';
import { alarmsSection } from './alarms-panel.js';
import { h, fill } from './dom.js';
import { zuluTime } from './format.js';
import { playerKeys, shortcutsHelp } from './replay-keys.js';
import { replayConsole, stateText } from './replay-console.js';
import { replayLayout } from './replay-layout.js';
import { legend } from './replay-legend.js';
import { linePanel } from './line-panel.js';
import { ReplayModel, type ReplaySnapshot } from './replay-model.js';
import { replayToolbar, SPEEDS } from './replay-toolbar.js';
import { timelineBar } from './timeline-bar.js';
import type { VerifiedLog } from './verified-log.js';
import type { View } from './view.js';

function iso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}

/** `aside` goes into the drawer first: the screens pass the verification statement. */
export function replayPlayer(def: ExerciseDef, log: VerifiedLog, aside: readonly Node[] = []): View {
  const model = new ReplayModel(def, log.records);
  const tl = model.timeline;
  let skipIdle = true;
  let speedIdx = 0;
  let pos = 0;
  let playing = false;
  let raf = 0;
  let lastTs: number | undefined;
  let shownKey = '';

  const toolbar = replayToolbar(tl.options.idleThresholdMs, {
    start: () => seek(0),
    jumpEvent: (dir) => jumpEvent(dir),
    togglePlay: () => setPlaying(!playing),
    skipStretch: () => skipStretch(),
    speed: (idx) => setSpeed(idx),
    skipIdle: (on) => setSkip(on),
  });
  const stateLine = h('p', { class: 'replay-state visually-hidden', role: 'status', 'aria-live': 'polite' });
  const bar = timelineBar(
    model,
    (p) => seek(p),
    (m) => seekTime(m.t),
  );
  const alarms = alarmsSection('replay-alarms');
  const line = linePanel(def, 'replay-line');
  const consoles = h('div', { class: 'consoles' });
  const eventsList = h('ol', { class: 'event-index' });
  for (const m of model.markers) {
    eventsList.append(
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => seekTime(m.t) }, m.label)),
    );
  }
  const layout = replayLayout(consoles, [
    ...aside,
    alarms.el,
    line.el,
    h(
      'details',
      { class: 'event-details' },
      h('summary', {}, `All ${model.markers.length} events (select one to seek to it)`),
      eventsList,
    ),
    legend(),
    shortcutsHelp(),
    h(
      'p',
      { class: 'muted note' },
      'Each console is shown as its operator saw it at this moment: only entries logged by then, with their states; an inject in full on the console it was addressed to, and on the other only as the private entry it received. Trainer notes are on the timeline only. Presence is not logged, so the enrolled devices are shown instead.',
    ),
  ]);

  const el = h(
    'section',
    { class: 'player', 'aria-labelledby': 'player-title', tabindex: -1, id: 'player' },
    h(
      'div',
      { class: 'player-bar' },
      h('div', { class: 'player-top' }, h('h3', { id: 'player-title' }, 'Player'), toolbar.controls, layout.toggle),
      toolbar.readout,
      bar.el,
      stateLine,
    ),
    layout.body,
  );

  const now = () => tl.time(pos, skipIdle);
  const exerciseTime = (at: string) => {
    const ms = model.exerciseAt(Date.parse(at));
    return ms === null ? undefined : formatExerciseTime(ms);
  };
  const clockText = (t: number) => {
    const ms = model.exerciseAt(t);
    return `${zuluTime(iso(t))}, ${ms === null ? 'before STARTEX' : `exercise time ${formatExerciseTime(ms)}`}`;
  };

  function render(force = false): void {
    const t = now();
    const snap: ReplaySnapshot = model.stateAt(t);
    bar.show(pos, clockText(t));
    toolbar.show(snap, {
      total: model.records.length,
      speed: SPEEDS[speedIdx]!,
      playing,
      idle: tl.idleAt(t) !== undefined,
    });
    line.render(snap.line);
    const key = `${snap.count}|${snap.phase}|${snap.alarms.map((a) => a.id).join(',')}`;
    if (!force && key === shownKey) {
      for (const span of consoles.querySelectorAll('.ex-state'))
        span.textContent = stateText(snap.phase, snap.exerciseMs);
      return;
    }
    shownKey = key;
    alarms.render(snap.alarms);
    const overdue = new Set(snap.alarms.filter((a) => a.kind === 'overdue').map((a) => a.messageId!));
    fill(
      consoles,
      ...snap.consoles.map((c, side) =>
        replayConsole({
          def,
          station: c.station,
          side,
          messages: c.messages,
          injects: c.injects,
          passages: c.passages,
          operators: c.operators,
          overdue,
          deadlines: { clock: model.clock, now: t, asOf: t },
          transitions: model.clock.transitions.filter((x) => x.idx <= snap.lastIdx),
          phase: snap.phase,
          exerciseMs: snap.exerciseMs,
          exerciseTime,
          line: snap.lineBook,
        }),
      ),
    );
    // Like a console, each shows its newest entry.
    for (const list of consoles.querySelectorAll('ol.messages')) list.scrollTop = list.scrollHeight;
  }

  function announceState(): void {
    const t = now();
    stateLine.textContent = `${playing ? 'Playing' : 'Paused'} at ${SPEEDS[speedIdx]}x, ${clockText(t)}, ${model.countAt(t)} of ${model.records.length} entries.`;
  }

  function tick(ts: number): void {
    if (!playing) return;
    if (lastTs !== undefined) pos += (ts - lastTs) * SPEEDS[speedIdx]!;
    lastTs = ts;
    const end = tl.duration(skipIdle);
    if (pos >= end) {
      pos = end;
      setPlaying(false);
    }
    render();
    if (playing) raf = requestAnimationFrame(tick);
  }

  function setPlaying(on: boolean): void {
    if (on && pos >= tl.duration(skipIdle)) pos = 0;
    playing = on;
    toolbar.setPlaying(on);
    el.classList.toggle('is-playing', on);
    cancelAnimationFrame(raf);
    lastTs = undefined;
    if (on) raf = requestAnimationFrame(tick);
    render();
    announceState();
  }

  function seek(p: number): void {
    pos = Math.min(Math.max(0, p), tl.duration(skipIdle));
    lastTs = undefined;
    render();
    if (!playing) announceState();
  }

  function seekTime(t: number): void {
    seek(tl.position(t, skipIdle));
  }

  function jumpEvent(dir: 1 | -1): void {
    const t = now();
    const next = dir > 0 ? tl.nextEvent(t) : tl.previousEvent(t);
    if (next !== undefined) seekTime(next);
  }

  function skipStretch(): void {
    const t = now();
    const stretch = tl.idleAt(t);
    const next = stretch ? stretch.to : tl.nextEvent(t);
    if (next !== undefined) seekTime(next);
  }

  function setSpeed(idx: number): void {
    speedIdx = Math.min(Math.max(0, idx), SPEEDS.length - 1);
    toolbar.setSpeed(speedIdx);
    render();
    announceState();
  }

  function setSkip(on: boolean): void {
    const t = now();
    skipIdle = on;
    toolbar.setSkipIdle(on);
    bar.layout(skipIdle);
    pos = tl.position(t, skipIdle);
    render();
  }

  const stopKeys = playerKeys(el, {
    togglePlay: () => setPlaying(!playing),
    seekBy: (ms) => seekTime(now() + ms),
    jumpEvent,
    speed: (d) => setSpeed(speedIdx + d),
    home: () => seek(0),
    end: () => seek(tl.duration(skipIdle)),
    toggleIdle: () => setSkip(!skipIdle),
    toggleDrawer: () => layout.setOpen(!layout.open),
  });

  bar.layout(skipIdle);
  render(true);
  announceState();
  // Sized once the player is in the page (the screens append it right after this returns).
  requestAnimationFrame(() => layout.fit());
  return {
    el,
    destroy() {
      playing = false;
      cancelAnimationFrame(raf);
      stopKeys();
      layout.destroy();
    },
  };
}
