// The words for a message's states in the trainer, taken from the operator consoles' own English table
// (web/src/console/strings.ts; docs/PROTOCOL.md section 11), so that a trainer reading a console's column
// sees what its operator sees, and no state can be misread as the other station having a message: "accepted"
// only proves the relay logged it. The trainer is English-only.
import type { MessageState } from '../../../client/conversation.js';
import { en } from '../console/strings.js';

/** A step a message goes through once signed; `rejected` never follows `accepted` and is not a step. */
export type StateStep = Exclude<MessageState, 'rejected'>;

/** The sender's side: each step as the sending console names it. */
export const OUT_STATE: Readonly<Record<StateStep, string>> = {
  queued: en.stateQueued,
  accepted: en.stateAccepted,
  delivered: en.stateDelivered,
  acknowledged: en.stateAcknowledged,
};

/** The receiver's side (messages and injects): the steps its own receipts put in the log, in its words. */
export const IN_STATE: Readonly<Record<Exclude<StateStep, 'queued'>, string>> = {
  accepted: en.stateInLogged,
  delivered: en.stateInDelivered,
  acknowledged: en.stateInAcknowledged,
};
