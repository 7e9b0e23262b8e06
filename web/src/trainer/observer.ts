// The live feed of one exercise for a trainer: a read-only WebSocket (`observe` with the trainer token in
// the first frame, never in the URL) that receives the whole log and then every new entry, verifies each
// with a ChainVerifier (hash chain and signatures), and keeps both operators' conversations up to date.
// Exercise control's stream carries the content (`reveal`) of every private entry, so the verifier reads as
// audience 'control': it checks each commitment and requires every reveal. The observer also keeps each
// station's injects with their receipts, the trainer notes and (in the verifier) the exercise clock.
// No DOM: the page passes its origin and the browser WebSocket; tests pass a scripted socket.
import { ChainVerifier, type Applied } from '../../../shared/chain.js';
import { HotlineError } from '../../../shared/errors.js';
import type { Entry } from '../../../shared/entry.js';
import type { ExerciseDef } from '../../../shared/items.js';
import type { ServerFrame } from '../../../shared/protocol.js';
import { Connection, type LinkState, type SocketFactory } from '../../../client/connection.js';
import { Conversation, type MessageView } from '../../../client/conversation.js';
import { Emitter } from '../../../client/emitter.js';
import { InjectBook } from '../../../client/injects.js';
import type { EntryContext } from './entry-text.js';
import { noteOf, type NoteView } from './trainer-notes.js';
import { scenarioData } from '../../../shared/run-entries.js';
import { shortName } from '../../../shared/stations.js';
import type { Scenario } from '../../../shared/scenario.js';
import type { TrainerAlarm } from './deadlines.js';
import { logAlarm, type OperatorInfo } from './replay-model.js';

export type ObserverEvents = {
  /** Something changed (entries applied, presence, link): re-render. */
  update: undefined;
  entry: { applied: Applied; view?: MessageView; caughtUp: boolean };
  presence: { station: string; online: boolean };
  alarm: TrainerAlarm;
  link: LinkState;
  /** The relay refused the observer (token refused or exercise gone): reconnecting cannot help. */
  fatal: HotlineError;
};

export class Observer extends Emitter<ObserverEvents> {
  readonly chain = new ChainVerifier({ audience: 'control' });
  readonly records: Applied[] = [];
  readonly conversations: [Conversation, Conversation];
  /** Each station's injects, in the order of def.stations, with their receipts. */
  readonly injects: [InjectBook, InjectBook];
  readonly notes: NoteView[] = [];
  /** The scenario loaded last, as the log holds it. */
  scenario: Scenario | undefined;
  readonly online = new Map<string, boolean>();
  readonly operators = new Map<string, OperatorInfo>();
  readonly alarms: TrainerAlarm[] = [];
  /** The idx the relay said was its head when we started observing; entries up to it are history. */
  headAtStart = -1;
  broken: TrainerAlarm | undefined;
  #conn: Connection;
  #applying: Promise<void> = Promise.resolve();

