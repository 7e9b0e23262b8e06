// The console client every console uses (terminal, browser, benchmarks): enrol, connect, resume, send
// from a durable outbox, verify every entry, answer with receipts, and track each message's states.
import { importJWK, type CryptoKey } from 'jose';
import { ChainVerifier, type Applied } from '../shared/chain.js';
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import type { Entry } from '../shared/entry.js';
import { ALG } from '../shared/jws.js';
import type { Precedence } from '../shared/items.js';
import type { RejectedFrame, ServerFrame, WelcomeFrame } from '../shared/protocol.js';
import { verifyCheckpoint } from '../shared/signed.js';
import { Connection, type BackoffOptions, type LinkState, type SocketFactory } from './connection.js';
import { Conversation, type MessageView } from './conversation.js';
import { Emitter } from './emitter.js';
import { enrol, peerStation, signHello, type EnrolOptions, type Identity } from './identity.js';
import { Outbox } from './outbox.js';
import type { ClientStorage, OutboxItem } from './storage.js';

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

/** Refusals that say nothing about the item itself: keep it and send it again after reconnecting. */
const TRANSIENT = new Set<ErrorCode>(['STORE_UNAVAILABLE', 'SHUTTING_DOWN', 'SLOW_CONSUMER', 'INTERNAL', 'NOT_AUTHENTICATED']);
/** Connection errors after which reconnecting cannot help. */
const FATAL = new Set<ErrorCode>(['KEY_REVOKED', 'UNKNOWN_KEY', 'WRONG_EXERCISE', 'WRONG_STATION']);

export class HotlineClient extends Emitter<ClientEvents> {
  readonly conversation: Conversation;
  readonly chain = new ChainVerifier();
  peerOnline = false;
  #conn: Connection;
  #open = false;
  #caughtUpTarget = Infinity;
  #caughtUp = false;
  #broken: HotlineError | undefined;
  #applying: Promise<void> = Promise.resolve();
  #relayKey: Promise<CryptoKey>;
  #held: { idx: number; hash: string } | undefined;
  #receipting = new Set<string>();

