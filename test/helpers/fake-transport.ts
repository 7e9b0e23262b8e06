// The relay core without sockets: a fake transport that queues what the relay sends, in the style of
// graphql-ws's tests/utils/tclient.ts (`await transport.next()` resolves with the next frame in order, or
// rejects after a timeout), and a harness around a real Relay over the real MemoryStore, a real relay key
// and real console keys. Every frame is parsed with the protocol's own schema on arrival, so a frame the
// relay builds wrongly fails the test that receives it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { parseServerFrame, type ServerFrame } from '../../shared/protocol.js';
import type { ExerciseDef } from '../../shared/items.js';
import { Metrics } from '../../server/metrics.js';
import { Relay } from '../../server/relay.js';
import type { RelayOptions } from '../../server/relay-deps.js';
import { RelayKey } from '../../server/relay-key.js';
import type { ConsoleSession, Transport } from '../../server/session.js';
import { MemoryStore } from '../../server/store/memory.js';
import type { Store } from '../../server/store/types.js';
import { TestKey } from './raw-console.js';

export type FrameOf<K extends ServerFrame['type']> = Extract<ServerFrame, { type: K }>;

interface Arrival {
  frame?: ServerFrame;
  /** The text was not a valid server frame. */
  error?: Error;
}

interface Waiter {
  resolve: (a: Arrival) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class FakeTransport implements Transport {
  /** Arrived and not read yet, in order. */
  readonly #queue: Arrival[] = [];
  #waiter: Waiter | undefined;
  #onClose: ((c: { code: number; reason: string }) => void)[] = [];
  /** What bufferedAmount() answers: set it to play a socket that does not drain. */
  buffered = 0;
  closedWith: { code: number; reason: string } | undefined;
  /** Texts the relay sent after it closed the transport (a session must send none). */
  readonly afterClose: string[] = [];

  /** The relay sends text, or text already encoded as UTF-8 (a shared entry frame): both arrive as text. */
  send(data: string | Buffer): void {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    if (this.closedWith) {
      this.afterClose.push(text);
      return;
    }
    let arrival: Arrival;
    try {
      arrival = { frame: parseServerFrame(text) };
    } catch (err) {
      arrival = { error: new Error(`not a valid server frame: ${text} (${(err as Error).message})`) };
    }
    const w = this.#take();
    if (w) w.resolve(arrival);
    else this.#queue.push(arrival);
  }

  bufferedAmount(): number {
    return this.buffered;
  }

  close(code: number, reason: string): void {
    if (this.closedWith) throw new Error(`closed twice (${this.closedWith.code}, then ${code})`);
    this.closedWith = { code, reason };
    this.#take()?.reject(new Error(`closed (${code} ${reason}) while waiting for a frame`));
    for (const f of this.#onClose.splice(0)) f(this.closedWith);
  }

  /** The one waiting reader, if any, its timeout cancelled. */
  #take(): Waiter | undefined {
    const w = this.#waiter;
    this.#waiter = undefined;
    if (w) clearTimeout(w.timer);
    return w;
  }

  /** Frames that arrived and were not read yet, without reading them. */
  get pending(): ServerFrame[] {
    return this.#queue.flatMap((a) => (a.frame ? [a.frame] : []));
  }

  /** The next frame the relay sent, in order; rejects after `timeoutMs` or when the transport closes first. */
  async next(timeoutMs = 2_000): Promise<ServerFrame> {
    const arrival = await this.#nextArrival(timeoutMs);
    if (arrival.error) throw arrival.error;
    return arrival.frame!;
  }

  /** The next frame, which must be of this type. */
  async nextOf<K extends ServerFrame['type']>(type: K, timeoutMs?: number): Promise<FrameOf<K>> {
    const frame = await this.next(timeoutMs);
    if (frame.type !== type) throw new Error(`expected a ${type} frame, got ${JSON.stringify(frame)}`);
    return frame as FrameOf<K>;
  }

  #nextArrival(timeoutMs: number): Promise<Arrival> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedWith) return Promise.reject(new Error(`already closed (${this.closedWith.code}); nothing queued`));
    if (this.#waiter) return Promise.reject(new Error('someone is already waiting for the next frame'));
    return new Promise<Arrival>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** The close code and reason; rejects if the transport is still open after `timeoutMs`. */
  waitForClose(timeoutMs = 2_000): Promise<{ code: number; reason: string }> {
    if (this.closedWith) return Promise.resolve(this.closedWith);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
      this.#onClose.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }
}

/** One pino record as JSON, with the serialised error when one was logged. */
export interface LogRecord {
  level: number;
  msg: string;
  err?: { type: string; message: string; stack: string };
  [field: string]: unknown;
}

export const PINO_ERROR = 50;

/** A pino logger that keeps every record, parsed, in `logs`. */
export function captureLog(): { log: Logger; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  return { log: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogRecord) }), logs };
}

