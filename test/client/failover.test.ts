// Failover between relay URLs, with sockets played in the test process: which URL each new socket goes
// to (the timing is failover-timing.test.ts), the reset after a welcome, the relayKid rule (no hello for a relay
// holding another key), and the resume (since, outbox) on the relay the link moved to.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotlineClient, type Alarm } from '../../client/client.js';
import { wsUrl, type LinkState, type SocketFactory, type SocketLike } from '../../client/connection.js';
import { relayUrls } from '../../client/identity.js';
import { MemoryStorage } from '../../client/storage.js';
import { FakeRelay } from '../helpers/fake-relay.js';
import { until } from '../helpers/relay.js';

const A = 'http://relay-a.invalid';
const B = 'http://relay-b.invalid:8081';
const C = 'https://relay-c.invalid';
const BACKOFF = { baseMs: 8, maxMs: 1_000 };

/** A URL where nothing listens: the socket never opens and closes 1006, as a refused connection does. */
class RefusedSocket implements SocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor() {
    setTimeout(() => {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: '' });
    }, 0);
  }

  send(): void {
    throw new Error('sent on a socket that never opened');
  }

  close(): void {
    this.readyState = 3;
  }
}

/** A relay that answers with a challenge naming another relay key, and records what it is sent. */
class OtherRelaySocket implements SocketLike {
  readyState = 1;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: string[] = [];

  constructor() {
    const challenge = { type: 'challenge', nonce: 'n'.repeat(32), relayKid: 'another-relay-key' };
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(challenge) }), 0);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }
}

interface Opened {
  url: string;
  /** Frames the console sent on it, parsed (sockets of the fake relay only). */
  frames: Record<string, unknown>[];
}

/** Routes each URL to what answers there: the fake relay, a refusal, or a relay with another key. */
function router(relay: FakeRelay, plan: Record<string, 'relay' | 'refused' | 'other'>) {
  const opened: Opened[] = [];
  const others: OtherRelaySocket[] = [];
  const factory: SocketFactory = (url, protocols) => {
    const o: Opened = { url, frames: [] };
    opened.push(o);
    const what = Object.entries(plan).find(([base]) => wsUrl(base) === url)?.[1] ?? 'refused';
    if (what === 'refused') return new RefusedSocket();
    if (what === 'other') {
      const s = new OtherRelaySocket();
      others.push(s);
      return s;
    }
    const s = relay.socket(url, protocols);
    const send = s.send.bind(s);
    s.send = (data: string) => {
      o.frames.push(JSON.parse(data) as Record<string, unknown>);
      send(data);
    };
    return s;
  };
  return { factory, opened, others, set: (url: string, to: 'relay' | 'refused' | 'other') => (plan[url] = to) };
}

