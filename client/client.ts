// The console client every console uses (terminal, browser, benchmarks): enrol, connect, resume, send
// from a durable outbox, verify every entry (with its own station as the audience of private entries),
// answer messages and injects with receipts, track each one's states, and follow the exercise's clock and
// the line's procedures (call requests, translations, link tests answered by themselves: line-actions.ts).
// The session with the relay and its frames: relay-session.ts; entries taken in, in order: entry-stream.ts.
import type { ChainVerifier } from '../shared/chain.js';
import { HotlineError, type ErrorCode } from '../shared/errors.js';
import { CheckpointGuard } from './checkpoints.js';
import type { LinkState } from './connection.js';
import type { Conversation, MessageView } from './conversation.js';
import { Emitter } from './emitter.js';
import { EntryStream } from './entry-stream.js';
import type { ExerciseStatus } from './exercise-status.js';
import { enrol, peerStation, roleOf, type EnrolOptions, type Identity } from './identity.js';
import { LineActions, type CallAnswer, type CallRequest, type TranslationDraft } from './line-actions.js';
import type { InjectBook } from './injects.js';
import { Outbox } from './outbox.js';
import { RelaySession } from './relay-session.js';
import { Sender, type Draft } from './sender.js';
import { StationLog, type AppliedHere } from './station-log.js';
import type { ClientEvents, ClientOptions, TrafficItem } from './events.js';
import type { LineBook } from '../shared/line-book.js';

export type { Alarm, ClientEvents, ClientOptions, ItemRefusal, TrafficItem } from './events.js';
export type { CallAnswer, CallRequest, TranslationDraft } from './line-actions.js';
export type { LineChange } from './line-changes.js';

export class HotlineClient extends Emitter<ClientEvents> {
  /** Everything this console verified and derived from the log. */
  readonly log: StationLog;
  peerOnline = false;
  readonly #relay: RelaySession;
  readonly #checkpoints: CheckpointGuard;
  readonly #stream: EntryStream;
  readonly #sender: Sender;
  readonly #lineActions: LineActions;

