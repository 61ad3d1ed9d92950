/**
 * Per-key rate limits: a token bucket per API key, in memory. Each process
 * limits on its own, so N query processes allow N times the rate in total.
 */
export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests allowed at once before the rate applies. */
  burst: number;
}

export interface RateLimiter {
  /** Takes one request from the key's bucket: 0 when allowed, else the seconds to wait. */
  take(keyId: string): number;
}

export function createRateLimiter(limit: RateLimit, now: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(keyId) {
      const t = now();
      const bucket = buckets.get(keyId) ?? { tokens: limit.burst, at: t };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
      bucket.at = t;
      buckets.set(keyId, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    },
  };
}

/** CORDON_RATE_LIMIT="<perSecond>/<burst>", e.g. "200/400". */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`a rate limit is "<requests per second>/<burst>", e.g. 200/400, not ${text}`);
  return { perSecond: Number(match[1]), burst: Number(match[2]) };
}
