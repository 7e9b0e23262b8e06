// An observer session ends when its trainer token expires, on the session's clock, and leaves no timer
// behind: a ConsoleSession over a fake transport and a scripted host, with vitest's fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { Metrics } from '../../server/metrics.js';
import { ConsoleSession, type SessionHost } from '../../server/session.js';
import { FakeTransport } from '../helpers/fake-transport.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const TTL_MS = 90_000;

function session(expiresAt: number): { s: ConsoleSession; transport: FakeTransport; left: ConsoleSession[] } {
  const left: ConsoleSession[] = [];
  const host: SessionHost = {
    authenticate: () => Promise.reject(new Error('not used')),
    authorizeObserver: () => Promise.resolve({ expiresAt }),
    verifySubmission: () => Promise.reject(new Error('not used')),
    admit: () => Promise.reject(new Error('not used')),
    welcome: () => Promise.reject(new Error('not used')),
    observe: (s) => {
      s.send({ type: 'observing', exercise: s.exercise, head: null, checkpoint: null, online: {} });
      return Promise.resolve();
    },
    leave: (s) => left.push(s),
  };
  const transport = new FakeTransport();
  const s = new ConsoleSession(transport, {
    host,
    relayKid: 'relay',
    metrics: new Metrics(),
    log: pino({ level: 'silent' }),
    now: Date.now,
    helloTimeoutMs: 5_000,
  });
  return { s, transport, left };
}

const observe = (s: ConsoleSession) =>
  s.receive(JSON.stringify({ type: 'observe', token: 'a-token-the-host-accepts', exercise: 'dtl' }));

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('observer token expiry', () => {
  it('closes with TOKEN_EXPIRED and 4401 exactly when the token expires, not before', async () => {
    const { s, transport, left } = session(T0 + TTL_MS);
    await transport.nextOf('challenge');
    observe(s);
    await vi.advanceTimersByTimeAsync(0);
    expect((await transport.nextOf('observing')).exercise).toBe('dtl');
    // Only the expiry timer is left once the observe succeeded (the hello timer is cleared).
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(TTL_MS - 1);
    expect(transport.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(await transport.nextOf('error')).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(transport.closedWith).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
    expect(left).toEqual([s]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the expiry timer when the observer closes first', async () => {
    const { s, transport } = session(T0 + TTL_MS);
    await transport.nextOf('challenge');
    observe(s);
    await vi.advanceTimersByTimeAsync(0);
    await transport.nextOf('observing');
    expect(vi.getTimerCount()).toBe(1);
    s.onClose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes at once when the token expired while the observe was being checked', async () => {
    const { s, transport } = session(T0 - 1);
    await transport.nextOf('challenge');
    observe(s);
    await vi.advanceTimersByTimeAsync(0);
    expect((await transport.nextOf('observing')).exercise).toBe('dtl');
    await vi.advanceTimersByTimeAsync(0);
    expect(await transport.nextOf('error')).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(transport.closedWith?.code).toBe(4401);
  });
});
