// What an enrolment code enrols, shown before it is used: the exercise (title, id, classification), the
// station (its name in the console's language, its working language), until when the code is valid, and,
// when the link asks for it, that the device enrols as a translator.
// The look-up (POST /v1/enrol/preview) does not use the code; the code goes in the POST body, never a URL.
import { previewEnrolment } from '../../../client/identity.js';
import { markingText } from '../../../shared/classification.js';
import { HotlineError, isErrorCode } from '../../../shared/errors.js';
import type { EnrolPreview } from '../../../shared/http-api.js';
import { LANG_NAMES, stationName } from '../../../shared/stations.js';
import { h } from '../common/dom.js';
import { classificationClass, utcTime } from '../common/format.js';
import { errorText, lang, t } from './i18n.js';

export type PreviewState =
  | { status: 'looking'; code: string }
  | { status: 'found'; code: string; preview: EnrolPreview }
  | { status: 'refused'; code: string; error: unknown };

/** Looks a code up; never throws: a refusal is a state to show. */
export async function lookUp(code: string): Promise<PreviewState> {
  try {
    return { status: 'found', code, preview: await previewEnrolment({ url: location.origin, code }) };
  } catch (error) {
    return { status: 'refused', code, error };
  }
}

/** True when the relay refused the code itself (unknown, used, expired), not the look-up. */
export function codeRefused(state: PreviewState): boolean {
  return (
    state.status === 'refused' && state.error instanceof HotlineError && state.error.code.startsWith('ENROLMENT_CODE')
  );
}

export function previewPanel(state: PreviewState, role?: 'translator'): HTMLElement {
  const box = (...content: (Node | string | null)[]) =>
    h(
      'section',
      { class: 'panel enrol-preview', 'data-testid': 'enrol-preview', 'data-status': state.status },
      ...content,
    );
  if (state.status === 'looking') return box(h('p', { class: 'hint', role: 'status' }, t('previewLooking')));
  if (state.status === 'refused') {
    const e = state.error;
    const why = e instanceof HotlineError && isErrorCode(e.code) ? `${errorText(e.code)} (${e.code})` : String(e);
    return box(h('p', { class: 'form-error', role: 'alert' }, `${t('previewFailed')}: ${why}`));
  }
  const p = state.preview;
  const zhName = lang() === 'zh' ? stationName(undefined, p.station.id, 'zh') : undefined;
  const name = zhName !== undefined && zhName !== p.station.id ? zhName : p.station.name;
  return box(
    h('h2', { class: 'panel-title', id: 'enrol-preview-title' }, t('previewTitle')),
    h(
      'dl',
      { class: 'enrol-facts' },
      h('dt', {}, t('previewExercise')),
      h(
        'dd',
        { 'data-testid': 'preview-exercise' },
        h('strong', {}, p.exercise.title),
        ` (${p.exercise.id}) `,
        h(
          'span',
          { class: `classification classification-chip ${classificationClass(p.exercise.classification)}` },
          markingText(p.exercise.classification),
        ),
      ),
      h('dt', {}, t('previewStation')),
      h(
        'dd',
        { 'data-testid': 'preview-station' },
        h('strong', {}, name),
        ` · ${t('previewStationLang', { lang: LANG_NAMES[p.station.lang] })}`,
      ),
      h('dt', {}, t('previewExpires')),
      h(
        'dd',
        { 'data-testid': 'preview-expires' },
        h('time', { class: 'mono', datetime: p.expiresAt }, expiry(p.expiresAt)),
      ),
      role ? h('dt', {}, t('previewRole')) : null,
      role ? h('dd', { 'data-testid': 'preview-role' }, h('strong', {}, t('previewTranslator'))) : null,
    ),
  );
}

/** `09:20:57Z`, with the date (UTC) when it is not today: a code may be valid for up to a week. */
function expiry(iso: string): string {
  const day = iso.slice(0, 10);
  return day === new Date().toISOString().slice(0, 10) ? utcTime(iso) : `${utcTime(iso)} ${day}`;
}
