// The ws adapter: upgrade checks (path, Origin allow-list, subprotocol, connection caps), the bound on what
// is queued for each socket, protocol-level heartbeat, and handing text frames to the relay core. Nothing
// here decides anything about the protocol.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ERRORS, HotlineError, type ErrorCode } from '../shared/errors.js';
import { chooseSubprotocol, SUBPROTOCOL_V2, WS_PATH } from '../shared/protocol.js';
import { LIMITS } from '../shared/items.js';
import { ConnectionLimits, type ConnectionLimitsOptions, type Ticket } from './connection-limits.js';
import type { Metrics } from './metrics.js';
import type { ConsoleSession, Transport } from './session.js';

/** ws closes (1009) only past this; frames between the protocol limit and this get a clean rejection. */
const HARD_PAYLOAD_LIMIT = 4 * LIMITS.frameBytes;
const SLICES = 10;

/** ws writes each frame with its own syscall. Frames sent to one socket in the same turn (an entry, an
 * acceptance, the peer's entry) leave in one writev instead, a syscall per turn rather than per frame:
 * the first send corks the socket and the turn's end uncorks it. */
function rawSocket(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

function sendCorked(ws: WebSocket, text: string | Buffer): void {
  const socket = rawSocket(ws);
  if (socket && socket.writableCorked === 0 && !socket.destroyed) {
    socket.cork();
    process.nextTick(() => uncork(socket));
  }
  // Bytes already encoded (an entry frame shared by every socket, fanout.ts) go out as a text frame, uncopied.
  ws.send(text, { binary: false });
}

/** Outside ws's own (balanced) cork calls, a corked socket is corked by sendCorked alone. */
function uncork(socket: Socket | undefined): void {
  while (socket && socket.writableCorked > 0) socket.uncork();
}

const NOT_FOLLOWING = 'This relay cannot reach its database now: try another relay of the log.';

/** Refuses an HTTP upgrade with the error's status and the usual JSON body, then closes the socket. */
export function refuse(socket: Duplex, code: ErrorCode, message?: string): void {
  const status = ERRORS[code].http;
  const body = JSON.stringify({ code, message: message ?? ERRORS[code].message });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** ws hands a text frame over as one Buffer (binaryType 'nodebuffer', the default); the other shapes
 * belong to ws's other binary types, read here all the same rather than stringified as objects. */
function bufferOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export interface WsAdapter {
  close(): Promise<void>;
}

/** What the adapter needs from the relay core: a session for each socket, and whether to take one now. */
export interface SessionFactory {
  connect(transport: Transport): Pick<ConsoleSession, 'receive' | 'reject' | 'fail' | 'onClose'>;
  /** False while the relay cannot hear the other relays of its store: upgrades are refused (503). */
  readonly following?: boolean;
}

export interface WsDeps {
  relay: SessionFactory;
  metrics: Metrics;
  log: Logger;
  allowedOrigins: string[];
  heartbeatMs: number;
  /** The fan-out pauses entries at this many unsent bytes; any frame that would queue twice as many (at least
   * one largest frame more) drops the socket (SLOW_CONSUMER), so no other frame can grow its queue either. */
  maxBufferedBytes: number;
  limits: ConnectionLimitsOptions;
}

export function attachWebSocket(server: Server, deps: WsDeps): WsAdapter {
  const { relay, metrics, log, allowedOrigins, heartbeatMs } = deps;
  // Room for one more frame of the largest size past the bound, however small the bound is set.
  const hardBound = Math.max(2 * deps.maxBufferedBytes, deps.maxBufferedBytes + HARD_PAYLOAD_LIMIT);
  const limits = new ConnectionLimits(deps.limits);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: HARD_PAYLOAD_LIMIT,
    perMessageDeflate: false,
    handleProtocols: (protocols) => chooseSubprotocol(protocols) ?? false,
  });
  const missed = new WeakMap<WebSocket, number>();
  // Each socket is pinged once per interval, but in one of SLICES turns: pinging thousands of sockets
  // in a single loop stalls the event loop, and every round trip waiting on it, for the whole loop.
  const slot = new WeakMap<WebSocket, number>();
  let assigned = 0;

  const connected = (ws: WebSocket, ticket: Ticket) => {
    missed.set(ws, 0);
    slot.set(ws, assigned++ % SLICES);
    let overflowed = false;
    const session = relay.connect({
      entryAnswers: ws.protocol === SUBPROTOCOL_V2,
      send: (text) => {
        // Never true while connect() sends the challenge (nothing is queued yet), so `session` is set here.
        const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
        if (!overflowed && ws.bufferedAmount + bytes > hardBound) {
          // Only the error frame that fail() sends next is still queued; the closed session sends nothing more.
          overflowed = true;
          metrics.dropped.inc({ reason: 'slow_consumer' });
          session.fail(new HotlineError('SLOW_CONSUMER', `More than ${hardBound} unsent bytes were queued.`));
          return;
        }
        sendCorked(ws, text);
      },
      bufferedAmount: () => ws.bufferedAmount,
      close: (code, reason) => {
        ws.close(code, reason);
        // The close frame and whatever precedes it go out now: the server may be closing its sockets.
        uncork(rawSocket(ws));
      },
      established: () => ticket.established(),
      pause: () => ws.pause(),
      resume: () => ws.resume(),
    });
    ws.on('pong', () => missed.set(ws, 0));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return session.reject(new HotlineError('BAD_FRAME', 'Only text frames are accepted.'));
      const bytes = bufferOf(data);
      // The limit is in bytes on the wire, not characters: CJK text is three bytes a character.
      if (bytes.length > LIMITS.frameBytes)
        return session.reject(new HotlineError('FRAME_TOO_LARGE', `Frames are limited to ${LIMITS.frameBytes} bytes.`));
      session.receive(bytes.toString());
    });
    ws.on('close', () => session.onClose());
    ws.on('error', (err) => log.debug({ err }, 'websocket error'));
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== WS_PATH) return refuse(socket, 'NOT_FOUND');
    // Browsers always send Origin; a missing one is a native client, which no web page can drive.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) {
      metrics.rejected.inc({ code: 'ORIGIN_FORBIDDEN' });
      log.warn({ origin }, 'websocket upgrade refused: origin not allowed');
      return refuse(socket, 'ORIGIN_FORBIDDEN');
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!chooseSubprotocol(offered)) return refuse(socket, 'SUBPROTOCOL_REQUIRED');
    // A relay that has lost the other relays of its log (their commits) sends consoles to one that has not.
    if (relay.following === false) return refuse(socket, 'STORE_UNAVAILABLE', NOT_FOLLOWING);
    const address = req.socket.remoteAddress ?? '';
    const ticket = limits.admit(address);
    if (typeof ticket === 'string') {
      metrics.rejected.inc({ code: ticket });
      // Debug, not warn: a client hammering the relay must not flood its log too.
      log.debug({ address, pending: limits.pending }, `websocket upgrade refused: ${ticket}`);
      return refuse(socket, ticket);
    }
    // Whatever becomes of the upgrade, the socket's place is given back when the TCP connection closes.
    socket.once('close', () => ticket.release());
    wss.handleUpgrade(req, socket, head, (ws) => connected(ws, ticket));
  });

  let turn = 0;
  const timer = setInterval(() => {
    const current = turn++ % SLICES;
    for (const ws of wss.clients) {
      if (slot.get(ws) !== current) continue;
      const n = missed.get(ws) ?? 0;
      if (n >= 2) {
        metrics.dropped.inc({ reason: 'missed_pongs' });
        ws.terminate();
        continue;
      }
      missed.set(ws, n + 1);
      ws.ping();
    }
  }, heartbeatMs / SLICES);
  timer.unref();

  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
