// The report page (/trainer/report): the after-action report of an exercise (?exercise=ID, fetched with the
// trainer's session token from this tab) or of an export file opened here, verified in this browser before
// anything is shown, rendered by the same code as `hotline report`, and printed with the browser's print.
import '../../../shared/report/report.css';
import { byId } from '../common/dom.js';
import { TrainerSession } from '../trainer/session.js';
import { ReportPage } from './report-page.js';

const page = new ReportPage(byId('main'), byId('status'), byId<HTMLButtonElement>('print'));
const exercise = new URLSearchParams(location.search).get('exercise');
const file = byId<HTMLInputElement>('file');

byId<HTMLButtonElement>('print').addEventListener('click', () => window.print());
file.addEventListener('change', () => {
  const chosen = file.files?.[0];
  if (chosen) void page.openFile(chosen);
});

if (exercise) {
  byId<HTMLAnchorElement>('back').href = `/trainer#/exercises/${encodeURIComponent(exercise)}`;
  const session = new TrainerSession(location.origin, sessionStorage);
  if (session.token === undefined) page.signInFirst(exercise);
  else void page.openExercise(session.api(), exercise);
} else {
  page.idle();
}
