// The pages' Content-Security-Policy lets a console or live view connect to its own relay and to the other
// relays of its log (to fail over), over HTTP(S) and WebSocket, and to nothing else.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../server/static.js';

const connectSrc = (csp: string) => csp.split('; ').find((d) => d.startsWith('connect-src'));

describe('the pages’ Content-Security-Policy', () => {
  it('connects to itself only when the relay names no other relay', () => {
    expect(connectSrc(contentSecurityPolicy())).toBe("connect-src 'self'");
  });

  it('adds each relay of the log with its WebSocket origin, once', () => {
    const csp = contentSecurityPolicy(['https://relay-a.example', 'https://relay-a.example', 'http://10.0.0.2:8081']);
    expect(connectSrc(csp)).toBe(
      "connect-src 'self' https://relay-a.example wss://relay-a.example http://10.0.0.2:8081 ws://10.0.0.2:8081",
    );
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
