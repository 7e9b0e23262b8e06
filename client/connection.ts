// One logical link to the relay over successive sockets: reconnects with exponential backoff and full
// jitter, measures RTT with application pings (browsers cannot see protocol pings), parses every frame.
// Given several relay URLs (relays of one log), each new socket goes to the next URL in turn, and the
// backoff grows per round through the list, not per socket: a relay that died is left for the next one at
// once, yet each relay is tried no more often than a lone relay would be (docs/PROTOCOL.md section 10).
import { HotlineError } from '../shared/errors.js';
import { parseServerFrame, SUBPROTOCOLS, WS_PATH, type ServerFrame } from '../shared/protocol.js';
import { Emitter } from './emitter.js';

/** The part of the WebSocket API used here: the browser's WebSocket and the ws package both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
/** Opens a socket offering `protocols` (newest first, as the WebSocket API takes them). */
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

/** `url` names the relay: the one being opened, the one the link is on, or the one it tries next. */
export type LinkState =
  | { state: 'connecting'; attempt: number; url: string }
  | { state: 'open'; rtt?: number; url: string }
  | { state: 'reconnecting'; attempt: number; nextAttemptAt: number; reason: string; url: string }
  | { state: 'offline' };

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** With several URLs, the most jitter before the move to the next URL within a round (default 100 ms,
   * and never above baseMs): enough to spread the consoles of a dead relay over its peers, short enough
   * to be streaming again within a second or two. */
  hopMs?: number;
}

/** Default `hopMs`. */
export const HOP_MS = 100;

export function backoffDelay(attempt: number, o: BackoffOptions, random = Math.random): number {
  return Math.round(random() * Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 20)));
}

export function wsUrl(httpUrl: string): string {
  const u = new URL(WS_PATH, httpUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

const OPEN = 1;

export class Connection extends Emitter<{
  frame: ServerFrame;
  link: LinkState;
  closed: { code: number; reason: string };
  invalid: HotlineError;
}> {
  #socket: SocketLike | undefined;
  /** Sockets ended since the last welcome; with N URLs, each N of them make one round. */
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pinger: ReturnType<typeof setInterval> | undefined;
  #handshake: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  #link: LinkState = { state: 'offline' };
  #pingSeq = 0;
  readonly #urls: readonly string[];
  /** Which of #urls the current (or next) socket goes to. */
  #at = 0;

  constructor(
    urls: string | readonly string[],
    private readonly factory: SocketFactory,
    private readonly backoff: BackoffOptions = { baseMs: 250, maxMs: 15_000 },
    private readonly pingMs = 10_000,
    /** A socket not established by then is dropped and the link tries again: a relay (or a proxy) may
     * accept the TCP connection and never answer, and nothing else would ever end the wait. */
    private readonly handshakeMs = 15_000,
  ) {
    super();
    this.#urls = typeof urls === 'string' ? [urls] : [...new Set(urls)];
    if (this.#urls.length === 0) throw new HotlineError('BAD_REQUEST', 'A link needs at least one relay URL.');
  }

  /** The relay URL the current socket goes to (or the next one will). */
  get url(): string {
    return this.#urls[this.#at]!;
  }

  get urls(): readonly string[] {
    return this.#urls;
  }

  get link(): LinkState {
    return this.#link;
  }

  #setLink(link: LinkState): void {
    this.#link = link;
    this.emit('link', link);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#open();
  }

  send(frame: object): boolean {
    if (this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  /** The handshake completed: reset the backoff and start measuring RTT. */
  established(): void {
    clearTimeout(this.#handshake);
    this.#attempt = 0;
    this.#setLink({ state: 'open', url: this.url });
    clearInterval(this.#pinger);
    const ping = () => this.send({ type: 'ping', id: String(++this.#pingSeq), t: Date.now() });
    ping();
    this.#pinger = setInterval(ping, this.pingMs);
  }

  /** Drops the current socket; the link reconnects unless stopped. */
  drop(reason: string): void {
    this.#socket?.close(4000, reason.slice(0, 100));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#handshake);
    clearInterval(this.#pinger);
    this.#socket?.close(1000, 'console closed');
    this.#socket = undefined;
    this.#setLink({ state: 'offline' });
  }

  /** The wait before the next socket, once `failed` sockets ended since the last welcome. Within a round
   * the next relay is tried at once (a short jitter): the one that failed says nothing about the others.
   * When every URL has failed once more, the usual backoff for the rounds done so far, so each relay
   * sees this console no more often than a lone relay would. With one URL every socket ends a round:
   * the plain backoff per attempt. */
  #delay(failed: number): number {
    const n = this.#urls.length;
    if (failed % n !== 0)
      return Math.round(Math.random() * Math.min(this.backoff.hopMs ?? HOP_MS, this.backoff.baseMs));
    return backoffDelay(failed / n - 1, this.backoff);
  }

  #open(): void {
    this.#setLink({ state: 'connecting', attempt: this.#attempt, url: this.url });
    const socket = this.factory(wsUrl(this.url), [...SUBPROTOCOLS]);
    this.#socket = socket;
    clearTimeout(this.#handshake);
    this.#handshake = setTimeout(() => {
      if (socket === this.#socket) socket.close(4000, 'handshake timeout');
    }, this.handshakeMs);
    socket.onmessage = (ev) => {
      if (socket !== this.#socket || typeof ev.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = parseServerFrame(ev.data);
      } catch (err) {
        this.emit('invalid', err instanceof HotlineError ? err : new HotlineError('BAD_FRAME'));
        return;
      }
      if (frame.type === 'pong' && frame.t !== undefined && this.#link.state === 'open') {
        this.#setLink({ state: 'open', rtt: Date.now() - frame.t, url: this.url });
      }
      this.emit('frame', frame);
    };
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (socket !== this.#socket) return;
      clearInterval(this.#pinger);
      clearTimeout(this.#handshake);
      this.#socket = undefined;
      this.emit('closed', { code: ev.code, reason: ev.reason });
      if (this.#stopped) return;
      this.#attempt += 1;
      const delay = this.#delay(this.#attempt);
      // Whatever ended the socket (refused, dropped, killed, a relay with another key), the next relay is
      // tried: a relay that comes back is reached again a turn later.
      this.#at = (this.#at + 1) % this.#urls.length;
      this.#setLink({
        state: 'reconnecting',
        attempt: this.#attempt,
        nextAttemptAt: Date.now() + delay,
        reason: ev.reason || String(ev.code),
        url: this.url,
      });
      this.#timer = setTimeout(() => this.#open(), delay);
    };
  }
}
