// The floor: a bare WebSocket relay speaking just enough of the protocol for the same bench consoles
// (challenge, hello, welcome, submit, accepted, entry) with no signature checks, no schema checks, no hash
// chain and no storage. It numbers each exercise's items and forwards every one to both consoles of the
// exercise, as the real relay streams its log. Whatever the real relay costs above this is its own work.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { chooseSubprotocol, SUBPROTOCOL_V2, WS_PATH } from '../shared/protocol.js';
import { decodePayload } from './signer.js';

/** A fault the bare relay can inject once, so tests can prove the bench catches it. */
export type BareFault = 'drop' | 'duplicate' | 'reorder';

/** A fixed stand-in for entry hashes: the bare relay hashes nothing. */
const FAKE_HASH = 'b'.repeat(43);
/** The fault hits this message of exercise 0 (far enough in that setup noise is over). */
const FAULT_AT = 5;

export interface BareRelay {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The submitter's own copy of an entry frame, with its answer inside (version 2). */
interface Own {
  to: WebSocket;
  frame: string;
}

interface Room {
  next: number;
  sockets: Set<WebSocket>;
  messages: number;
  held?: { frame: string; own?: Own };
}

export async function startBareRelay(options: { fault?: BareFault } = {}): Promise<BareRelay> {
  const server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({
    server,
    path: WS_PATH,
    perMessageDeflate: false,
    maxPayload: 256 * 1024,
    handleProtocols: (protocols) => chooseSubprotocol(protocols) ?? false,
  });
  const rooms = new Map<string, Room>();
  let faulted = false;

  let faultRoom: Room | undefined;
  const send = (room: Room, frame: string, own?: Own) => {
    for (const s of room.sockets) s.send(own?.to === s ? own.frame : frame);
  };
  const forward = (room: Room, frame: string, isMessage: boolean, own?: Own) => {
    if (isMessage && ++room.messages === FAULT_AT && room === faultRoom && options.fault && !faulted) {
      faulted = true;
      if (options.fault === 'drop') return;
      if (options.fault === 'reorder') {
        room.held = own ? { frame, own } : { frame };
        return;
      }
      send(room, frame, own);
    }
    send(room, frame, own);
    if (room.held !== undefined) {
      const held = room.held;
      delete room.held;
      send(room, held.frame, held.own);
    }
  };

  wss.on('connection', (ws) => {
    let room: Room | undefined;
    ws.send(JSON.stringify({ type: 'challenge', nonce: 'bare-relay-nonce-0000', relayKid: 'bare' }));
    ws.on('message', (data) => {
      // binaryType is the default nodebuffer: a frame arrives as one Buffer.
      const frame = JSON.parse((data as Buffer).toString()) as { type: string; jws?: string };
      if (frame.type === 'hello' && frame.jws) {
        const hello = decodePayload<{ exercise: string; station: string }>(frame.jws);
        room = rooms.get(hello.exercise);
        if (!room) {
          rooms.set(hello.exercise, (room = { next: 0, sockets: new Set(), messages: 0 }));
          faultRoom ??= room;
        }
        room.sockets.add(ws);
        ws.send(
          JSON.stringify({
            type: 'welcome',
            exercise: hello.exercise,
            station: hello.station,
            kid: '',
            peer: { station: '', online: room.sockets.size > 1 },
            head: null,
            checkpoint: null,
            nextSeq: 0,
          }),
        );
      } else if (frame.type === 'submit' && frame.jws && room) {
        const p = decodePayload<{ id: string; seq: number; type: string }>(frame.jws);
        const idx = room.next++;
        const at = new Date().toISOString();
        const body = `{"idx":${idx},"prev":"${FAKE_HASH}","at":"${at}","kind":"${p.type}","jws":"${frame.jws}","hash":"${FAKE_HASH}"}`;
        const entry = `{"type":"entry","entry":${body}}`;
        if (ws.protocol === SUBPROTOCOL_V2) {
          // As the relay does for version 2: the submitter's answer inside its copy of the entry, one frame.
          const answer = JSON.stringify({ id: p.id, seq: p.seq, checkpoint: '' });
          forward(room, entry, p.type === 'message', {
            to: ws,
            frame: `{"type":"entry","entry":${body},"accepted":${answer}}`,
          });
        } else {
          ws.send(JSON.stringify({ type: 'accepted', id: p.id, seq: p.seq, idx, hash: FAKE_HASH, at, checkpoint: '' }));
          forward(room, entry, p.type === 'message');
        }
      }
    });
    ws.on('close', () => room?.sockets.delete(ws));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => server.close(() => resolve()));
      }),
  };
}
