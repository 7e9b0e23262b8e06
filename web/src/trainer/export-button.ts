// Export: the same self-contained file as GET /v1/exercises/:id/export, fetched with the Authorization
// header (a plain link could not carry it) and saved through a Blob URL and a[download].
import type { TrainerApi } from '../../../client/trainer-api.js';
import { h, statusLine, status } from './dom.js';

export function exportButton(api: TrainerApi, exercise: string): HTMLElement {
  const button = h(
    'button',
    { type: 'button', class: 'export' },
    h('span', { 'aria-hidden': 'true' }, '⤓ '),
    'Export log (.jsonl)',
  );
  const msg = statusLine();
  button.addEventListener('click', () => {
    button.disabled = true;
    status(msg, 'Exporting…');
    api.exportBlob(exercise).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: `${exercise}.hotline.jsonl`, class: 'visually-hidden' }, 'download');
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status(
          msg,
          `Exported ${Math.max(1, Math.round(blob.size / 1024))} KiB. Verify it offline with hotline verify.`,
          'ok',
        );
        button.disabled = false;
      },
      (err: Error) => {
        status(msg, err.message, 'error');
        button.disabled = false;
      },
    );
  });
  return h('div', { class: 'export-box' }, button, msg);
}
