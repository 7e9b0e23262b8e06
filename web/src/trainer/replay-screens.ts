// The two ways into the replay player: an exercise's current log fetched from the relay (the same export
// file), or an exported file dropped onto the page or chosen with a file input. Either way the whole file
// is verified before it plays; a file that fails verification never plays. Once it plays, the verification
// statement moves into the player's drawer and the consoles take the page.
import type { TrainerApi } from '../../../client/trainer-api.js';
import { h, fill, statusLine, status } from './dom.js';
import { replayPlayer } from './replay-player.js';
import { responseTimesView } from './response-view.js';
import { verificationPanel } from './verification-panel.js';
import type { ExerciseContext, View } from './view.js';

/** What became of a file: it verified and plays (its views), it verified but holds nothing to play, or it
 * failed verification (the panel in `host` names the fault). */
interface Played {
  views: View[];
  outcome: 'playing' | 'empty' | 'refused';
}

/** Verifies the export's bytes, then mounts the player (and optionally the response times) into `host`. */
function playInto(host: HTMLElement, bytes: Uint8Array, source: string, withResponses: boolean): Promise<Played> {
  const panel = verificationPanel();
  fill(host, panel.el);
  return panel.verify(bytes, source).then((log) => {
    const def = log.report.header?.exercise;
    if (!log.report.ok || !def) return { views: [], outcome: 'refused' };
    if (log.records.length === 0) return { views: [], outcome: 'empty' };
    const player = replayPlayer(def, log, [panel.el]);
    fill(host, player.el);
    const views: View[] = [player];
    if (withResponses) {
      const end = Date.parse(log.records[log.records.length - 1]!.entry.at);
      const responses = responseTimesView(
        def,
        log.records,
        end,
        `Whole log of ${def.title}; unacknowledged messages are judged at the end of the log.`,
      );
      host.append(responses.el);
      views.push(responses);
    }
    return { views, outcome: 'playing' };
  });
}

export function exerciseReplayView(ctx: ExerciseContext, api: TrainerApi): View {
  const host = h('div', { class: 'replay-host' });
  const msg = statusLine();
  let views: View[] = [];
  const reload = h('button', { type: 'button' }, 'Load the latest log');
  const load = () => {
    for (const v of views) v.destroy?.();
    views = [];
    reload.disabled = true;
    status(msg, 'Fetching the export from the relay…');
    api
      .exportBlob(ctx.def.id)
      .then((b) => b.arrayBuffer())
      .then((buffer) => {
        const size = `${Math.max(1, Math.round(buffer.byteLength / 1024))} KiB`;
        status(msg, `Fetched the export (${size}).`);
        return playInto(host, new Uint8Array(buffer), `relay export of ${ctx.def.id}`, false).then((played) => {
          // Green only for a log that verified; a refused one is named by the verification panel.
          if (played.outcome === 'playing') status(msg, `Fetched and verified the export (${size}).`, 'ok');
          return played;
        });
      })
      .then(
        (played) => {
          views = played.views;
          reload.disabled = false;
        },
        (err: Error) => {
          reload.disabled = false;
          status(msg, err.message, 'error');
        },
      );
  };
  reload.addEventListener('click', load);
  load();
  const el = h(
    'section',
    { class: 'replay-page', 'aria-labelledby': 'replay-title' },
    h('div', { class: 'replay-head' }, h('h2', { id: 'replay-title' }, 'Replay'), reload, msg),
    host,
  );
  return { el, destroy: () => views.forEach((v) => v.destroy?.()) };
}

export function fileReplayView(): View {
  const host = h('div', { class: 'replay-host' });
  const input = h('input', {
    type: 'file',
    id: 'replay-file',
    accept: '.jsonl,.ndjson,.json,application/x-ndjson,application/json,text/plain',
  });
  const msg = statusLine();
  let views: View[] = [];
  const open = (file: File) => {
    for (const v of views) v.destroy?.();
    views = [];
    status(msg, `Reading ${file.name}…`);
    file.arrayBuffer().then(
      (buffer) =>
        playInto(
          host,
          new Uint8Array(buffer),
          `file ${file.name} (${Math.max(1, Math.round(file.size / 1024))} KiB)`,
          true,
        ).then((played) => {
          views = played.views;
          // Only a file that verified is "loaded"; a refused one says so in the verification panel alone.
          if (played.outcome === 'playing') status(msg, `Loaded ${file.name}: verified.`, 'ok');
          else if (played.outcome === 'empty') status(msg, `${file.name} verified but holds no entries to play.`);
          else status(msg, '');
          // A file plays: the drop zone steps back to one line, so the consoles stay in view.
          zone.classList.toggle('compact', played.outcome === 'playing');
        }),
      (err: Error) => status(msg, err.message, 'error'),
    );
  };
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) open(f);
  });
  const zone = h(
    'div',
    { class: 'dropzone' },
    h('p', { class: 'drop-title' }, 'Drop an exported log (.jsonl) here'),
    h('p', { class: 'muted' }, 'or'),
    h('label', { for: 'replay-file', class: 'file-label' }, 'Exported log file'),
    input,
    h(
      'p',
      { class: 'hint' },
      'The file is verified in this browser (hash chain, every signature, the relay checkpoint) before it plays. Nothing is uploaded.',
    ),
  );
  // The whole page takes a dropped file (and a file dropped anywhere never replaces the page).
  const onDragOver = (ev: DragEvent) => {
    ev.preventDefault();
    zone.classList.add('dragging');
  };
  const onDragLeave = (ev: DragEvent) => {
    if (ev.relatedTarget === null) zone.classList.remove('dragging');
  };
  const onDrop = (ev: DragEvent) => {
    ev.preventDefault();
    zone.classList.remove('dragging');
    const f = ev.dataTransfer?.files[0];
    if (!f) return;
    // The field must not go on naming a file chosen earlier while the dropped one is shown.
    input.value = '';
    open(f);
  };
  document.addEventListener('dragover', onDragOver);
  document.addEventListener('dragleave', onDragLeave);
  document.addEventListener('drop', onDrop);
  const el = h('div', { class: 'file-replay' }, h('h1', { tabindex: -1 }, 'Replay an exported log'), zone, msg, host);
  return {
    el,
    destroy() {
      for (const v of views) v.destroy?.();
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('dragleave', onDragLeave);
      document.removeEventListener('drop', onDrop);
    },
  };
}
