// How relays sharing one PostgreSQL database learn of each other's commits. Each batch's transaction sends
// one NOTIFY per exercise it appended to, naming the new head; PostgreSQL delivers a notification only if
// its transaction commits, and in commit order, so a relay is never told of an entry it cannot read yet.
// Every relay LISTENs on one dedicated connection. When that connection is lost, notifications sent
// meanwhile are gone: once it is back, the relay is told to read every head again (resync).
import type pg from 'pg';
import type { Logger } from 'pino';
import type { LogWatcher, WatchHandle } from './types.js';

/** One channel per schema: notifications are per database, and stores in two schemas are two logs. */
export function channelOf(schema: string | undefined): string {
  return schema === undefined ? 'hotline_log' : `hotline_log_${schema}`;
}

/** What one notification says: which process committed, to which exercise, up to which idx. */
interface HeadNotice {
  /** The committing store's instance id: a relay skips its own commits, which it already streamed. */
  r: string;
  e: string;
  h: number;
  /** 1 when the commit holds control entries (what the exercise runner follows). */
  c: 0 | 1;
}

/** The heads a batch moved, gathered while it is linked. */
export class BatchHeads {
  readonly #heads = new Map<string, { idx: number; control: boolean }>();

  moved(exercise: string, idx: number, control: boolean): void {
    const h = this.#heads.get(exercise);
    this.#heads.set(exercise, { idx: Math.max(idx, h?.idx ?? -1), control: control || (h?.control ?? false) });
  }

  /** Queues the notifications inside the batch's transaction: sent if, and when, it commits. */
  async notify(client: pg.PoolClient, channel: string, instance: string): Promise<void> {
    if (this.#heads.size === 0) return;
    const notices = [...this.#heads].map(([e, h]) =>
      JSON.stringify({ r: instance, e, h: h.idx, c: h.control ? 1 : 0 } satisfies HeadNotice),
    );
    await client.query('SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n', [channel, notices]);
  }
}

function parse(payload: string | undefined): HeadNotice | undefined {
  try {
    const n = JSON.parse(payload ?? '') as Partial<HeadNotice>;
    if (typeof n.r === 'string' && typeof n.e === 'string' && Number.isSafeInteger(n.h)) return n as HeadNotice;
  } catch {
    // Not ours: some other program notifying on the channel.
  }
  return undefined;
}

export interface ListenerOptions {
  client: () => pg.Client;
  /** Sends one notification on a pooled connection. */
  notify: (channel: string, text: string) => Promise<void>;
  /** A plain identifier (channelOf). */
  channel: string;
  instance: string;
  log?: Logger;
  /** How often the listening connection is proved alive (a dead TCP peer sends no error). */
  pingMs?: number;
  /** The longest wait between two attempts to listen again. */
  maxBackoffMs?: number;
}

/** Listens until closed; re-listens with backoff whenever the connection is lost, then asks for a resync. */
/** The channel relays talk on, beside the one commits are announced on. */
const peersOf = (channel: string) => `${channel}_peers`;

export class PgListener implements WatchHandle {
  #client: pg.Client | undefined;
  #live = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;

  constructor(
    private readonly options: ListenerOptions,
    private readonly watcher: LogWatcher,
  ) {}

  get live(): boolean {
    return this.#live;
  }

  get instance(): string {
    return this.options.instance;
  }

  tell(text: string): Promise<void> {
    return this.options.notify(peersOf(this.options.channel), text);
  }

  /** Resolves once listening for the first time (rejects if that fails: the relay does not start). */
  async start(): Promise<void> {
    try {
      await this.#listen();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async #listen(): Promise<void> {
    const client = this.options.client();
    this.#client = client;
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === peersOf(this.options.channel)) return this.watcher.heard(msg.payload ?? '');
      if (msg.channel !== this.options.channel) return;
      const n = parse(msg.payload);
      if (n && n.r !== this.options.instance) this.watcher.committed(n.e, n.h, n.c === 1);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}; LISTEN ${peersOf(this.options.channel)}`);
    } catch (err) {
      if (this.#client === client) this.#client = undefined;
      client.end().catch(() => undefined);
      throw err;
    }
    if (this.#closed) return void (await client.end().catch(() => undefined));
    this.#live = true;
    this.#attempt = 0;
    this.#schedule(this.options.pingMs ?? 5_000, () => this.#ping(client));
  }

  async #ping(client: pg.Client): Promise<void> {
    const timeout = setTimeout(() => this.#lost(client), 3_000);
    try {
      await client.query('SELECT 1');
      if (client === this.#client && !this.#closed)
        this.#schedule(this.options.pingMs ?? 5_000, () => this.#ping(client));
    } catch {
      this.#lost(client);
    } finally {
      clearTimeout(timeout);
    }
  }

  #lost(client: pg.Client): void {
    if (client !== this.#client || this.#closed) return;
    this.#client = undefined;
    if (this.#live) this.options.log?.warn('lost the connection that listens for other relays; listening again');
    this.#live = false;
    client.end().catch(() => undefined);
    this.#retry();
  }

  #retry(): void {
    const delay = Math.min(this.options.maxBackoffMs ?? 2_000, 100 * 2 ** this.#attempt++);
    this.#schedule(delay, async () => {
      try {
        await this.#listen();
        this.watcher.resync();
      } catch {
        // #schedule keeps one timer: a retry the lost connection already asked for is the same retry.
        if (!this.#closed) this.#retry();
      }
    });
  }

  #schedule(ms: number, task: () => Promise<void>): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void task(), ms);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
