// A relay played in the test process for the client library's unit tests: a SocketFactory whose sockets
// answer hello with a welcome and the log from `since + 1`, each entry as that station receives it (private
// content only where it is addressed to it), accept submits into the log with a signed checkpoint, and refuse
// them EXERCISE_ENDED after ENDEX. Every entry is hashed and linked as the real relay does (LogBuilder);
// what the relay decides (routing, redaction) is the contract of shared/private.ts, not the relay's code.
import { v7 as uuidv7 } from 'uuid';
import type { SocketFactory, SocketLike } from '../../client/connection.js';
import type { Identity } from '../../client/identity.js';
import { GENESIS_PREV, hashEntry, type Entry, type EntryBody } from '../../shared/entry.js';
import { TYP, type ItemPayload } from '../../shared/items.js';
import { signJws } from '../../shared/jws.js';
import { commitmentOf, newSalt, redactFor } from '../../shared/private.js';
import type { InjectData } from '../../shared/run-entries.js';
import { inspectItem } from '../../shared/signed.js';
import { DEFAULT_EXERCISE } from '../../server/exercises.js';
import { LogBuilder, logKeys, type LogKeys } from './log-fixture.js';

const OPEN = 1;
const CLOSED = 3;

/** Appends a private entry (commitment in the hash, content beside it) as the relay writes it. */
export async function addPrivate(
  log: LogBuilder,
  kind: 'inject' | 'note',
  data: Record<string, unknown>,
  to?: string,
  at?: string,
): Promise<Entry> {
  const idx = log.entries.length;
  const reveal = { salt: newSalt(), data };
  const body: EntryBody = {
    idx,
    prev: idx === 0 ? GENESIS_PREV : log.entries[idx - 1]!.hash,
    at: at ?? new Date(Date.parse(log.entries[idx - 1]!.at) + 1000).toISOString(),
    kind,
    ...(to === undefined ? {} : { to }),
    commit: await commitmentOf(reveal),
  };
  const entry: Entry = { ...body, hash: await hashEntry(body), reveal };
  log.entries.push(entry);
  return entry;
}

/** An inject's content as the relay fires it; `over` replaces any field. */
export function injectData(over: Partial<InjectData> = {}): InjectData {
  return {
    id: uuidv7(),
    inject: 'INJ-01',
    from: { zh: '东部战区', en: 'Eastern Theater Command' },
    precedence: 'FLASH',
    subject: { zh: '海上事件', en: 'Incident at sea' },
    body: { zh: '一艘驱逐舰报告与对方舰艇近距离接触。', en: 'A destroyer reports a close encounter at sea.' },
    ...over,
  };
}

class FakeSocket implements SocketLike {
  readyState = OPEN;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  station: string | undefined;

  constructor(private readonly relay: FakeRelay) {}

  /** Frames arrive after the current task, as on a real socket (the client sets its handlers first). */
  deliver(frame: object): void {
    const text = JSON.stringify(frame);
    setTimeout(() => {
      if (this.readyState === OPEN) this.onmessage?.({ data: text });
    }, 0);
  }

  send(data: string): void {
    void this.relay.receive(this, JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.relay.sockets.delete(this);
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }
}

export class FakeRelay {
  readonly sockets = new Set<FakeSocket>();
  /** Every frame each station's sockets were sent, as text: what a byte-level test inspects. */
  readonly sent = new Map<string, string[]>();
  /** Every submit received, as its payload. */
  readonly submits: ItemPayload[] = [];
  /** While true, submits are recorded and never answered (a relay that went quiet). */
  silent = false;
  /** Seqs the log holds per kid, to answer a resubmit idempotently. */
  readonly #accepted = new Map<string, Entry>();

  private constructor(
    readonly keys: LogKeys,
    readonly log: LogBuilder,
  ) {}

  static async start(): Promise<FakeRelay> {
    const keys = await logKeys();
    return new FakeRelay(keys, await LogBuilder.start(keys));
  }

