// Every frame the relay sends is a ServerFrame (shared/protocol.ts) turned into text here, and only here.
// Types only on this path: the relay builds its frames itself, so validating them again with zod would
// spend CPU on every frame to re-check what the compiler already proved. Text is produced once per frame
// and then sent as is, to one socket or many (presence, the accepted frame after its commit).
import type { Entry } from '../shared/entry.js';
import type { HotlineError } from '../shared/errors.js';
import { mayRead, redactFor, type Audience } from '../shared/private.js';
import type { RejectedFrame, ServerFrame } from '../shared/protocol.js';

/** The text of a frame, as it goes on the wire. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/**
 * The one exception to encodeFrame: an entry frame around the entry's JSON exactly as the store keeps it
 * (`Committed.json`). Entries are the bulk of the traffic and never change once committed, so they are
 * never parsed or serialised again; the text is that of `encodeFrame({ type: 'entry', entry })`.
 */
export function entryFrame(json: string): string {
  return `{"type":"entry","entry":${json}}`;
}

/**
 * The entry frame as `audience` may receive it: a private entry's content only to its readers, the rest of
 * the entry (its commitment and every hashed field) to everyone, so every console still verifies the chain.
 * Only stored text that holds a reveal is parsed: a message or receipt entry is sent as stored.
 */
export function entryFrameFor(json: string, audience: Audience): string {
  if (audience === 'control' || !json.includes('"reveal":')) return entryFrame(json);
  const entry = JSON.parse(json) as Entry;
  return entryFrame(mayRead(entry, audience) ? json : JSON.stringify(redactFor(entry, audience)));
}

/** The frame sent just before the relay closes a connection. */
export function errorFrame(err: HotlineError): ServerFrame {
  return { type: 'error', code: err.code, message: err.message };
}

/** The answer to a refused frame; `id` and `seq` name the refused item when its JWS could be decoded. */
export function rejectedFrame(err: HotlineError, id?: string, seq?: number): RejectedFrame {
  const expectedSeq = err.details['expectedSeq'];
  return {
    type: 'rejected',
    code: err.code,
    message: err.message,
    ...(id === undefined ? {} : { id }),
    ...(seq === undefined ? {} : { seq }),
    ...(typeof expectedSeq === 'number' ? { expectedSeq } : {}),
  };
}
