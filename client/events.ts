// The options a console client takes and the events it emits.
import type { Applied } from '../shared/chain.js';
import type { ErrorCode, HotlineError } from '../shared/errors.js';
import type { RejectedFrame, WelcomeFrame } from '../shared/protocol.js';
import type { BackoffOptions, LinkState, SocketFactory } from './connection.js';
import type { MessageView } from './conversation.js';
import type { ClientStorage } from './storage.js';

export interface ClientOptions {
  storage: ClientStorage;
  socket: SocketFactory;
  /** Send `delivered` receipts by itself after verifying an incoming message (default true). */
  autoDeliver?: boolean;
  backoff?: BackoffOptions;
  pingMs?: number;
}

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
  alarm: Alarm;
  welcome: WelcomeFrame;
  caughtUp: { idx: number };
  entry: Applied;
  rejected: RejectedFrame;
  fatal: HotlineError;
};