export const TEST_EXERCISE: ExerciseDef = {
  id: 'dtl',
  title: 'Defense Telephone Link',
  classification: 'UNCLASSIFIED // EXERCISE',
  stations: [
    { id: 'beijing', name: 'Beijing', lang: 'zh' },
    { id: 'washington', name: 'Washington', lang: 'en' },
  ],
};

export interface Connected {
  session: ConsoleSession;
  transport: FakeTransport;
  challenge: FrameOf<'challenge'>;
}

/** A relay core over a MemoryStore (or the store given), with the exercise `dtl` created. */
export class Core {
  private constructor(
    readonly relay: Relay,
    readonly store: Store,
    readonly key: RelayKey,
    readonly metrics: Metrics,
    /** Every record the relay logged, parsed. */
    readonly logs: LogRecord[],
    private readonly dir: string,
  ) {}

  static async start(options: Partial<RelayOptions> = {}, store: Store = new MemoryStore()): Promise<Core> {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-core-'));
    const { key } = await RelayKey.loadOrCreate(path.join(dir, 'relay-key.jwk'));
    const { log, logs } = captureLog();
    const metrics = new Metrics();
    const relay = new Relay({
      store,
      key,
      metrics,
      log,
      now: Date.now,
      options: {
        helloTimeoutMs: 5_000,
        maxBufferedBytes: 1024 * 1024,
        slowConsumerGraceMs: 10_000,
        maxBatch: 1_000,
        commitWindowMs: 0,
        ...options,
      },
    });
    await relay.append({
      exercise: TEST_EXERCISE.id,
      kind: 'exercise-created',
      at: new Date().toISOString(),
      data: { exercise: TEST_EXERCISE, relayKid: key.kid },
    });
    return new Core(relay, store, key, metrics, logs, dir);
  }

  /** The error records logged so far. */
  errors(): LogRecord[] {
    return this.logs.filter((r) => r.level === PINO_ERROR);
  }

  /** A fresh device key enrolled for a station, straight through the relay's own append. */
  async enrol(station: string): Promise<TestKey> {
    const key = await TestKey.generate();
    await this.relay.append({
      exercise: TEST_EXERCISE.id,
      kind: 'key-enrolled',
      at: new Date().toISOString(),
      data: { kid: key.kid, station, operator: `${station} operator`, publicJwk: key.publicJwk },
    });
    key.station = station;
    key.exercise = TEST_EXERCISE.id;
    return key;
  }

  async revoke(key: TestKey): Promise<void> {
    await this.relay.append({
      exercise: TEST_EXERCISE.id,
      kind: 'key-revoked',
      at: new Date().toISOString(),
      data: { kid: key.kid, reason: 'device lost' },
    });
  }

  /** A new connection, its challenge read. */
  async connect(): Promise<Connected> {
    const transport = new FakeTransport();
    const session = this.relay.connect(transport);
    return { session, transport, challenge: await transport.nextOf('challenge') };
  }

  /** A new connection that said hello with `key`; the frames up to and including the welcome are read. */
  async open(key: TestKey, since?: number): Promise<Connected & { welcome: FrameOf<'welcome'> }> {
    const c = await this.connect();
    c.session.receive(
      JSON.stringify({
        type: 'hello',
        jws: await key.hello(c.challenge.nonce),
        ...(since === undefined ? {} : { since }),
      }),
    );
    for (;;) {
      const frame = await c.transport.next();
      if (frame.type === 'welcome') return { ...c, welcome: frame };
      if (frame.type !== 'presence') throw new Error(`expected welcome, got ${JSON.stringify(frame)}`);
    }
  }

  async stop(): Promise<void> {
    await this.relay.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
