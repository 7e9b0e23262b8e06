// This console's session with the relay: the connection (reconnecting with backoff, in turn to each relay
// URL it has), the signed hello that answers its challenge (only from a relay holding the enrolled key),
// the welcome that opens the session and resubmits the outbox, and what every other frame does: entries
// and checkpoints go to the stream in order (entry-stream.ts), an acceptance or a refusal settles an
// outbox item, presence and fatal errors reach the console (client.ts).
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import type { Entry } from '../shared/entry.js';
import type { AcceptedFrame, RejectedFrame, ServerFrame, WelcomeFrame } from '../shared/protocol.js';
import { Connection, type LinkState } from './connection.js';
import type { Conversation } from './conversation.js';
import type { EntryStream } from './entry-stream.js';
import type { ClientEvents, ClientOptions } from './events.js';
import { peerStation, relayUrls, signHello, type Identity } from './identity.js';
import type { LineActions } from './line-actions.js';
import type { Outbox } from './outbox.js';
import type { Sender } from './sender.js';
import type { OutboxItem } from './storage.js';

/** Connection errors after which reconnecting cannot help. */
const FATAL = new Set<ErrorCode>(['KEY_REVOKED', 'UNKNOWN_KEY', 'WRONG_EXERCISE', 'WRONG_STATION']);

export interface RelaySessionDeps {
  identity: Identity;
  options: ClientOptions;
  outbox: Outbox;
  conversation: Conversation;
  stream: EntryStream;
  sender: Sender;
  lineActions: LineActions;
  /** The idx of the last entry applied: the relay resumes the stream after it. */
  lastIdx: () => number;
  emit: <K extends keyof ClientEvents>(event: K, value: ClientEvents[K]) => void;
  alarm: (code: ErrorCode, message: string) => void;
  /** Whether the other station is online, as the welcome and each presence frame tell. */
  peerOnline: (online: boolean) => void;
  /** The console stops: after a fatal error. */
  stop: () => Promise<void>;
}

export class RelaySession {
  readonly #conn: Connection;
  #open = false;

  constructor(private readonly deps: RelaySessionDeps) {
    const { identity, options } = deps;
    this.#conn = new Connection(
      relayUrls(identity, options.alternates),
      options.socket,
      options.backoff,
      options.pingMs,
    );
    this.#conn.on('link', (link) => deps.emit('link', link));
    this.#conn.on('frame', (frame) => this.#onFrame(frame));
    this.#conn.on('closed', () => {
      this.#open = false;
    });
    this.#conn.on('invalid', (err) => deps.alarm(err.code, `The relay sent an invalid frame: ${err.message}`));
  }

  get link(): LinkState {
    return this.#conn.link;
  }

  /** The relay URLs the link uses in turn, the enrolled one first. */
  get urls(): readonly string[] {
    return this.#conn.urls;
  }

  start(): void {
    this.#conn.start();
  }

  stop(): void {
    this.#conn.stop();
    this.#open = false;
  }

  /** Closes the link and connects again (with backoff). */
  drop(reason: string): void {
    this.#conn.drop(reason);
  }

  /** Sends an outbox item now if the session is open; otherwise the next welcome resubmits it. */
  submit(item: OutboxItem): void {
    if (this.#open) this.#conn.send({ type: 'submit', jws: item.jws });
  }

  #onFrame(frame: ServerFrame): void {
    const { deps } = this;
    switch (frame.type) {
      case 'challenge':
        return this.#challenge(frame.nonce, frame.relayKid);
      case 'welcome':
        return void this.#welcome(frame);
      case 'entry':
        deps.stream.entry(frame.entry as Entry);
        // Version 2: the answer to this console's own submit, inside its entry (docs/PROTOCOL.md section 6).
        if (frame.accepted) {
          const { idx, hash, at } = frame.entry;
          this.#accepted({ ...frame.accepted, idx, hash, at });
        }
        return;
      case 'accepted':
        return this.#accepted(frame);
      case 'rejected':
        if (!deps.lineActions.beaten(frame as RejectedFrame)) deps.emit('rejected', frame as RejectedFrame);
        return void deps.sender.rejected(frame as RejectedFrame);
      case 'presence':
        if (frame.station === peerStation(deps.identity)) deps.peerOnline(frame.online);
        deps.emit('presence', { station: frame.station, online: frame.online });
        return;
      case 'error':
        if (FATAL.has(frame.code as ErrorCode)) {
          void deps.stop();
          deps.emit('fatal', new HotlineError(frame.code as ErrorCode, frame.message));
        }
        return;
      case 'pong':
        return;
      // The relay sends it to trainer observers only, never on a console's connection.
      case 'observing':
        return;
    }
  }

  /** A relay holding another key than the enrolled one is not the relay of this console's log (its
   * checkpoints could not be verified): no hello is signed for it, and the link moves to the next URL. */
  #challenge(nonce: string, relayKid: string): void {
    const { deps } = this;
    if (relayKid !== deps.identity.relay.kid) {
      deps.alarm(
        'WRONG_RELAY',
        `The relay at ${this.#conn.url} holds key ${relayKid}, not the relay key enrolled (${deps.identity.relay.kid}); trying the next relay.`,
      );
      return this.#conn.drop('WRONG_RELAY');
    }
    void signHello(deps.identity, nonce)
      .then((jws) => this.#conn.send({ type: 'hello', jws, since: deps.lastIdx() }))
      .catch((err: unknown) =>
        deps.alarm('INTERNAL', `The console could not sign its hello: ${(err as Error).message}`),
      );
  }

  /** An outbox item is in the log: it leaves the outbox, and its message shows as logged. */
  #accepted(a: Omit<AcceptedFrame, 'type'>): void {
    const { deps } = this;
    deps.outbox
      .accepted(a.id)
      .catch((err: unknown) =>
        deps.alarm('INTERNAL', `The console could not save its outbox: ${(err as Error).message}`),
      );
    deps.stream.checkpoint(a.checkpoint);
    const view = deps.conversation.accepted(a.id, a.at, a.idx, a.hash);
    if (view) deps.emit('message', view);
  }

  async #welcome(frame: WelcomeFrame): Promise<void> {
    const { deps } = this;
    this.#open = true;
    deps.peerOnline(frame.peer.online);
    this.#conn.established();
    deps.emit('welcome', frame);
    deps.emit('presence', { station: frame.peer.station, online: frame.peer.online });
    deps.stream.welcome(frame.head?.idx ?? -1, frame.checkpoint);
    if (deps.outbox.items.length === 0 && frame.nextSeq > deps.outbox.nextSeq)
      await deps.outbox.refused(undefined, frame.nextSeq);
    for (const item of [...deps.outbox.items]) this.submit(item);
  }
}
