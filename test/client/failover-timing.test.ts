// Failover timing, the Connection alone on fake timers: after an established link drops the next relay is
// tried at once (a jitter of at most hopMs, never above baseMs), the backoff grows per full round through the
// list, a link that never got a welcome tries every URL once first, and one URL behaves exactly as before.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connection, wsUrl, type BackoffOptions, type LinkState, type SocketLike } from '../../client/connection.js';

const A = 'http://relay-a.invalid';
const B = 'http://relay-b.invalid:8081';
const C = 'https://relay-c.invalid';

/** A socket the test opens, answers and closes by hand; the Connection alone, on fake timers. */
class ManualSocket implements SocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(): void {}

  /** The relay side ends it (killed relay, refused upgrade: 1006), or the console does (drop, 4000). */
  close(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

function manual(urls: string[], backoff?: BackoffOptions) {
  const sockets: ManualSocket[] = [];
  const conn = new Connection(
    urls,
    (url) => {
      const s = new ManualSocket(url);
      sockets.push(s);
      return s;
    },
    backoff,
  );
  const last = () => sockets.at(-1)!;
  /** Ends the current socket and returns [the URL of the next socket, how long after the end it was opened]. */
  const fail = (how: 'refused' | 'wrong-relay' = 'refused'): [string, number] => {
    const n = sockets.length;
    const endedAt = Date.now();
    if (how === 'wrong-relay') conn.drop('WRONG_RELAY');
    else last().close(1006, '');
    // Step 1 ms at a time: the socket must open exactly when its delay is over, not before.
    vi.advanceTimersByTime(0);
    for (let waited = 0; sockets.length === n; waited++) {
      if (waited > 60_000) throw new Error('no next socket within 60 s');
      vi.advanceTimersByTime(1);
    }
    return [last().url, Date.now() - endedAt];
  };
  const welcome = () => {
    last().readyState = 1;
    conn.established();
  };
  return { conn, sockets, fail, welcome };
}

describe('failover timing (fake timers)', () => {
  const [wa, wb, wc] = [wsUrl(A), wsUrl(B), wsUrl(C)];

  afterEach(() => {
    vi.useRealTimers();
  });

  it('after an established link drops: the next URL at once (at most 100 ms), the backoff per full round', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { conn, fail, welcome } = manual([A, B, C]);
    conn.start();
    welcome();
    expect(conn.link).toMatchObject({ state: 'open', url: A });
    // Round 1 begins with the dropped link (A): B and C follow 100 ms apart; then the first backoff step.
    expect(fail()).toEqual([wb, 100]);
    expect(fail()).toEqual([wc, 100]);
    expect(fail()).toEqual([wa, 250]);
    // Round 2: the same hops, then the step doubles; a relay with another key counts like a refusal.
    expect(fail('wrong-relay')).toEqual([wb, 100]);
    expect(fail()).toEqual([wc, 100]);
    expect(fail()).toEqual([wa, 500]);
    for (let round = 3; round <= 9; round++) {
      expect(fail()).toEqual([wb, 100]);
      expect(fail()).toEqual([wc, 100]);
      expect(fail()[1]).toBe(Math.min(15_000, 250 * 2 ** (round - 1)));
    }
    // A welcome (here on A) starts over: the next relay at once again, and the first step after the round.
    welcome();
    expect(fail()).toEqual([wb, 100]);
    expect(fail()).toEqual([wc, 100]);
    expect(fail()).toEqual([wa, 250]);
    conn.stop();
  });

  it('moves on with no wait at all when the jitter draws 0, and never hops longer than baseMs', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    const { conn, fail, welcome } = manual([A, B]);
    conn.start();
    welcome();
    expect(fail()).toEqual([wb, 0]);
    conn.stop();

    random.mockReturnValue(1);
    const small = manual([A, B], { baseMs: 20, maxMs: 1_000 });
    small.conn.start();
    small.welcome();
    expect(small.fail()).toEqual([wb, 20]);
    expect(small.fail()).toEqual([wa, 20]);
    expect(small.fail()).toEqual([wb, 20]);
    expect(small.fail()).toEqual([wa, 40]);
    small.conn.stop();

    const hop = manual([A, B], { baseMs: 250, maxMs: 15_000, hopMs: 30 });
    hop.conn.start();
    hop.welcome();
    expect(hop.fail()).toEqual([wb, 30]);
    hop.conn.stop();
  });

  it('a link that never got a welcome tries every URL once, at once, before the first backoff step', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { conn, sockets, fail } = manual([A, B]);
    conn.start();
    expect(sockets.map((s) => s.url)).toEqual([wa]);
    expect(fail()).toEqual([wb, 100]);
    expect(fail()).toEqual([wa, 250]);
    expect(fail()).toEqual([wb, 100]);
    expect(fail()).toEqual([wa, 500]);
    conn.stop();
  });

  it('keeps one URL exactly as before: the backoff per attempt, capped, reset by a welcome', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { conn, fail, welcome } = manual([A]);
    const links: LinkState[] = [];
    conn.on('link', (l) => links.push(l));
    conn.start();
    welcome();
    const waits = Array.from({ length: 8 }, () => fail());
    expect(waits.map(([url]) => url)).toEqual(Array(8).fill(wa));
    expect(waits.map(([, ms]) => ms)).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    expect(links.filter((l) => l.state === 'reconnecting').map((l) => l.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    welcome();
    expect(fail()).toEqual([wa, 250]);
    conn.stop();
  });
});
