// The options a console client takes and the events it emits.
import type { Applied } from '../shared/chain.js';
import type { ErrorCode, HotlineError } from '../shared/errors.js';
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
  backoff?: BackoffOptions;
  pingMs?: number;
}

/** One row of a console's traffic: a message of either station, or an exercise inject addressed to this one. */
export type TrafficItem = { kind: 'message'; view: MessageView } | { kind: 'inject'; view: InjectView };

export interface Alarm {
  code: ErrorCode;
  message: string;
  idx?: number;
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
  welcome: WelcomeFrame;
  caughtUp: { idx: number };
  entry: Applied;
  rejected: RejectedFrame;
  fatal: HotlineError;
};