const clients: HotlineClient[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

async function open(
  relay: FakeRelay,
  factory: SocketFactory,
  saved: { url: string; alternates?: string[] },
  alternates?: string[],
) {
  const identity = { ...relay.identity('beijing'), ...saved };
  const storage = new MemoryStorage({ identity, nextSeq: 0, outbox: [], checkpoint: null });
  const client = await HotlineClient.open({
    storage,
    socket: factory,
    backoff: BACKOFF,
    ...(alternates ? { alternates } : {}),
  });
  clients.push(client);
  const links: (LinkState & { seen: number })[] = [];
  client.on('link', (l) => links.push({ ...l, seen: Date.now() }));
  const alarms: Alarm[] = [];
  client.on('alarm', (a) => alarms.push(a));
  return { client, links, alarms };
}

describe('the relay list', () => {
  it('is the enrolled relay, then the saved alternates, then those given for the run, each once, as origins', () => {
    const identity = { url: A, alternates: [`${B}/console`, A] } as Parameters<typeof relayUrls>[0];
    expect(relayUrls(identity, [`${C}/`, B])).toEqual([A, B, C]);
    // An identity saved before alternates existed has its url alone.
    expect(relayUrls({ url: A } as Parameters<typeof relayUrls>[0])).toEqual([A]);
    expect(() => relayUrls(identity, ['ftp://x'])).toThrow(/http or https/);
    expect(() => relayUrls(identity, ['relay-b:8080'])).toThrow(/http or https|Not a relay URL/);
  });
});

describe('failover between relay URLs', () => {
  it('tries each URL in turn, moves on at once within a round, names the relay in the link, and resets after a welcome', async () => {
    // random() = 1: every delay is its cap (hop: min(100, baseMs) = 8 ms; round k: 8 * 2^k ms).
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const relay = await FakeRelay.start();
    const net = router(relay, { [A]: 'refused', [B]: 'refused', [C]: 'relay' });
    const { client, links } = await open(relay, net.factory, { url: A, alternates: [B] }, [C]);
    expect(client.relays).toEqual([A, B, C]);
    const welcomed = client.once('welcome');
    client.start();
    await welcomed;
    expect(net.opened.map((o) => o.url)).toEqual([wsUrl(A), wsUrl(B), wsUrl(C)]);
    expect(links).toHaveLength(6);
    expect(links).toMatchObject([
      { state: 'connecting', attempt: 0, url: A },
      { state: 'reconnecting', attempt: 1, reason: '1006', url: B },
      { state: 'connecting', attempt: 1, url: B },
      { state: 'reconnecting', attempt: 2, reason: '1006', url: C },
      { state: 'connecting', attempt: 2, url: C },
      { state: 'open', url: C },
    ]);
    const delays = links.flatMap((l) => (l.state === 'reconnecting' ? [l.nextAttemptAt - l.seen] : []));
    // Two hops within the first round (allow for a late timer).
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(7);
    for (const d of delays) expect(d).toBeLessThanOrEqual(9);
    expect(client.link).toMatchObject({ state: 'open', url: C });

    // C dies after the welcome: a new round from the next URL (A, then B), then the round's backoff.
    net.set(C, 'refused');
    const before = links.length;
    for (const s of relay.sockets) s.close(1006, '');
    await until(() => links.filter((l) => l.state === 'reconnecting').length >= 6, 5_000, 'four more retries');
    const after = links.slice(before).filter((l) => l.state === 'reconnecting');
    expect(after.slice(0, 4).map((l) => [l.attempt, l.url, l.nextAttemptAt - l.seen])).toEqual([
      [1, A, 8],
      [2, B, 8],
      [3, C, 8],
      [4, A, 8],
    ]);
  });

  it('signs no hello for a relay holding another key: WRONG_RELAY alarm, and the next URL is tried', async () => {
    const relay = await FakeRelay.start();
    const net = router(relay, { [A]: 'other', [B]: 'relay' });
    const { client, links, alarms } = await open(relay, net.factory, { url: A }, [B]);
    const welcomed = client.once('welcome');
    client.start();
    await welcomed;
    expect(net.others).toHaveLength(1);
    expect(net.others[0]!.sent).toEqual([]);
    expect(alarms.map((a) => a.code)).toEqual(['WRONG_RELAY']);
    expect(alarms[0]!.message).toContain('another-relay-key');
    expect(links.find((l) => l.state === 'reconnecting')).toMatchObject({ reason: 'WRONG_RELAY', url: B });
    expect(client.link).toMatchObject({ state: 'open', url: B });
  });

  it('never reaches a welcome when every URL holds another key, and alarms on each try', async () => {
    const relay = await FakeRelay.start();
    const net = router(relay, { [A]: 'other', [B]: 'other' });
    const { client, alarms } = await open(relay, net.factory, { url: A }, [B]);
    let welcomes = 0;
    client.on('welcome', () => (welcomes += 1));
    client.start();
    await until(() => alarms.length >= 3, 5_000, 'three refusals');
    await client.stop();
    expect(welcomes).toBe(0);
    expect(net.others.every((s) => s.sent.length === 0)).toBe(true);
    expect(net.opened.slice(0, 3).map((o) => o.url)).toEqual([wsUrl(A), wsUrl(B), wsUrl(A)]);
  });

  it('resumes on the next relay from the last verified entry and resubmits its outbox there', async () => {
    const relay = await FakeRelay.start();
    const net = router(relay, { [A]: 'relay', [B]: 'refused' });
    const { client } = await open(relay, net.factory, { url: A, alternates: [B] });
    const caughtUp = client.once('caughtUp');
    client.start();
    await caughtUp;
    const first = await client.send({ body: 'before the failover' });
    await until(() => client.outbox.items.length === 0, 5_000, 'the first message accepted');
    const lastIdx = client.lastIdx;

    // A goes away and its address now refuses; B answers for the same log. A message is typed meanwhile.
    net.set(A, 'refused');
    net.set(B, 'relay');
    for (const s of relay.sockets) s.close(1006, '');
    const queued = await client.send({ body: 'during the failover' });
    await until(() => client.link.state === 'open' && client.outbox.items.length === 0, 5_000, 'resumed on B');
    const onB = net.opened.filter((o) => o.url === wsUrl(B) && o.frames.length > 0);
    expect(onB).toHaveLength(1);
    const hello = onB[0]!.frames.find((f) => f['type'] === 'hello');
    expect(hello?.['since']).toBe(lastIdx);
    const submits = onB[0]!.frames.filter((f) => f['type'] === 'submit');
    expect(submits).toHaveLength(1);
    const logged = relay.log.entries.filter((e) => e.kind === 'message');
    expect(logged).toHaveLength(2);
    expect(client.conversation.messages.get(first.id)?.idx).toBe(logged[0]!.idx);
    expect(client.conversation.messages.get(queued.id)?.idx).toBe(logged[1]!.idx);
    expect(client.link).toMatchObject({ state: 'open', url: B });
  });
});
