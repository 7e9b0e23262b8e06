// A low-level test console on the bare `ws` package (no client library), so tests can say anything:
// it signs hellos and items with its own Ed25519 key, sends raw text frames, builds JWS by hand (alg none,
// wrong alg, extra header parameters) and awaits frames from a queue, in the style of graphql-ws's tclient.
import WebSocket, { type RawData } from 'ws';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { base64url, utf8 } from '../../shared/encoding.js';
import { ALG, thumbprint } from '../../shared/jws.js';
import {
  TYP,
  type CallPayload,
  type LinkReplyPayload,
  type MessagePayload,
  type PublicJwk,
  type ReceiptPayload,
  type TranslationPayload,
} from '../../shared/items.js';
import { parseServerFrame, SUBPROTOCOL, WS_PATH, type ServerFrame, type WelcomeFrame } from '../../shared/protocol.js';

type Api = <T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
) => Promise<{ status: number; body: T }>;
/** The part of the test relay this helper needs. */
export interface RelayLike {
  url: string;
  api: Api;
  issueCode(station: string, exercise?: string): Promise<string>;
}

export type Frame = ServerFrame;

/** The text of a frame as ws hands it over: one Buffer with the default binaryType, other shapes read the
 * same way rather than stringified as objects. */
export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}
export type FrameOf<K extends Frame['type']> = Extract<Frame, { type: K }>;

/** Payload bytes: a Uint8Array as is, a string as its UTF-8, anything else as JSON. */
function bytesOf(payload: unknown): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  return utf8(typeof payload === 'string' ? payload : JSON.stringify(payload));
}

/** A console's device key. `station` and `exercise` are set once it is enrolled. */
export class TestKey {
  station = '';
  exercise = '';

  private constructor(
    readonly kid: string,
    readonly publicJwk: PublicJwk,
    readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
  ) {}

  static async generate(): Promise<TestKey> {
    const pair = await generateKeyPair(ALG, { extractable: true });
    const jwk: JWK = await exportJWK(pair.publicKey);
    const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
    return new TestKey(await thumbprint(publicJwk), publicJwk, pair.privateKey, pair.publicKey);
  }

  /** Signs with jose: header {alg: Ed25519, kid, typ: message} unless `header` overrides any of them. */
  sign(payload: unknown, header: Record<string, unknown> = {}): Promise<string> {
    return new CompactSign(bytesOf(payload))
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: TYP.message, ...header })
      .sign(this.privateKey);
  }

  /**
   * Builds a compact JWS by hand from exactly this header (an object, or raw JSON text): no library checks,
   * so any alg or parameter goes.
   * The signature is a real Ed25519 signature of the signing input by this key, unless one is given
   * ('' for an unsecured alg-none JWS).
   */
  async forge(header: Record<string, unknown> | string, payload: unknown, signature?: string): Promise<string> {
    const headerText = typeof header === 'string' ? header : JSON.stringify(header);
    const input = `${base64url(utf8(headerText))}.${base64url(bytesOf(payload))}`;
    const sig =
      signature ?? base64url(new Uint8Array(await crypto.subtle.sign('Ed25519', this.privateKey, utf8(input))));
    return `${input}.${sig}`;
  }

  /** A hello JWS answering a challenge nonce; `overrides` replace payload fields. */
  hello(nonce: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const payload = {
      exercise: this.exercise,
      station: this.station,
      nonce,
      iat: Math.floor(Date.now() / 1000),
      ...overrides,
    };
    return this.sign(payload, { typ: TYP.hello });
  }
}

type With<T, K extends keyof T> = Pick<T, K> & Partial<T>;

/** A valid message payload with the given routing fields; anything else can be overridden. */
export function message(fields: With<MessagePayload, 'exercise' | 'from' | 'to' | 'seq'>): MessagePayload {
  return {
    v: 1,
    type: 'message',
    id: uuidv7(),
    sentAt: new Date().toISOString(),
    precedence: 'ROUTINE',
    lang: 'en',
    subject: 'Line check',
    body: 'Hourly test message. Please acknowledge.',
    classification: 'UNCLASSIFIED // EXERCISE',
    ...fields,
  };
}

/** A valid receipt payload with the given routing and reference fields. */
export function receipt(
  fields: With<ReceiptPayload, 'exercise' | 'from' | 'to' | 'seq' | 'ref' | 'refHash'>,
): ReceiptPayload {
  return { v: 1, type: 'receipt', id: uuidv7(), sentAt: new Date().toISOString(), kind: 'delivered', ...fields };
}

