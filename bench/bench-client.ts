// A lean console for load: one WebSocket, the challenge/hello handshake, raw submits of pre-built frames,
// and callbacks for what comes back. No outbox, no zod, no chain verification on the hot path (the runner
// verifies every collected entry after the run): its per-frame cost is one JSON.parse.
import WebSocket from 'ws';
import { TYP } from '../shared/items.js';
import { SUBPROTOCOL, SUBPROTOCOLS, WS_PATH } from '../shared/protocol.js';
import type { Entry } from '../shared/entry.js';
import { JwsSigner, type BenchKey } from './signer.js';

export interface ConsoleSpec {
  /** The relay's base URL (http://host:port). */
  url: string;
  exercise: string;
  station: string;
  key: BenchKey;
  /** 2 offers hotline.v2 (answers inside entry frames) before hotline.v1; 1 offers hotline.v1 alone. */
  protocol: 1 | 2;
}

export interface ConsoleHandlers {
  /** `now` is performance.now() when the frame arrived, before any work on it. */
  entry(entry: Entry, now: number): void;
  accepted(id: string, seq: number, checkpoint: string, now: number): void;
  rejected(frame: { id?: string; seq?: number; code: string; message: string }, now: number): void;
  /** The socket closed while the run still needed it; `code`/`reason` as the relay sent them. */
  closed(code: number, reason: string): void;
}

interface Welcome {
  nextSeq: number;
  head: { idx: number; hash: string } | null;
}

/** The submit frame of a compact JWS (base64url needs no JSON escaping). */
export function submitFrame(jws: string): string {
  return `{"type":"submit","jws":"${jws}"}`;
}

export function wsUrlOf(url: string): string {
  return `${url.replace(/^http/, 'ws')}${WS_PATH}`;
}

export class BenchConsole {
  readonly signer: JwsSigner;
  nextSeq = 0;
  headAtWelcome = -1;
  lastIdx = -1;
  #ws: WebSocket | undefined;
  #handlers: ConsoleHandlers | undefined;
  #ending = false;

  constructor(readonly spec: ConsoleSpec) {
    this.signer = new JwsSigner(spec.key);
  }

  get kid(): string {
    return this.spec.key.kid;
  }

  /** Connects, answers the challenge and resolves on welcome; entries from idx 0 then stream in. */
  connect(handlers: ConsoleHandlers, timeoutMs = 15_000): Promise<void> {
    this.#handlers = handlers;
    const offer = this.spec.protocol === 2 ? [...SUBPROTOCOLS] : [SUBPROTOCOL];
    const ws = new WebSocket(wsUrlOf(this.spec.url), offer, {
      perMessageDeflate: false,
      maxPayload: 1024 * 1024,
    });
    this.#ws = ws;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no welcome within ${timeoutMs} ms`)), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      let welcomed = false;
      ws.on('error', (err) => {
        if (!welcomed) fail(err);
      });
      ws.on('close', (code, reason) => {
        if (!welcomed) fail(new Error(`closed before welcome: ${code} ${reason.toString()}`));
        else if (!this.#ending) this.#handlers?.closed(code, reason.toString());
      });
      ws.on('message', (data) => {
        const now = performance.now();
        // binaryType is the default nodebuffer: a frame arrives as one Buffer.
        const frame = JSON.parse((data as Buffer).toString()) as { type: string } & Record<string, unknown>;
        if (welcomed) return this.#dispatch(frame, now);
        if (frame.type === 'challenge') {
          const hello = {
            exercise: this.spec.exercise,
            station: this.spec.station,
            nonce: frame['nonce'],
            iat: Math.floor(Date.now() / 1000),
          };
          ws.send(JSON.stringify({ type: 'hello', jws: this.signer.sign(hello, TYP.hello), since: -1 }));
        } else if (frame.type === 'welcome') {
          const w = frame as unknown as Welcome;
          welcomed = true;
          clearTimeout(timer);
          this.nextSeq = w.nextSeq;
          this.headAtWelcome = w.head?.idx ?? -1;
          resolve();
        } else if (frame.type === 'error') {
          fail(new Error(`${String(frame['code'])}: ${String(frame['message'])}`));
        }
      });
    });
  }

  #dispatch(frame: { type: string } & Record<string, unknown>, now: number): void {
    const h = this.#handlers!;
    switch (frame.type) {
      case 'entry': {
        const entry = frame['entry'] as Entry;
        if (entry.idx > this.lastIdx) this.lastIdx = entry.idx;
        h.entry(entry, now);
        // Version 2: the answer to this console's own submit rides inside its entry.
        const a = frame['accepted'] as { id: string; seq: number; checkpoint: string } | undefined;
        if (a) h.accepted(a.id, a.seq, a.checkpoint, now);
        return;
      }
      case 'accepted':
        return h.accepted(frame['id'] as string, frame['seq'] as number, frame['checkpoint'] as string, now);
      case 'rejected':
        return h.rejected(frame as unknown as Parameters<ConsoleHandlers['rejected']>[0], now);
      case 'error':
        return h.rejected({ code: String(frame['code']), message: String(frame['message']) }, now);
      default:
        return; // presence, pong: nothing to measure.
    }
  }

  /** True once every entry that existed at welcome has arrived. */
  get caughtUp(): boolean {
    return this.lastIdx >= this.headAtWelcome;
  }

  /** Sends a pre-built frame as is. */
  sendText(text: string): void {
    this.#ws?.send(text);
  }

  /** Submits a signed item (a JWS string) as a submit frame. */
  submit(jws: string): void {
    this.#ws?.send(submitFrame(jws));
  }

  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  close(): Promise<void> {
    this.#ending = true;
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2_000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(1000);
    });
  }
}
