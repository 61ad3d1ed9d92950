import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRateLimit } from './rate-limit.ts';

describe('createRateLimiter', () => {
  it('allows a burst, then the sustained rate, per key, and says how long to wait', () => {
    let t = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => t);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0); // another key has its own bucket
    t = 500; // half a second refills one token
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    t = 10_000; // never more than the burst
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 1]);
  });

  it('parses "<perSecond>/<burst>"', () => {
    expect(parseRateLimit('200/400')).toEqual({ perSecond: 200, burst: 400 });
    expect(() => parseRateLimit('fast')).toThrow(/200\/400/);
  });
});
