// The relay's hand-written frame texts (server/frames.ts) against what JSON.stringify makes of the same
// frame, so a console parsing them cannot tell the difference.
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { acceptedMember, encodeFrame, entryFrame } from '../../server/frames.js';
import { parseServerFrame } from '../../shared/protocol.js';

// A real checkpoint's shape: three base64url parts.
const checkpoint =
  'eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiekk1b1o1UDU4VFh6amhpSmJVVGdOWGdmOGxyRW5ubkROaENBSzBjdngwbyIsInR5cCI6ImhvdGxpbmUtY2hlY2twb2ludCtqd3MifQ.eyJleGVyY2lzZSI6ImR0bCIsImlkeCI6M30.dV_UCtswTNAWxIauyCle8JX9akoMiO8WVnrkeab3k7VadROXOjqRXisY6jTXlhQlSS1pPTFvHSjyApRMMe5mCw';

describe('frame texts written by hand', () => {
  it('writes the accepted member exactly as JSON.stringify does', () => {
    for (const seq of [0, 1, 41, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const id = uuidv7();
      expect(acceptedMember(id, seq, checkpoint)).toBe(JSON.stringify({ id, seq, checkpoint }));
    }
  });

  it('writes a version 2 entry frame that every client parses as the entry with its answer', () => {
    const entry = {
      idx: 3,
      prev: 'KT4U1I0M2oflsORGnn2h18m7LYk6fHa9YU2NbCt-pv4',
      at: '2026-12-02T07:50:21.661Z',
      kind: 'note' as const,
      data: { text: 'quote " and 中文' },
      hash: 'bynUE1exzA-z0sCF1TBTTU7obNGScAIPrUzfcAQ6Bpk',
    };
    const json = JSON.stringify(entry);
    const id = uuidv7();
    expect(entryFrame(json)).toBe(encodeFrame({ type: 'entry', entry }));
    const text = entryFrame(json, acceptedMember(id, 7, checkpoint));
    expect(text).toBe(JSON.stringify({ type: 'entry', entry, accepted: { id, seq: 7, checkpoint } }));
    expect(parseServerFrame(text)).toEqual({ type: 'entry', entry, accepted: { id, seq: 7, checkpoint } });
  });
});