  private constructor(
    readonly identity: Identity,
    readonly outbox: Outbox,
    private readonly options: ClientOptions,
  ) {
    super();
    this.log = new StationLog(identity.station);
    this.#sender = new Sender(identity, outbox, this.log, {
      submit: (item) => this.#relay.submit(item),
      message: (view) => this.emit('message', view),
      closed: () => this.emit('exercise', this.exercise),
      alarm: (code, message) => this.#alarm(code, message),
      reconnect: (reason) => this.#relay.drop(reason),
      refusedItem: (item, code, message) => {
        const refusal = this.#lineActions.refused(item, code, message);
        if (refusal) this.emit('refused', refusal);
      },
    });
    this.#lineActions = new LineActions(identity, outbox, this.log, (item) => this.#relay.submit(item));
    this.#checkpoints = new CheckpointGuard(
      identity.relay.publicJwk,
      identity.exercise.id,
      this.chain.hashes,
      (jws) => outbox.holdCheckpoint(jws),
      (code, message, idx) => this.#alarm(code, message, idx),
    );
    this.#stream = new EntryStream({
      log: this.log,
      checkpoints: this.#checkpoints,
      alarm: (code, message, idx) => this.#alarm(code, message, idx),
      applied: (here) => this.#applied(here),
      caughtUp: (idx) => this.#caughtUpNow(idx),
    });
    this.#relay = new RelaySession({
      identity,
      options,
      outbox,
      conversation: this.conversation,
      stream: this.#stream,
      sender: this.#sender,
      lineActions: this.#lineActions,
      lastIdx: () => this.lastIdx,
      emit: (event, value) => this.emit(event, value),
      alarm: (code, message) => this.#alarm(code, message),
      peerOnline: (online) => {
        this.peerOnline = online;
      },
      stop: () => this.stop(),
    });
    for (const item of outbox.items) this.conversation.queued(item);
  }

  /** Opens a console that was enrolled earlier; throws NOT_FOUND when the storage holds none. */
  static async open(options: ClientOptions): Promise<HotlineClient> {
    const saved = await options.storage.load();
    if (!saved) throw new HotlineError('NOT_FOUND', 'This console is not enrolled yet.');
    const client = new HotlineClient(saved.identity, new Outbox(saved.identity, options.storage, saved), options);
    await client.#checkpoints.restore(saved.checkpoint);
    return client;
  }

  static async enrol(enrolment: EnrolOptions, options: ClientOptions): Promise<HotlineClient> {
    const identity = await enrol(enrolment);
    const outbox = new Outbox(identity, options.storage);
    await outbox.persist();
    return new HotlineClient(identity, outbox, options);
  }

  get chain(): ChainVerifier {
    return this.log.chain;
  }

  get conversation(): Conversation {
    return this.log.conversation;
  }

  /** Injects addressed to this station: their content is in this console's stream, the other's is not. */
  get injects(): InjectBook {
    return this.log.injects;
  }

  get station(): string {
    return this.identity.station;
  }

  /** A translator device translates and answers link tests; it sends, acknowledges and calls nothing. */
  get role(): 'operator' | 'translator' {
    return roleOf(this.identity);
  }

  /** Call requests, link tests and translations as verified from the log (read them; never change them). */
  get line(): LineBook {
    return this.chain.line;
  }

  get peer(): string {
    return peerStation(this.identity);
  }

  get link(): LinkState {
    return this.#relay.link;
  }

  /** The relay URLs this console uses in turn: the enrolled one, its alternates (failover). */
  get relays(): readonly string[] {
    return this.#relay.urls;
  }

  /** The idx of the last entry verified and applied; -1 before any. */
  get lastIdx(): number {
    return this.chain.length - 1;
  }

  messages(): MessageView[] {
    return this.conversation.list();
  }

  /** Messages of both stations and the injects addressed to this one, in log order (unlogged items last). */
  traffic(): TrafficItem[] {
    return this.log.traffic();
  }

  /** The exercise's phase and clock as this console verified them from the log. */
  get exercise(): ExerciseStatus {
    return this.log.exercise;
  }

  /** Exercise time (ms since STARTEX, compressed, frozen while paused or ended) at `now`; null before STARTEX. */
  exerciseTime(now = Date.now()): number | null {
    return this.chain.clock.exerciseMs(now);
  }

  /** ENDEX: the relay accepts nothing more, so nothing more is signed. */
  get lineClosed(): boolean {
    return this.log.lineClosed;
  }

  start(): void {
    this.#relay.start();
  }

  /** Closes the link; resolves once the console has applied what it received and saved its state. */
  async stop(): Promise<void> {
    this.#relay.stop();
    await this.#stream.idle();
    await this.outbox.idle();
  }

  /** Signs and queues a message durably, then sends it; resolves once it is queued (EXERCISE_ENDED after ENDEX). */
  send(draft: Draft): Promise<MessageView> {
    return this.#sender.send(draft);
  }

  /** The operator has read an incoming message or an inject: send a signed `acknowledged` receipt. */
  acknowledge(id: string, note?: string): Promise<void> {
    return this.#sender.acknowledge(id, note);
  }

  /** Whether an `acknowledged` receipt for this message or inject is signed (on its way, or in the log). */
  ackInFlight(id: string): boolean {
    return this.#sender.ackInFlight(id);
  }

  /** Signs and queues a call request to the other station; resolves with its id once it is queued. */
  requestCall(request: CallRequest): Promise<string> {
    return this.#lineActions.requestCall(request);
  }

  /** Answers a call request awaiting this station: accept, propose another time, or decline. */
  answerCall(callId: string, answer: CallAnswer): Promise<void> {
    return this.#lineActions.answerCall(callId, answer);
  }

  /** Signs this station's translation of an incoming message, in this station's language. */
  translate(messageId: string, draft: TranslationDraft): Promise<void> {
    return this.#lineActions.translate(messageId, draft);
  }

  /** Whether an answer to this call, a translation of this message, or a reply to this test is on its way. */
  lineInFlight(ref: string): boolean {
    return this.#lineActions.inFlight(ref);
  }

  #alarm(code: ErrorCode, message: string, idx?: number): void {
    this.emit('alarm', { code, message, at: new Date().toISOString(), ...(idx === undefined ? {} : { idx }) });
  }

  /** What this console does with each entry it verified: tell its screens, answer its link tests, deliver. */
  async #applied(here: AppliedHere): Promise<void> {
    this.emit('entry', here.applied);
    if (here.applied.item) this.#lineActions.logged(here.applied.item.payload);
    if (here.line) this.emit('line', here.line);
    if (here.line?.kind === 'link' && this.#stream.caughtUp) await this.#lineActions.answerOpenTest(this.options);
    if (here.message) this.emit('message', here.message);
    if (here.inject) this.emit('inject', here.inject);
    if (here.exercise) this.emit('exercise', this.exercise);
    if ((here.message || here.inject) && this.#stream.caughtUp && this.options.autoDeliver !== false)
      await this.#sender.deliverAll();
  }

  async #caughtUpNow(idx: number): Promise<void> {
    this.emit('caughtUp', { idx });
    if (this.options.autoDeliver !== false) await this.#sender.deliverAll();
    // Link tests are answered once caught up: an old test is answered or missed further on in the log.
    await this.#lineActions.answerOpenTest(this.options);
  }
}