  /** The identity of the console that holds `keys[station]`, as enrolment would have saved it. */
  identity(station: 'beijing' | 'washington'): Identity {
    const k = this.keys[station];
    return {
      url: 'http://fake-relay.invalid',
      exercise: DEFAULT_EXERCISE,
      station,
      operator: `${station} operator`,
      kid: k.kid,
      publicJwk: k.publicJwk,
      privateKey: k.privateKey,
      relay: { kid: this.keys.relay.kid, publicJwk: this.keys.relay.publicJwk },
    };
  }

  readonly socket: SocketFactory = () => {
    const s = new FakeSocket(this);
    this.sockets.add(s);
    s.deliver({ type: 'challenge', nonce: uuidv7().replaceAll('-', ''), relayKid: this.keys.relay.kid });
    return s;
  };

  get ended(): boolean {
    return this.log.entries.some((e) => e.kind === 'exercise-state' && e.data?.['state'] === 'ended');
  }

  #send(socket: FakeSocket, frame: object): void {
    const list = this.sent.get(socket.station ?? '') ?? [];
    list.push(JSON.stringify(frame));
    this.sent.set(socket.station ?? '', list);
    socket.deliver(frame);
  }

  #entryFrame(entry: Entry, station: string): object {
    return { type: 'entry', entry: redactFor(entry, { station }) };
  }

  /** Streams an entry appended by the test (an inject fired, ENDEX) to every console, redacted for each. */
  broadcast(entry: Entry): void {
    for (const s of this.sockets) if (s.station) this.#send(s, this.#entryFrame(entry, s.station));
  }

  async #checkpoint(entry: Entry): Promise<string> {
    const payload = { exercise: 'dtl', idx: entry.idx, hash: entry.hash, at: entry.at };
    return signJws(payload, this.keys.relay.privateKey, this.keys.relay.kid, TYP.checkpoint);
  }

  async receive(socket: FakeSocket, frame: Record<string, unknown>): Promise<void> {
    if (frame['type'] === 'ping')
      return this.#send(socket, { type: 'pong', id: frame['id'], at: new Date().toISOString() });
    const jws = frame['jws'] as string;
    if (frame['type'] === 'hello') {
      const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { station: string };
      const station = payload.station;
      socket.station = station;
      const peer = station === 'beijing' ? 'washington' : 'beijing';
      const last = this.log.entries.at(-1)!;
      const kid = this.keys[station as 'beijing'].kid;
      const nextSeq = [...this.#accepted.keys()].filter((k) => k.startsWith(`${kid}:`)).length;
      this.#send(socket, {
        type: 'welcome',
        exercise: 'dtl',
        station,
        kid,
        peer: { station: peer, online: false },
        head: { idx: last.idx, hash: last.hash },
        checkpoint: null,
        nextSeq,
      });
      const since = (frame['since'] as number | undefined) ?? -1;
      for (const e of this.log.entries.slice(since + 1)) this.#send(socket, this.#entryFrame(e, station));
      return;
    }
    const item = inspectItem(jws).payload;
    this.submits.push(item);
    if (this.silent) return;
    const kid = this.keys[item.from as 'beijing'].kid;
    const logged = this.#accepted.get(`${kid}:${item.seq}`);
    if (!logged && this.ended) {
      const message = 'The exercise has ended.';
      return this.#send(socket, { type: 'rejected', id: item.id, seq: item.seq, code: 'EXERCISE_ENDED', message });
    }
    const entry = logged ?? (await this.log.add(item.type, { jws }));
    this.#accepted.set(`${kid}:${item.seq}`, entry);
    const checkpoint = await this.#checkpoint(entry);
    this.#send(socket, {
      type: 'accepted',
      id: item.id,
      seq: item.seq,
      idx: entry.idx,
      hash: entry.hash,
      at: entry.at,
      checkpoint,
    });
    if (!logged) this.broadcast(entry);
  }
}
