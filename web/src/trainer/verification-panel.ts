// Verifies a whole exported log before it may play, with a progress bar, and shows the result: what was
// proven, or for a tampered or damaged file the first fault (line, entry, code, message).
import { h, fill } from './dom.js';
import { shortKid, zuluDated } from './format.js';
import { verifyLog, type VerifiedLog } from './verified-log.js';

function row(term: string, value: string | Node): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

/** The line's signed items (calls, translations, link replies), when the log has any. */
function lineItems(c: VerifiedLog['counts']): string {
  const n = c.signatures - c.messages - c.receipts;
  return n > 0 ? `, ${n} line procedure items` : '';
}

export function verificationPanel(): {
  el: HTMLElement;
  verify(bytes: Uint8Array, source: string): Promise<VerifiedLog>;
} {
  const el = h('section', { class: 'verification', 'aria-labelledby': 'verification-title', 'aria-live': 'polite' });
  return {
    el,
    async verify(bytes, source) {
      const bar = h('progress', { max: 1, value: 0, id: 'verify-progress' });
      const label = h('label', { for: 'verify-progress' }, `Verifying ${source}: hash chain and every signature…`);
      fill(el, h('h3', { id: 'verification-title' }, 'Verifying the log'), label, bar);
      el.className = 'verification card pending';
      let lastPaint = 0;
      const log = await verifyLog(bytes, (done, total) => {
        const now = performance.now();
        if (now - lastPaint < 50) return;
        lastPaint = now;
        bar.max = total;
        bar.value = done;
      });
      const { report, counts } = log;
      if (report.ok && report.header) {
        const last = report.entries[report.entries.length - 1];
        el.className = 'verification card ok';
        fill(
          el,
          h(
            'h3',
            { id: 'verification-title' },
            h('span', { 'aria-hidden': 'true' }, '✔ '),
            'Log verified: ready to play',
          ),
          h(
            'dl',
            { class: 'facts' },
            ...row('Source', source),
            ...row('Exercise', `${report.header.exercise.title} (${report.header.exercise.id})`),
            ...row(
              'Entries',
              `${counts.entries} (0 to ${counts.entries - 1}), last at ${last ? zuluDated(last.at) : '—'}`,
            ),
            ...row('Hash chain', 'intact: every entry links to the one before it and matches its hash'),
            ...row(
              'Signatures',
              `${counts.signatures} console signatures verified (${counts.messages} messages, ${counts.receipts} receipts${lineItems(counts)}) against ${counts.keys} keys enrolled in this log`,
            ),
            ...row(
              'Relay checkpoint',
              `signature verified; covers entry ${report.checkpointIdx ?? '?'} (relay key ${shortKid(report.header.relay.kid)})`,
            ),
          ),
        );
      } else {
        const f = report.fault!;
        el.className = 'verification card failed';
        fill(
          el,
          h(
            'h3',
            { id: 'verification-title' },
            h('span', { 'aria-hidden': 'true' }, '✖ '),
            'Verification FAILED: this log will not play',
          ),
          h(
            'p',
            { role: 'alert', class: 'fault-line' },
            `First fault at line ${f.line}${f.idx === undefined ? '' : `, entry ${f.idx}`}: ${f.code}`,
          ),
          h(
            'dl',
            { class: 'facts' },
            ...row('Source', source),
            ...row('Line', String(f.line)),
            ...row('Entry', f.idx === undefined ? '—' : String(f.idx)),
            ...row('Code', f.code),
            ...row('Message', f.message),
            ...row('Verified before the fault', `${report.entries.length} entries`),
          ),
        );
      }
      return log;
    },
  };
}
