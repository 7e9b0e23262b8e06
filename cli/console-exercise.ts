// The exercise in the terminal console: injects shown as exercise injects from their simulated originator
// (never as traffic from the other station), the exercise's phase and time next to UTC, and the closed line
// after ENDEX. Used by `hotline console` and `hotline listen`.
import type { HotlineClient, TrafficItem } from '../client/client.js';
import type { ExerciseStatus } from '../client/exercise-status.js';
import { injectState, textAndLang, type InjectTexts, type InjectView } from '../client/injects.js';
import { latestState } from '../client/conversation.js';
import { dtg, zuluTime } from '../shared/dtg.js';
import { formatExerciseTime, type Phase } from '../shared/exercise-clock.js';
import type { Lang, Precedence } from '../shared/items.js';
import { stateWords } from './console-states.js';
import { color } from './terminal.js';

/** The mark of every inject, in both languages whatever the station's. */
export const INJECT_MARK = 'EXERCISE INJECT · 演习导调情况';

const PHASE: Record<Phase, string> = { planned: 'PLANNED', running: 'RUNNING', paused: 'PAUSED', ended: 'ENDEX' };

export const PREC_COLOR: Record<Precedence, (s: string) => string> = {
  FLASH: color.red,
  IMMEDIATE: color.yellow,
  PRIORITY: color.cyan,
  ROUTINE: (s) => s,
};

/** The station's language, for an inject's texts. */
export function stationLang(client: HotlineClient): Lang {
  return client.identity.exercise.stations.find((s) => s.id === client.station)?.lang ?? 'en';
}

function texts(t: InjectTexts, lang: Lang): string {
  const first = textAndLang(t, lang);
  const other = t[first.lang === 'zh' ? 'en' : 'zh'];
  return other === undefined || first.lang !== lang ? first.text : `${first.text}\n    ${color.dim(other)}`;
}

export function renderInject(n: number, v: InjectView, lang: Lang): string {
  const from = textAndLang(v.from, lang).text;
  const when = v.exerciseMs === null ? '' : `  ${formatExerciseTime(v.exerciseMs)}`;
  const head = `#${n}  ${PREC_COLOR[v.precedence](v.precedence.padEnd(9))} ${dtg(v.states.accepted)}${when}  ${color.bold(`${INJECT_MARK} from ${from} (simulated)`)}  ${color.green('[verified]')}`;
  const subject = v.subject ? `${color.bold(texts(v.subject, lang))}\n    ` : '';
  const states = (['accepted', 'delivered', 'acknowledged'] as const)
    .map((s) => `${stateWords(true, s)} ${v.states[s] ? zuluTime(v.states[s]) : '—'}`)
    .join(' · ');
  return `${head}\n    ${subject}${texts(v.body, lang)}\n    ${states}${v.ackNote ? `  note: ${v.ackNote}` : ''}`;
}

/** The state a traffic row shows, for telling what changed. */
export function itemState(item: TrafficItem): string {
  return item.kind === 'inject' ? injectState(item.view) : latestState(item.view);
}

/** "RUNNING T+00:12:30 ×6 · 09:12:03Z" */
export function exerciseLine(status: ExerciseStatus, exerciseMs: number | null, now = Date.now()): string {
  const time = exerciseMs === null ? '' : ` ${formatExerciseTime(exerciseMs)}`;
  const x = status.compression !== 1 && exerciseMs !== null ? ` ×${status.compression}` : '';
  return `exercise ${PHASE[status.phase]}${time}${x} · UTC ${new Date(now).toISOString().slice(11, 19)}Z`;
}

/** What the console prints when the exercise changes state. */
export function phaseNotice(client: HotlineClient, status: ExerciseStatus): string {
  const by = status.last && status.last.state === status.phase ? ` (by ${status.last.by})` : '';
  if (status.closed)
    return color.red(
      `=== ENDEX${by}: the exercise has ended; the line is closed. Nothing more can be sent or acknowledged. ===`,
    );
  return color.bold(`=== ${exerciseLine(status, client.exerciseTime())}${by} ===`);
}