/** A line item (call, translation, link reply) without the fields every item has. */
type Stamp = 'v' | 'id' | 'exercise' | 'from' | 'to' | 'seq' | 'sentAt';
export type LineFields =
  | (CallPayload extends infer C ? (C extends CallPayload ? Omit<C, Stamp> : never) : never)
  | Omit<TranslationPayload, Stamp>
  | Omit<LinkReplyPayload, Stamp>;

/** The JWS typ of each line item type. */
export const LINE_TYP = { call: TYP.call, translation: TYP.translation, 'link-reply': TYP.linkReply } as const;

/** POST /v1/enrol as a console does; returns the raw answer so tests can check refusals. */
export function postEnrol(
  relay: RelayLike,
  code: string,
  key: TestKey,
  operator = 'duty officer',
  extra: Record<string, unknown> = {},
) {
  return relay.api<Record<string, unknown>>('POST', '/v1/enrol', {
    code,
    publicJwk: key.publicJwk,
    operator,
    ...extra,
  });
}

/** Makes a key and enrols it for a station with a fresh one-time code (as a translator when asked). */
export async function enrolKey(
  relay: RelayLike,
  station: string,
  exercise = 'dtl',
  role?: 'translator',
): Promise<TestKey> {
  const key = await TestKey.generate();
  const extra = role ? { role } : {};
  const res = await postEnrol(relay, await relay.issueCode(station, exercise), key, `${station} operator`, extra);
  if (res.status !== 201) throw new Error(`enrol ${station}: ${res.status} ${JSON.stringify(res.body)}`);
  key.station = station;
  key.exercise = exercise;
  return key;
}

export interface ConnectOptions {
  origin?: string;
  /** Subprotocols to offer; [SUBPROTOCOL] by default, [] for none. */
  protocols?: string[];
}

export function wsUrl(relay: { url: string }): string {
  return `${relay.url.replace('http', 'ws')}${WS_PATH}`;
}

function socket(relay: { url: string }, options: ConnectOptions): WebSocket {
  return new WebSocket(wsUrl(relay), options.protocols ?? [SUBPROTOCOL], {
    maxPayload: 1024 * 1024,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
}

/** Opens a WebSocket that the relay must refuse; resolves with the HTTP status and JSON body of the refusal. */
export function refusedUpgrade(
  relay: { url: string },
  options: ConnectOptions = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = socket(relay, options);
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', reject);
    ws.on('unexpected-response', (req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
    });
  });
}

interface Waiter {
  match: (frame: Frame) => boolean;
  resolve: (frame: Frame) => void;
  reject: (err: Error) => void;
}

