import { describe, expect, it } from 'vitest';
import { HotlineError } from '../../shared/errors.js';
import { AddressLimiter, WindowCounter } from '../../server/rate-limit.js';

function limited(limiter: AddressLimiter, address: string): HotlineError | undefined {
  try {
    limiter.check(address);
    return undefined;
  } catch (err) {
    if (err instanceof HotlineError) return err;
    throw err;
  }
}

describe('WindowCounter', () => {
  it('allows `limit` events per window and starts afresh when the window ends', () => {
    const c = new WindowCounter(3, 1_000);
    expect([c.count(0), c.count(10), c.count(20), c.count(30)]).toEqual([true, true, true, false]);
    expect(c.full(500)).toBe(true);
    expect(c.remainingMs(400)).toBe(600);
    expect(c.count(1_000)).toBe(true);
    expect(c.full(1_000)).toBe(false);
  });
});

describe('AddressLimiter', () => {
  it('refuses an address with RATE_LIMITED and the seconds left once its failures fill the window', () => {
    let now = 0;
    const limiter = new AddressLimiter({ limit: 2, windowMs: 60_000, maxAddresses: 100, now: () => now });
    limiter.fail('a');
    expect(limited(limiter, 'a')).toBeUndefined();
    limiter.fail('a');
    now = 15_500;
    const err = limited(limiter, 'a');
    expect(err?.code).toBe('RATE_LIMITED');
    expect(err?.httpStatus).toBe(429);
    expect(err?.details['retryAfterSeconds']).toBe(45);
    // Another address is not affected.
    expect(limited(limiter, 'b')).toBeUndefined();
    now = 60_000;
    expect(limited(limiter, 'a')).toBeUndefined();
  });

  it('remembers at most maxAddresses addresses, forgetting expired and oldest entries first', () => {
    let now = 0;
    const limiter = new AddressLimiter({ limit: 1, windowMs: 1_000, maxAddresses: 50, now: () => now });
    for (let i = 0; i < 10_000; i++) {
      now = i;
      limiter.fail(`addr-${i}`);
      expect(limiter.size).toBeLessThanOrEqual(50);
    }
    // The newest addresses are still limited; the oldest were forgotten.
    expect(limited(limiter, 'addr-9999')?.code).toBe('RATE_LIMITED');
    expect(limited(limiter, 'addr-0')).toBeUndefined();
    now = 20_000;
    limiter.fail('late');
    expect(limiter.size).toBe(1);
  });
});
