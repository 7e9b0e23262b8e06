// The options a console client takes and the events it emits.
import type { Applied } from '../shared/chain.js';
import type { ErrorCode, HotlineError } from '../shared/errors.js';
import type { LineChange, LineItem } from './line-changes.js';
import type { RejectedFrame, WelcomeFrame } from '../shared/protocol.js';
import type { BackoffOptions, LinkState, SocketFactory } from './connection.js';
import type { MessageView } from './conversation.js';
import type { ExerciseStatus } from './exercise-status.js';
import type { InjectView } from './injects.js';
import type { ClientStorage } from './storage.js';

export interface ClientOptions {
  storage: ClientStorage;
  socket: SocketFactory;
  /** Send `delivered` receipts by itself after verifying an incoming message (default true). */
  autoDeliver?: boolean;
  /** Answer the relay's link tests addressed to this station by itself (default true). */
  autoLinkReply?: boolean;
  backoff?: BackoffOptions;
  pingMs?: number;
  /** Other relays of the same log for this run, tried after the enrolled relay and the identity's saved
   * alternates (docs/PROTOCOL.md section 10, "Several relays: failover"). */
  alternates?: string[];
}

/** One row of a console's traffic: a message of either station, or an exercise inject addressed to this one. */
export type TrafficItem = { kind: 'message'; view: MessageView } | { kind: 'inject'; view: InjectView };

export interface Alarm {
  code: ErrorCode;
  message: string;
  idx?: number;
  at: string;
}

/** The relay refused a call request or answer, a translation, or a link reply of this console for good. */
export interface ItemRefusal {
  id: string;
  payload: LineItem;
  code: ErrorCode;
  message: string;
  at: string;
}

export type ClientEvents = {
  link: LinkState;
  presence: { station: string; online: boolean };
  message: MessageView;
  /** An inject addressed to this station arrived, or one of its states changed. */
  inject: InjectView;
  /** The exercise changed state (STARTEX, pause, resume, ENDEX), or the relay said the line is closed. */
  exercise: ExerciseStatus;
  alarm: Alarm;
  /** A call request, a link test or a translation changed (an entry about it was verified and applied). */
  line: LineChange;
  /** Not for a link reply another device of this station beat (that refusal is dropped silently). */
  refused: ItemRefusal;
  welcome: WelcomeFrame;
  caughtUp: { idx: number };
  entry: Applied;
  rejected: RejectedFrame;
  fatal: HotlineError;
};
