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
 * `accepted` is version 2's answer to the entry's submitter (acceptedMember), on that connection only.
 */
export function entryFrame(json: string, accepted?: string): string {
  return accepted === undefined
    ? `{"type":"entry","entry":${json}}`
    : `{"type":"entry","entry":${json},"accepted":${accepted}}`;
}

/** The text of the `accepted` member of a version 2 entry frame: the entry itself gives idx, hash and at.
 * Written out rather than stringified (it showed in the relay's profile): the id passed the item schema as
 * a UUID and the checkpoint is a compact JWS, so neither holds a character JSON would escape. */
export function acceptedMember(id: string, seq: number, checkpoint: string): string {
  return `{"id":"${id}","seq":${seq},"checkpoint":"${checkpoint}"}`;
}

/** Whether the stored text holds a private entry's reveal, which not every audience may read. */
export function hasReveal(json: string): boolean {
  return json.includes('"reveal":');
}

/**
 * The entry frame as `audience` may receive it: a private entry's content only to its readers, the rest of
 * the entry (its commitment and every hashed field) to everyone, so every console still verifies the chain.
 * Only stored text that holds a reveal is parsed: a message or receipt entry is sent as stored.
 */
export function entryFrameFor(json: string, audience: Audience, accepted?: string): string {
  if (audience === 'control' || !hasReveal(json)) return entryFrame(json, accepted);
  const entry = JSON.parse(json) as Entry;
  return entryFrame(mayRead(entry, audience) ? json : JSON.stringify(redactFor(entry, audience)), accepted);
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
