// One exercise: its classification banner, a header row with its title, the tabs Run, Live, Replay,
// Response times, Enrolment and its actions (export, after-action report), and the state bar (phase, clock,
// lifecycle controls). The live feed (observer) and the RunState run for as long as the exercise is open,
// whichever tab shows.
import type { SocketLike } from '../../../client/connection.js';
import type { TrainerApi } from '../../../client/trainer-api.js';
import type { Session } from './auth.js';
import { h, fill } from './dom.js';
import { enrolmentView } from './enrolment.js';
import { exportButton } from './export-button.js';
import { classificationClass } from '../common/format.js';
import { markingText, shortName } from './format.js';
import { liveView } from './live.js';
import { Observer } from './observer.js';
import { runBar } from './run-bar.js';
import { RunModel } from './run-model.js';
import { runView } from './run-tab.js';
import { exerciseReplayView } from './replay-screens.js';
import { responsesTab } from './response-tab.js';
import type { ExerciseContext, View } from './view.js';

export const TABS = [
  ['run', 'Run'],
  ['live', 'Live'],
  ['replay', 'Replay'],
  ['responses', 'Response times'],
  ['enrolment', 'Enrolment & keys'],
] as const;
export type Tab = (typeof TABS)[number][0];

export interface ExercisePage extends View {
  id: string;
  show(tab: Tab): void;
}

export async function exercisePage(api: TrainerApi, session: Session, id: string): Promise<ExercisePage> {
  const detail = await api.exercise(id);
  const def = detail.def;
  // The live view fails over to the other relays of the log (its token opens every one of them); the page's
  // own relay first. A relay that names none (or cannot say) leaves the page's relay alone.
  const named = await api.relayInfo().then(
    (r) => (Array.isArray(r.relays) ? r.relays : []),
    () => [],
  );
  const observer = new Observer(
    def,
    () => session.token,
    [...new Set([location.origin, ...named])],
    (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
  );
  const run = new RunModel(def.id, api);
  const ctx: ExerciseContext = { def, detail, api, session, observer, run };
  observer.on('fatal', (err) => {
    if (err.code === 'UNAUTHORIZED') session.signOut('The relay refused the trainer token. Sign in again.');
  });
  // A lifecycle, scenario or inject entry on the stream means the RunState changed: read it again.
  observer.on('entry', ({ applied, caughtUp }) => {
    if (caughtUp) run.sawEntry(applied.entry.kind);
  });
  observer.start();
  run.start();
  const bar = runBar(ctx);

  const tabLinks = new Map<Tab, HTMLAnchorElement>();
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Exercise views' });
  for (const [tab, label] of TABS) {
    const a = h('a', { href: `#/exercises/${def.id}/${tab}` }, label);
    tabLinks.set(tab, a);
    nav.append(a);
  }
  const body = h('div', { class: 'tab-body' });
  const el = h(
    'div',
    { class: 'exercise-page' },
    h('p', { class: `classification ${classificationClass(def.classification)}` }, markingText(def.classification)),
    // Title, tabs and the exercise's own actions share one row, and the state bar takes one more, so a tab
    // keeps the window's height (the replay's consoles and scrubber fit at 1366x800 without scrolling).
    h(
      'header',
      { class: 'exercise-head' },
      h(
        'div',
        { class: 'exercise-title' },
        h('h1', { tabindex: -1 }, def.title),
        h(
          'p',
          { class: 'exercise-meta muted' },
          `Exercise ${def.id} · ${def.stations.map((s) => `${shortName(def, s.id)} (${s.lang})`).join(' ⇄ ')}`,
        ),
      ),
      nav,
      h(
        'div',
        { class: 'exercise-actions' },
        exportButton(api, def.id),
        // The report page (web/report.html) verifies the export in this tab, with this tab's session.
        h(
          'a',
          { class: 'report-link button-link', href: `/trainer/report?exercise=${encodeURIComponent(def.id)}` },
          h('span', { 'aria-hidden': 'true' }, '▤ '),
          'After-action report',
        ),
      ),
    ),
    bar.el,
    body,
  );

  let current: View | undefined;
  let shown: Tab | undefined;
  return {
    id,
    el,
    show(tab) {
      if (tab === shown) return;
      shown = tab;
      current?.destroy?.();
      for (const [t, a] of tabLinks) {
        if (t === tab) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
      current =
        tab === 'run'
          ? runView(ctx)
          : tab === 'live'
            ? liveView(ctx)
            : tab === 'replay'
              ? exerciseReplayView(ctx, api)
              : tab === 'responses'
                ? responsesTab(ctx)
                : enrolmentView(ctx);
      fill(body, current.el);
      document.title = `${TABS.find(([t]) => t === tab)![1]} · ${def.title} · Hotline trainer`;
    },
    destroy() {
      current?.destroy?.();
      bar.destroy?.();
      run.stop();
      observer.stop();
    },
  };
}
