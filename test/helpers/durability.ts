// Helpers for the durability and resume suites: a socket factory that records every frame a real client
// sends and receives, a minimal raw console (challenge, signed hello with `since`, submit), and reading
// an export back as entries with their decoded items.
import WebSocket from 'ws';
import type { SocketFactory, SocketLike } from '../../client/connection.js';
import { wsUrl } from '../../client/connection.js';
import { signHello, type Identity } from '../../client/identity.js';
import type { HotlineClient } from '../../client/client.js';
import type { Alarm } from '../../client/client.js';
import type { RejectedFrame } from '../../shared/protocol.js';
import { SUBPROTOCOL } from '../../shared/protocol.js';
import type { Entry } from '../../shared/entry.js';
import { inspectItem } from '../../shared/signed.js';
import type { ItemPayload } from '../../shared/items.js';
import { frameText } from './raw-console.js';
import { enrolClient, until } from './relay.js';

export type Frame = Record<string, unknown> & { type: string };

export interface Tapped {
  /** 1 for the first socket the factory made, 2 for the next, ... */
  conn: number;
  /** 'open' marks the moment the socket was made (its frame is `{ type: 'open' }`). */
  dir: 'open' | 'in' | 'out';
  frame: Frame;
}

/** A ws socket factory (like nodeSocket) that also records every text frame in both directions. */
export function tappedSocket(log: Tapped[]): SocketFactory {
  let made = 0;
  return (url, protocol) => {
    const conn = ++made;
    const ws = new WebSocket(url, protocol, { maxPayload: 1024 * 1024 });
    log.push({ conn, dir: 'open', frame: { type: 'open' } });
    ws.addEventListener('message', (ev) => {
      if (typeof ev.data === 'string') log.push({ conn, dir: 'in', frame: JSON.parse(ev.data) as Frame });
    });
    const send = ws.send.bind(ws);
    const socket = ws as unknown as SocketLike;
    socket.send = (data: string) => {
      log.push({ conn, dir: 'out', frame: JSON.parse(data) as Frame });
      send(data);
    };
    return socket;
  };
}

/** The number of the newest socket in a tap log (0 when none). */
export function lastConn(log: Tapped[]): number {
  return log.reduce((max, t) => Math.max(max, t.conn), 0);
}

/** The idx of every `entry` frame received on one socket, in arrival order. */
export function entryIdxs(log: Tapped[], conn: number): number[] {
  return log
    .filter((t) => t.conn === conn && t.dir === 'in' && t.frame.type === 'entry')
    .map((t) => (t.frame['entry'] as Entry).idx);
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Collects alarms and non-transient rejections so a test can assert that there were none. */
export function watchTrouble(...clients: HotlineClient[]): { alarms: Alarm[]; rejected: RejectedFrame[] } {
  const seen = { alarms: [] as Alarm[], rejected: [] as RejectedFrame[] };
  for (const c of clients) {
    c.on('alarm', (a) => seen.alarms.push(a));
    c.on('rejected', (r) => seen.rejected.push(r));
  }
  return seen;
}

/** Enrols a Beijing and a Washington console through `issuer`, hands their stops to `cleanups`, watches them
 * for trouble, starts them and waits until each sees the other online. */
export async function startWatchedPair(
  issuer: Parameters<typeof enrolClient>[0],
  cleanups: (() => unknown)[],
  presenceMs = 10_000,
): Promise<{ beijing: HotlineClient; washington: HotlineClient; trouble: ReturnType<typeof watchTrouble> }> {
  const beijing = await enrolClient(issuer, 'beijing');
  const washington = await enrolClient(issuer, 'washington');
  cleanups.push(
    () => beijing.stop(),
    () => washington.stop(),
  );
  const trouble = watchTrouble(beijing, washington);
  beijing.start();
  washington.start();
  await until(() => beijing.peerOnline && washington.peerOnline, presenceMs, 'presence');
  return { beijing, washington, trouble };
}

/** A console speaking the wire protocol directly, with the identity of an enrolled client. */
export class RawConsole {
  readonly frames: Frame[] = [];
  welcome: Frame | undefined;
  closed = false;

  private constructor(private readonly ws: WebSocket) {}

  /** Connects, answers the challenge with a signed hello carrying `since`, resolves after `welcome`. */
  static async open(identity: Identity, since: number, timeoutMs = 5000): Promise<RawConsole> {
    const ws = new WebSocket(wsUrl(identity.url), SUBPROTOCOL);
    const raw = new RawConsole(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(frameText(data)) as Frame;
      raw.frames.push(frame);
      if (frame.type === 'challenge') {
        void signHello(identity, frame['nonce'] as string).then((jws) =>
          ws.send(JSON.stringify({ type: 'hello', jws, since })),
        );
      }
      if (frame.type === 'welcome') raw.welcome = frame;
    });
    ws.on('close', () => {
      raw.closed = true;
    });
    ws.on('error', () => undefined);
    await until(() => raw.welcome !== undefined || raw.closed, timeoutMs, 'welcome on a raw console');
    if (!raw.welcome) throw new Error(`raw console closed before welcome: ${JSON.stringify(raw.frames)}`);
    return raw;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Entries received, in arrival order. */
  entries(): Entry[] {
    return this.frames.filter((f) => f.type === 'entry').map((f) => f['entry'] as Entry);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000, 'test done');
    });
  }
}

export interface LoggedEntry {
  entry: Entry;
  /** The decoded signed item of message and receipt entries. */
  item?: { kid: string; payload: ItemPayload };
}

/** Splits an export (JSON Lines: header, entries, checkpoint trailer) into its entries. */
export function parseExport(text: string): LoggedEntry[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.slice(1, -1).map((line) => {
    const entry = JSON.parse(line) as Entry;
    if (entry.jws === undefined) return { entry };
    const { kid, payload } = inspectItem(entry.jws);
    return { entry, item: { kid, payload } };
  });
}

/** Message entries of one key, in log order. */
export function messagesOf(log: LoggedEntry[], kid: string): { idx: number; id: string; seq: number; body: string }[] {
  const out: { idx: number; id: string; seq: number; body: string }[] = [];
  for (const { entry, item } of log) {
    if (item?.kid === kid && item.payload.type === 'message')
      out.push({ idx: entry.idx, id: item.payload.id, seq: item.payload.seq, body: item.payload.body });
  }
  return out;
}

/** How many `kind` receipts the log holds for each message id. */
export function receiptCounts(log: LoggedEntry[], kind: 'delivered' | 'acknowledged'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { item } of log) {
    if (item?.payload.type === 'receipt' && item.payload.kind === kind)
      counts.set(item.payload.ref, (counts.get(item.payload.ref) ?? 0) + 1);
  }
  return counts;
}