  private constructor(
    readonly identity: Identity,
    readonly outbox: Outbox,
    private readonly options: ClientOptions,
  ) {
    super();
    this.conversation = new Conversation(identity.station);
    this.#conn = new Connection(identity.url, options.socket, options.backoff, options.pingMs);
    this.#conn.on('link', (link) => this.emit('link', link));
    this.#conn.on('frame', (frame) => this.#onFrame(frame));
    this.#conn.on('closed', () => {
      this.#open = false;
    });
    this.#conn.on('invalid', (err) => this.#alarm(err.code, `The relay sent an invalid frame: ${err.message}`));
    this.#relayKey = importJWK(identity.relay.publicJwk, ALG) as Promise<CryptoKey>;
    for (const item of outbox.items) this.conversation.queued(item);
  }

  /** Opens a console that was enrolled earlier; throws NOT_FOUND when the storage holds none. */
  static async open(options: ClientOptions): Promise<HotlineClient> {
    const saved = await options.storage.load();
    if (!saved) throw new HotlineError('NOT_FOUND', 'This console is not enrolled yet.');
    const client = new HotlineClient(saved.identity, new Outbox(saved.identity, options.storage, saved), options);
    await client.#restoreCheckpoint();
    return client;
  }

  static async enrol(enrolment: EnrolOptions, options: ClientOptions): Promise<HotlineClient> {
    const identity = await enrol(enrolment);
    const outbox = new Outbox(identity, options.storage);
    await outbox.persist();
    return new HotlineClient(identity, outbox, options);
  }

  get station(): string {
    return this.identity.station;
  }

  get peer(): string {
    return peerStation(this.identity);
  }

  get link(): LinkState {
    return this.#conn.link;
  }

  /** The idx of the last entry verified and applied; -1 before any. */
  get lastIdx(): number {
    return this.chain.length - 1;
  }

  messages(): MessageView[] {
    return this.conversation.list();
  }

  start(): void {
    this.#conn.start();
  }

  stop(): void {
    this.#conn.stop();
    this.#open = false;
  }

  /** Signs and queues a message durably, then sends it; resolves once it is queued. */
  async send(draft: { precedence?: Precedence; subject?: string; body: string; replyTo?: string }): Promise<MessageView> {
    const me = this.identity.exercise.stations.find((s) => s.id === this.station)!;
    const item = await this.outbox.add({
      type: 'message',
      to: this.peer,
      precedence: draft.precedence ?? 'ROUTINE',
      lang: me.lang,
      body: draft.body,
      classification: this.identity.exercise.classification,
      ...(draft.subject ? { subject: draft.subject } : {}),
      ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
    });
    const view = this.conversation.queued(item)!;
    this.emit('message', view);
    this.#submit(item);
    return view;
  }

  /** The operator has read an incoming message: send a signed `acknowledged` receipt. */
  async acknowledge(id: string, note?: string): Promise<void> {
    const view = this.conversation.messages.get(id);
    if (!view || view.direction !== 'in' || !view.hash) throw new HotlineError('UNKNOWN_REF', `No incoming message ${id}.`);
    if (view.states.acknowledged || this.#receipting.has(`acknowledged:${id}`)) return;
    await this.#receipt(view, 'acknowledged', note);
  }

  async #receipt(view: MessageView, kind: 'delivered' | 'acknowledged', note?: string): Promise<void> {
    const key = `${kind}:${view.id}`;
    this.#receipting.add(key);
    const item = await this.outbox.add({ type: 'receipt', to: this.peer, kind, ref: view.id, refHash: view.hash!, ...(note ? { note } : {}) });
    this.#submit(item);
  }

  #submit(item: OutboxItem): void {
    if (this.#open) this.#conn.send({ type: 'submit', jws: item.jws });
  }

  #alarm(code: ErrorCode, message: string, idx?: number): void {
    this.emit('alarm', { code, message, at: new Date().toISOString(), ...(idx === undefined ? {} : { idx }) });
  }

  #onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'challenge':
        void signHello(this.identity, frame.nonce).then((jws) => this.#conn.send({ type: 'hello', jws, since: this.lastIdx }));
        return;
      case 'welcome':
        return void this.#welcome(frame);
      case 'entry':
        this.#applying = this.#applying.then(() => this.#apply(frame.entry as Entry));
        return;
      case 'accepted':
        this.outbox.accepted(frame.id).catch((err: unknown) => this.#alarm('INTERNAL', `The console could not save its outbox: ${(err as Error).message}`));
        this.#applying = this.#applying.then(() => this.#checkpoint(frame.checkpoint));
        {
          const view = this.conversation.accepted(frame.id, frame.at, frame.idx, frame.hash);
          if (view) this.emit('message', view);
        }
        return;
      case 'rejected':
        return void this.#rejected(frame as RejectedFrame);
      case 'presence':
        if (frame.station === this.peer) this.peerOnline = frame.online;
        this.emit('presence', { station: frame.station, online: frame.online });
        return;
      case 'error':
        if (FATAL.has(frame.code as ErrorCode)) {
          this.stop();
          this.emit('fatal', new HotlineError(frame.code as ErrorCode, frame.message));
        }
        return;
      case 'pong':
        return;
    }
  }

  async #welcome(frame: WelcomeFrame): Promise<void> {
    this.#open = true;
    this.peerOnline = frame.peer.online;
    this.#conn.established();
    this.emit('welcome', frame);
    this.emit('presence', { station: frame.peer.station, online: frame.peer.online });
    const headIdx = frame.head?.idx ?? -1;
    if (this.#held && headIdx < this.#held.idx) {
      this.#alarm('TRUNCATED', `The relay's log ends at entry ${headIdx}, but this console holds a checkpoint for entry ${this.#held.idx}.`);
    }
    if (frame.checkpoint) this.#applying = this.#applying.then(() => this.#checkpoint(frame.checkpoint!));
    this.#caughtUpTarget = headIdx;
    this.#applying = this.#applying.then(() => this.#maybeCaughtUp());
    if (this.outbox.items.length === 0 && frame.nextSeq > this.outbox.nextSeq) await this.outbox.refused(undefined, frame.nextSeq);
    for (const item of [...this.outbox.items]) this.#submit(item);
  }

  async #apply(entry: Entry): Promise<void> {
    if (this.#broken || entry.idx < this.chain.length) return;
    let applied: Applied;
    try {
      applied = await this.chain.apply(entry);
    } catch (err) {
      this.#broken = err instanceof HotlineError ? err : new HotlineError('CHAIN_BROKEN');
      this.#alarm(this.#broken.code, `Verification failed; nothing after entry ${this.lastIdx} is shown. ${this.#broken.message}`, entry.idx);
      return;
    }
    if (this.#held && this.#held.idx === entry.idx && this.#held.hash !== entry.hash) {
      this.#alarm('TRUNCATED', `Entry ${entry.idx} differs from the one a held checkpoint covers: the log was rewritten.`, entry.idx);
    }
    this.emit('entry', applied);
    const view = this.conversation.apply(applied);
    if (view) this.emit('message', view);
    if (view && this.#caughtUp && this.options.autoDeliver !== false) await this.#deliverAll();
    await this.#maybeCaughtUp();
  }

  async #maybeCaughtUp(): Promise<void> {
    if (this.#caughtUp || this.lastIdx < this.#caughtUpTarget) return;
    this.#caughtUp = true;
    this.emit('caughtUp', { idx: this.lastIdx });
    if (this.options.autoDeliver !== false) await this.#deliverAll();
  }

  async #deliverAll(): Promise<void> {
    for (const view of this.conversation.awaiting('delivered')) {
      if (!this.#receipting.has(`delivered:${view.id}`)) await this.#receipt(view, 'delivered');
    }
  }

  async #checkpoint(jws: string): Promise<void> {
    let cp;
    try {
      cp = await verifyCheckpoint(jws, await this.#relayKey);
    } catch (err) {
      this.#alarm('BAD_CHECKPOINT', (err as Error).message);
      return;
    }
    if (cp.exercise !== this.identity.exercise.id) return this.#alarm('BAD_CHECKPOINT', `A checkpoint names exercise ${cp.exercise}.`);
    const have = this.chain.hashes[cp.idx];
    if (have !== undefined && have !== cp.hash) {
      return this.#alarm('TRUNCATED', `The relay's checkpoint for entry ${cp.idx} disagrees with the verified log.`, cp.idx);
    }
    if (this.#held && cp.idx <= this.#held.idx) return;
    this.#held = { idx: cp.idx, hash: cp.hash };
    await this.outbox.holdCheckpoint(jws);
  }

  async #restoreCheckpoint(): Promise<void> {
    if (!this.outbox.checkpoint) return;
    const cp = await verifyCheckpoint(this.outbox.checkpoint, await this.#relayKey);
    this.#held = { idx: cp.idx, hash: cp.hash };
  }

  async #rejected(frame: RejectedFrame): Promise<void> {
    this.emit('rejected', frame);
    const item = frame.id === undefined ? undefined : this.outbox.find(frame.id);
    if (!item || item.seq !== frame.seq) return; // Stale: that item was re-signed since.
    if (TRANSIENT.has(frame.code)) return this.#conn.drop(frame.code);
    if (frame.code === 'SEQ_GAP' && frame.expectedSeq !== undefined) {
      if (this.outbox.items.some((i) => i.seq === frame.expectedSeq)) return this.#conn.drop('resend');
      for (const changed of await this.outbox.refused(undefined, frame.expectedSeq)) this.#submit(changed);
      return;
    }
    if (frame.code === 'SEQ_CONFLICT' && frame.expectedSeq !== undefined && frame.expectedSeq > item.seq) {
      // The relay holds other items of this key at these seqs (this console's state was restored from an
      // older copy): sign ours again after them rather than lose them.
      this.#alarm('SEQ_CONFLICT', `Seq ${item.seq} was already used by this key; re-sending from seq ${frame.expectedSeq}.`);
      for (const changed of await this.outbox.rebase(item.id, frame.expectedSeq)) this.#submit(changed);
      return;
    }
    const changed = await this.outbox.refused(item.id, item.seq);
    const view = this.conversation.rejected(item.id, frame.code, frame.message);
    if (view) this.emit('message', view);
    if (item.payload.type === 'receipt') this.#receipting.delete(`${item.payload.kind}:${item.payload.ref}`);
    for (const c of changed) this.#submit(c);
  }
}
