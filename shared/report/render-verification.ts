// The verification statement: what was verified, by whom, and what the reader can check it against.
import { html, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';
import { section, utc } from './render-parts.js';

export function verificationSection(model: ReportModel): SafeHtml {
  const v = model.verification;
  const cp = v.checkpoint;
  const kidOk = cp.kid === v.relayKid;
  const row = (k: string, val: SafeHtml | string) =>
    html`<div>
      <dt>${k}</dt>
      <dd>${val}</dd>
    </div>`;
  return section(
    'verification',
    '9. Verification',
    html`<p class="statement" id="verification-statement">
        This report was computed from the exported log alone, after the whole file verified: ${v.entries} entries
        verified (hash chain from entry 0 to entry ${v.head.idx}), ${v.signatures} console signatures verified
        (${v.messages} messages, ${v.receipts} receipts${v.lineItems ? `, ${v.lineItems} line procedure items` : ''})
        against ${v.keys} keys enrolled in the same log, ${v.privateOpened} of ${v.privateEntries} private entries
        opened and matched to their commitments, and the relay’s closing checkpoint verified.
      </p>
      <dl class="facts">
        ${row('Verified by', html`${v.verifiedBy}, at ${utc(v.verifiedAt)}`)} ${row('Exported', v.exportedAt)}
        ${row('Head of the log', html`entry ${v.head.idx}, logged ${utc(v.head.at)}, hash <code class="hash">${v.head.hash}</code>`)}
        ${row('Closing checkpoint', html`entry ${cp.idx}, hash <code class="hash">${cp.hash}</code>, signed by the relay at ${utc(cp.at)}`)}
        ${row('Relay key', html`<code class="hash">${cp.kid}</code> ${kidOk ? '(the key in the export’s header and its exercise-created entry)' : html`<strong>differs from the header’s key <code class="hash">${v.relayKid}</code></strong>`}`)}
        ${row(
          'Sealed by ENDEX',
          v.sealedByEndex && v.endex
            ? html`Yes: ENDEX by ${v.endex.by} at ${utc(v.endex.at)} is the last entry (${v.endex.idx}); the line was
              closed and the checkpoint covers it.`
            : v.endex
              ? html`No: ENDEX at entry ${v.endex.idx} is not the last entry.`
              : 'No: the exercise had not ended when the log was exported; the checkpoint covers the log as it stood.',
        )}
      </dl>
      <p class="note">
        The export proves its content relative to the relay key in its own header. To prove it is the relay’s log,
        compare that kid with the relay kid known independently (a console’s enrolment, or <code>GET /v1/relay</code>),
        or verify the file with checkpoints the consoles held: <code>hotline verify FILE --checkpoint JWS</code>.
      </p>`,
  );
}
