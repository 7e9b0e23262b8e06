// The replay player: plays a verified log on a timeline (play, pause, 1x to 64x, seek by dragging or by
// clicking a marker, previous/next event, idle stretches collapsed or skipped) and shows both consoles
// exactly as they looked at that moment, with the alarms that stood then. Keyboard: Space play/pause,
// arrows seek (Shift: previous/next event), + and - change speed, Home/End, I toggles idle skipping.
import { PRECEDENCES, type ExerciseDef } from '../../../shared/items.js';
import { alarmsSection } from './alarms-panel.js';
import { consolePanel } from './console-panel.js';
import { h, fill, select, field } from './dom.js';
import { dtg, elapsed, precedenceClass, zuluTime } from './format.js';
import { ReplayModel, type ReplaySnapshot } from './replay-model.js';
import { timelineBar } from './timeline-bar.js';
import type { VerifiedLog } from './verified-log.js';
import type { View } from './view.js';

export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;
const STEP_MS = 10_000;

function iso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}

export function replayPlayer(def: ExerciseDef, log: VerifiedLog): View {
  const model = new ReplayModel(def, log.records);
  const tl = model.timeline;
  let skipIdle = true;
  let speedIdx = 0;
  let pos = 0;
  let playing = false;
  let raf = 0;
  let lastTs: number | undefined;
  let shownKey = '';

  const playBtn = h('button', { type: 'button', class: 'primary play', 'aria-keyshortcuts': 'Space' }, 'Play');
  const speedSel = select(
    SPEEDS.map((s) => [String(s), `${s}x`] as [string, string]),
    '1',
    { id: 'replay-speed', 'aria-keyshortcuts': '+ -' },
  );
  const skipBox = h('input', { type: 'checkbox', id: 'replay-skip-idle', checked: true, 'aria-keyshortcuts': 'I' });
  const readout = h('p', { class: 'readout', id: 'replay-clock' });
  const stateLine = h('p', { class: 'replay-state', role: 'status', 'aria-live': 'polite' });
  const bar = timelineBar(
    model,
    (p) => seek(p),
    (m) => seekTime(m.t),
  );
  const alarms = alarmsSection('replay-alarms');
  const consoles = h('div', { class: 'consoles' });
  const eventsList = h('ol', { class: 'event-index' });
  for (const m of model.markers) {
    eventsList.append(
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => seekTime(m.t) }, m.label)),
    );
  }

  const controls = h(
    'div',
    { class: 'controls', role: 'group', 'aria-label': 'Replay controls' },
    h('button', { type: 'button', onclick: () => seek(0), 'aria-keyshortcuts': 'Home' }, '⇤ Start'),
    h(
      'button',
      { type: 'button', onclick: () => jumpEvent(-1), 'aria-keyshortcuts': 'Shift+ArrowLeft' },
      '◀ Previous event',
    ),
    playBtn,
    h(
      'button',
      { type: 'button', onclick: () => jumpEvent(1), 'aria-keyshortcuts': 'Shift+ArrowRight' },
      'Next event ▶',
    ),
    h('button', { type: 'button', class: 'skip-idle', onclick: () => skipStretch() }, 'Skip idle stretch ⇥'),
    field('Speed', speedSel),
    h(
      'div',
      { class: 'check' },
      skipBox,
      h(
        'label',
        { for: 'replay-skip-idle' },
        `Collapse idle stretches (> ${Math.round(tl.options.idleThresholdMs / 1000)} s)`,
      ),
    ),
  );
  const shortcuts = h(
    'details',
    { class: 'shortcuts' },
    h('summary', {}, 'Keyboard shortcuts'),
    h(
      'dl',
      {},
      ...[
        ['Space', 'play / pause'],
        ['← / →', `seek ${STEP_MS / 1000} s back / forward`],
        ['Shift + ← / →', 'previous / next event'],
        ['+ / −', 'faster / slower (1x to 64x)'],
        ['Home / End', 'start / end of the log'],
        ['I', 'collapse idle stretches on / off'],
      ].flatMap(([k, v]) => [h('dt', {}, h('kbd', {}, k!)), h('dd', {}, v!)]),
    ),
  );
  const el = h(
    'section',
    { class: 'player', 'aria-labelledby': 'player-title', tabindex: -1, id: 'player' },
    h('h3', { id: 'player-title' }, 'Player'),
    controls,
    readout,
    bar.el,
    h(
      'p',
      { class: 'legend', 'aria-hidden': 'true' },
      ...PRECEDENCES.map((p) => h('span', { class: `key ${precedenceClass(p)}` }, p)),
      h('span', { class: 'key kind-delivered' }, 'delivered'),
      h('span', { class: 'key kind-acknowledged' }, 'acknowledged'),
      h('span', { class: 'key kind-enrolment' }, 'enrolment'),
      h('span', { class: 'key kind-overdue' }, 'alarm'),
    ),
    shortcuts,
    stateLine,
    alarms.el,
    h(
      'p',
      { class: 'muted note' },
      'Each console is shown as its operator saw it at this moment: only entries logged by then, with their states. Presence is not logged, so the enrolled devices are shown instead.',
    ),
    consoles,
    h(
      'details',
      { class: 'event-details' },
      h('summary', {}, `All ${model.markers.length} events (select one to seek to it)`),
      eventsList,
    ),
  );

  const now = () => tl.time(pos, skipIdle);

  function render(force = false): void {
    const t = now();
    const snap: ReplaySnapshot = model.stateAt(t);
    const text = `${zuluTime(iso(t))}, ${elapsed(t - model.start)}`;
    bar.show(pos, text);
    const idle = tl.idleAt(t);
    fill(
      readout,
      h('span', { class: 'dtg' }, dtg(iso(t))),
      h('span', { class: 'zulu' }, zuluTime(iso(t))),
      h('span', { class: 'elapsed' }, elapsed(t - model.start)),
      h('span', { class: 'speed' }, `${SPEEDS[speedIdx]}x ${playing ? 'playing' : 'paused'}`),
      h('span', { class: 'count' }, `${snap.count} of ${model.records.length} entries`),
      idle ? h('span', { class: 'idle-note' }, 'idle stretch') : undefined,
    );
    const key = `${snap.count}|${snap.alarms.map((a) => a.id).join(',')}`;
    if (!force && key === shownKey) return;
    shownKey = key;
    alarms.render(snap.alarms);
    const overdue = new Set(snap.alarms.filter((a) => a.kind === 'overdue').map((a) => a.messageId!));
    fill(
      consoles,
      ...snap.consoles.map((c, side) =>
        consolePanel({ def, station: c.station, side, messages: c.messages, operators: c.operators, overdue }),
      ),
    );
  }

  function announceState(): void {
    const t = now();
    stateLine.textContent = `${playing ? 'Playing' : 'Paused'} at ${speedSel.value}x, ${zuluTime(iso(t))} (${elapsed(t - model.start)}), ${model.countAt(t)} of ${model.records.length} entries.`;
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
    playBtn.textContent = on ? 'Pause' : 'Play';
    playBtn.setAttribute('aria-pressed', String(on));
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
    speedSel.value = String(SPEEDS[speedIdx]);
    render();
    announceState();
  }

  function setSkip(on: boolean): void {
    const t = now();
    skipIdle = on;
    skipBox.checked = on;
    bar.layout(skipIdle);
    pos = tl.position(t, skipIdle);
    render();
  }

  playBtn.addEventListener('click', () => setPlaying(!playing));
  speedSel.addEventListener('change', () =>
    setSpeed(SPEEDS.indexOf(Number(speedSel.value) as (typeof SPEEDS)[number])),
  );
  skipBox.addEventListener('change', () => setSkip(skipBox.checked));

  const onKey = (ev: KeyboardEvent) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !el.isConnected) return;
    const target = ev.target as HTMLElement | null;
    const tag = target?.tagName;
    const typing =
      tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && (target as HTMLInputElement).type !== 'range');
    if (typing) return;
    if (ev.key === ' ' && tag === 'BUTTON') return; // Space presses the focused button.
    const step = ev.shiftKey ? 0 : STEP_MS;
    switch (ev.key) {
      case ' ':
        setPlaying(!playing);
        break;
      case 'ArrowLeft':
        if (ev.shiftKey) jumpEvent(-1);
        else seekTime(now() - step);
        break;
      case 'ArrowRight':
        if (ev.shiftKey) jumpEvent(1);
        else seekTime(now() + step);
        break;
      case '+':
      case '=':
        setSpeed(speedIdx + 1);
        break;
      case '-':
      case '_':
        setSpeed(speedIdx - 1);
        break;
      case 'Home':
        seek(0);
        break;
      case 'End':
        seek(tl.duration(skipIdle));
        break;
      case 'i':
      case 'I':
        setSkip(!skipIdle);
        break;
      default:
        return;
    }
    ev.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  bar.layout(skipIdle);
  render(true);
  announceState();
  return {
    el,
    destroy() {
      playing = false;
      cancelAnimationFrame(raf);
      document.removeEventListener('keydown', onKey);
    },
  };
}
