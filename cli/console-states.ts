// What each message state proves, in the terminal console's words (the browser consoles' are in
// web/src/console/strings.ts; docs/PROTOCOL.md section 11 lists both): "accepted" only means the relay
// logged it, and must never be read as "the other station has it".
import type { MessageState } from '../client/conversation.js';

const OUTGOING: Record<MessageState, string> = {
  queued: 'in this console’s outbox',
  accepted: 'relay logged it',
  delivered: 'their console verified it',
  acknowledged: 'their operator acknowledged it',
  rejected: 'refused by the relay',
};

/** Incoming messages and exercise injects: the states this station's own receipts put in the log. */
const INCOMING: Record<Exclude<MessageState, 'queued' | 'rejected'>, string> = {
  accepted: 'relay logged it',
  delivered: 'received and verified here',
  acknowledged: 'you acknowledged it',
};

export function stateWords(incoming: boolean, state: MessageState): string {
  return incoming && state !== 'queued' && state !== 'rejected' ? INCOMING[state] : OUTGOING[state];
}