export class RawConsole {
  /** Received frames nobody has waited for yet, in arrival order. */
  readonly queue: Frame[] = [];
  /** Every text the relay sent that is not a valid server frame (a test asserts there are none). */
  readonly malformed: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  challenge!: FrameOf<'challenge'>;
  welcome: WelcomeFrame | undefined;
  key: TestKey | undefined;
  /** The next seq this console's key will use: from welcome, advanced by `accept`. */
  seq = 0;
  #waiters: Waiter[] = [];
  #closedWith: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = frameText(data);
      let frame: Frame;
      try {
        frame = parseServerFrame(text);
      } catch {
        this.malformed.push(isBinary ? `(binary) ${text}` : text);
        try {
          frame = JSON.parse(text) as Frame;
        } catch {
          return;
        }
      }
      const i = this.#waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(frame);
      else this.queue.push(frame);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closedWith = { code, reason: reason.toString() };
        for (const w of this.#waiters.splice(0))
          w.reject(new Error(`socket closed (${code} ${reason.toString()}) while waiting for a frame`));
        resolve(this.#closedWith);
      });
    });
  }

  /** Connects and reads the challenge. */
  static async connect(relay: { url: string }, options: ConnectOptions = {}): Promise<RawConsole> {
    const ws = socket(relay, options);
    const c = new RawConsole(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    c.challenge = await c.waitFor('challenge');
    return c;
  }

  /** Connects, says hello with `key` and waits for the welcome. */
  static async open(relay: { url: string }, key: TestKey, options: ConnectOptions = {}): Promise<RawConsole> {
    const c = await RawConsole.connect(relay, options);
    await c.authenticate(key);
    return c;
  }

  get exercise(): string {
    return this.welcome?.exercise ?? this.key?.exercise ?? '';
  }

  get station(): string {
    return this.welcome?.station ?? this.key?.station ?? '';
  }

  get peer(): string {
    return this.welcome?.peer.station ?? '';
  }

  /** Sends a raw text frame, or an object as JSON. */
  send(frame: string | object): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async authenticate(key: TestKey, since?: number): Promise<WelcomeFrame> {
    this.key = key;
    this.send({ type: 'hello', jws: await key.hello(this.challenge.nonce), ...(since === undefined ? {} : { since }) });
    this.welcome = await this.waitFor('welcome');
    this.seq = this.welcome.nextSeq;
    return this.welcome;
  }

  /** A valid message from this console to its peer at its next seq; `overrides` replace any field. */
  message(overrides: Partial<MessagePayload> = {}): MessagePayload {
    return message({ exercise: this.exercise, from: this.station, to: this.peer, seq: this.seq, ...overrides });
  }

  /** A valid receipt from this console for a message it received. */
  receipt(ref: string, refHash: string, overrides: Partial<ReceiptPayload> = {}): ReceiptPayload {
    return receipt({
      exercise: this.exercise,
      from: this.station,
      to: this.peer,
      seq: this.seq,
      ref,
      refHash,
      ...overrides,
    });
  }

  /** A line item (call, translation, link reply) from this console to its peer at its next seq. */
  lineItem(fields: LineFields, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      v: 1,
      id: uuidv7(),
      exercise: this.exercise,
      from: this.station,
      to: this.peer,
      seq: this.seq,
      sentAt: new Date().toISOString(),
      ...fields,
      ...overrides,
    };
  }

  /** Signs and submits a line item with its typ; advances seq when it is accepted. */
  async submitLine(
    fields: LineFields,
    overrides: Record<string, unknown> = {},
  ): Promise<{ payload: Record<string, unknown>; answer: FrameOf<'accepted'> | FrameOf<'rejected'> }> {
    const payload = this.lineItem(fields, overrides);
    const answer = await this.submit(await this.sign(payload, { typ: LINE_TYP[fields.type] }));
    if (answer.type === 'accepted') this.seq = answer.seq + 1;
    return { payload, answer };
  }

  /** Signs a payload with this console's key (see TestKey.sign). */
  sign(payload: unknown, header: Record<string, unknown> = {}): Promise<string> {
    if (!this.key) throw new Error('no key: authenticate first');
    return this.key.sign(payload, header);
  }

  /** Submits a JWS and waits for its answer (the next accepted or rejected frame). */
  async submit(jws: string, timeoutMs?: number): Promise<FrameOf<'accepted'> | FrameOf<'rejected'>> {
    this.send({ type: 'submit', jws });
    return this.result(timeoutMs);
  }

  /** The next accepted or rejected frame. */
  result(timeoutMs?: number): Promise<FrameOf<'accepted'> | FrameOf<'rejected'>> {
    return this.waitForFrame(
      (f): f is FrameOf<'accepted'> | FrameOf<'rejected'> => f.type === 'accepted' || f.type === 'rejected',
      timeoutMs,
    );
  }

  /** Signs and submits a valid message at the next seq; throws unless it is accepted, then advances seq. */
  async accept(
    overrides: Partial<MessagePayload> = {},
  ): Promise<{ payload: MessagePayload; accepted: FrameOf<'accepted'> }> {
    const payload = this.message(overrides);
    const answer = await this.submit(await this.sign(payload));
    if (answer.type !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(answer)}`);
    this.seq = answer.seq + 1;
    return { payload, accepted: answer };
  }

  /** Resolves with the first queued or next arriving frame that matches; rejects after the timeout. */
  waitForFrame<T extends Frame = Frame>(
    match: ((frame: Frame) => frame is T) | ((frame: Frame) => boolean),
    timeoutMs = 5_000,
  ): Promise<T> {
    const i = this.queue.findIndex((f) => match(f));
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0] as T);
    if (this.#closedWith)
      return Promise.reject(new Error(`socket already closed (${this.#closedWith.code}); no matching frame queued`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        const seen = this.queue.map((f) => f.type).join(', ') || 'nothing';
        reject(new Error(`no matching frame within ${timeoutMs} ms (queued: ${seen})`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** The first queued or next frame of a type. */
  waitFor<K extends Frame['type']>(type: K, timeoutMs?: number): Promise<FrameOf<K>> {
    return this.waitForFrame((f): f is FrameOf<K> => f.type === type, timeoutMs);
  }

  /** Resolves with the close code and reason; rejects if the socket is still open after the timeout. */
  waitForClose(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }
}