  constructor(
    readonly def: ExerciseDef,
    private readonly token: () => string | undefined,
    /** The relay to watch through, then the other relays of the log to fail over to. */
    relays: string | readonly string[],
    socket: SocketFactory,
  ) {
    super();
    this.conversations = [new Conversation(def.stations[0].id), new Conversation(def.stations[1].id)];
    this.injects = [
      new InjectBook(def.stations[0].id, this.chain.clock),
      new InjectBook(def.stations[1].id, this.chain.clock),
    ];
    this.#conn = new Connection(relays, socket, { baseMs: 500, maxMs: 15_000 });
    this.#conn.on('frame', (f) => this.#onFrame(f));
    this.#conn.on('link', (l) => {
      if (l.state !== 'open') for (const st of def.stations) this.online.delete(st.id);
      this.emit('link', l);
      this.emit('update', undefined);
    });
    this.#conn.on('invalid', (err) =>
      this.#alarm('verification', err.code, `The relay sent an invalid frame: ${err.message}`),
    );
  }

  get link(): LinkState {
    return this.#conn.link;
  }

  get lastIdx(): number {
    return this.chain.length - 1;
  }

  /** What describing an entry needs to look up: messages, injects and the lifecycle so far. */
  get entryContext(): EntryContext {
    return {
      def: this.def,
      message: (id) => this.conversations[0].messages.get(id) ?? this.conversations[1].messages.get(id),
      inject: (hash) => this.chain.injects.get(hash),
      transitions: this.chain.clock.transitions,
      line: this.chain.line,
    };
  }

  start(): void {
    this.#conn.start();
  }

  stop(): void {
    this.#conn.stop();
  }

  #alarm(kind: TrainerAlarm['kind'], code: string, message: string, idx?: number): TrainerAlarm {
    const alarm: TrainerAlarm = {
      id: `${kind}:${code}:${idx ?? this.alarms.length}`,
      at: Date.now(),
      kind,
      code,
      message,
      ...(idx === undefined ? {} : { idx }),
    };
    this.alarms.push(alarm);
    this.emit('alarm', alarm);
    this.emit('update', undefined);
    return alarm;
  }

  #onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'challenge': {
        const token = this.token();
        if (!token) return this.#fatal(new HotlineError('UNAUTHORIZED', 'Not signed in.'));
        this.#conn.send({ type: 'observe', token, exercise: this.def.id, since: this.lastIdx });
        return;
      }
      case 'observing':
        this.#conn.established();
        if (this.headAtStart < 0) this.headAtStart = frame.head?.idx ?? -1;
        for (const [station, online] of Object.entries(frame.online)) this.online.set(station, online);
        this.emit('update', undefined);
        return;
      case 'presence':
        this.online.set(frame.station, frame.online);
        this.emit('presence', { station: frame.station, online: frame.online });
        this.emit('update', undefined);
        return;
      case 'entry':
        this.#applying = this.#applying.then(() => this.#apply(frame.entry as Entry));
        return;
      case 'error':
        if (frame.code === 'UNAUTHORIZED' || frame.code === 'NOT_FOUND')
          this.#fatal(new HotlineError(frame.code, frame.message));
        // TOKEN_EXPIRED (and anything transient): the link reconnects and the next challenge is answered
        // with the session's token as it is then (renewed meanwhile) and since = the last applied idx, so
        // the view goes on with no entry twice and none missing.
        return;
      // The connection measured the round trip from the pong already.
      case 'pong':
        return;
      // A console's frames: an observer submits nothing and is welcomed by 'observing'.
      case 'welcome':
      case 'accepted':
      case 'rejected':
        return;
    }
  }

  #fatal(err: HotlineError): void {
    this.#conn.stop();
    this.emit('fatal', err);
  }

  async #apply(entry: Entry): Promise<void> {
    if (this.broken || entry.idx < this.chain.length) return;
    let applied: Applied;
    try {
      applied = await this.chain.apply(entry);
    } catch (err) {
      const e = err instanceof HotlineError ? err : new HotlineError('CHAIN_BROKEN');
      this.broken = this.#alarm(
        'verification',
        e.code,
        `Verification failed at entry ${entry.idx}: ${e.message}. Nothing after entry ${this.lastIdx} is shown.`,
        entry.idx,
      );
      return;
    }
    this.records.push(applied);
    const data = entry.data ?? {};
    if (entry.kind === 'key-enrolled') {
      const kid = String(data['kid']);
      this.operators.set(kid, {
        kid,
        station: String(data['station']),
        operator: String(data['operator']),
        enrolledAt: Date.parse(entry.at),
      });
    } else if (entry.kind === 'key-revoked') {
      const op = this.operators.get(String(data['kid']));
      if (op) op.revokedAt ??= Date.parse(entry.at);
    }
    const line = this.chain.line;
    const logged = logAlarm(
      applied,
      (s) => shortName(this.def, s),
      (ref) => line.tests.get(ref)?.place.idx ?? line.calls.get(ref)?.place.idx,
    );
    if (logged) {
      this.alarms.push(logged);
      this.emit('alarm', logged);
    }
    if (entry.kind === 'scenario' && entry.reveal) this.scenario = scenarioData.parse(entry.reveal.data).scenario;
    const note = noteOf(entry, this.chain.clock);
    if (note) this.notes.push(note);
    for (const book of this.injects) book.apply(applied);
    let view: MessageView | undefined;
    for (const c of this.conversations) view = c.apply(applied) ?? view;
    this.emit('entry', { applied, caughtUp: entry.idx > this.headAtStart, ...(view ? { view } : {}) });
    this.emit('update', undefined);
  }
}
