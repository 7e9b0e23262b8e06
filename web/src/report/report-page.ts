// What the report page does: get an export's bytes (from the relay with the trainer's token, or from a file),
// verify them in full in this browser, and show the report, or the verifier's fault and no report at all.
// The report's markup comes from the shared renderer, which escapes every value from the log; it is parsed
// into inert nodes (DOMParser runs no scripts) and adopted here, never assigned through innerHTML.
import type { TrainerApi } from '../../../client/trainer-api.js';
import { reportFromExport } from '../../../shared/report/from-export.js';
import { reportBody, reportTitle } from '../../../shared/report/render.js';
import { h } from '../common/dom.js';

export class ReportPage {
  constructor(
    private readonly main: HTMLElement,
    private readonly statusLine: HTMLElement,
    private readonly print: HTMLButtonElement,
  ) {}

  #status(text: string, error = false, ...extra: Node[]): void {
    this.statusLine.className = `report-status${error ? ' error' : ''}`;
    this.statusLine.replaceChildren(text, ...extra);
  }

  idle(): void {
    this.#status('Open an exported log (.jsonl) to verify it here and see its after-action report.');
  }

  signInFirst(exercise: string): void {
    this.#status(
      'Sign in on the trainer console first: this page uses its session. ',
      true,
      h('a', { href: `/trainer#/exercises/${encodeURIComponent(exercise)}` }, 'Open the trainer console'),
    );
  }

  async openExercise(api: TrainerApi, exercise: string): Promise<void> {
    this.#status(`Fetching the export of exercise ${exercise}…`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await (await api.exportBlob(exercise)).arrayBuffer());
    } catch (err) {
      this.#status(`The export could not be fetched: ${(err as Error).message}`, true);
      return;
    }
    await this.#show(bytes, `the trainer console in this browser, from the relay’s export of ${exercise}`);
  }

  async openFile(file: File): Promise<void> {
    this.#status(`Reading ${file.name}…`);
    await this.#show(
      new Uint8Array(await file.arrayBuffer()),
      `the trainer console in this browser, from the file ${file.name}`,
    );
  }

  async #show(bytes: Uint8Array, verifiedBy: string): Promise<void> {
    this.print.disabled = true;
    this.main.replaceChildren();
    let last = 0;
    const { report, model } = await reportFromExport(bytes, {
      verifiedBy,
      verifiedAt: Date.now(),
      onProgress: (done, total) => {
        if (done - last >= 250 || done === total) {
          last = done;
          this.#status(`Verifying: ${done} of ${total} entries…`);
        }
      },
    });
    if (!model) {
      const f = report.fault!;
      this.#status(
        `The export does not verify, so there is no report. Line ${f.line}${f.idx === undefined ? '' : ` (entry ${f.idx})`}: ${f.code}: ${f.message}`,
        true,
      );
      return;
    }
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${reportBody(model).text}`, 'text/html');
    this.main.replaceChildren(...Array.from(doc.body.childNodes, (n) => document.adoptNode(n)));
    document.title = `${reportTitle(model)} · Hotline trainer`;
    const v = model.verification;
    this.#status(
      `Verified in this browser: ${v.entries} entries, ${v.signatures} signatures, ${v.privateOpened} private entries opened, closing checkpoint at entry ${v.checkpoint.idx}.`,
    );
    this.print.disabled = false;
    this.main.focus({ preventScroll: true });
  }
}
