import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './errors.ts';
import { retryDelay } from './transport.ts';

const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };

describe('retryDelay', () => {
  it('full jitter under an exponential cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, policy, undefined, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(retryDelay(3, policy, undefined, () => 0)).toBe(0);
  });

  it('honours Retry-After, with a little jitter on top, never less', () => {
    expect(retryDelay(1, policy, 5_000, () => 0)).toBe(5_000);
    expect(retryDelay(4, policy, 5_000, () => 0.999)).toBe(5_099);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2020-02-13T08:00:00Z');
    expect(parseRetryAfter('Thu, 13 Feb 2020 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 13 Feb 2020 07:00:00 GMT', now)).toBe(0);
  });
});
