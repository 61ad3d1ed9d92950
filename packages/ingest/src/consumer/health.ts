import type { ConsumerHealth } from '@cordon/schemas';

/**
 * The consumer's health, for `GET /v1/status` and the readiness route.
 * `retrying`: a batch failed and is being retried. `stuck`: a partition has
 * failed for `stuckAfterMs` without a single batch of it succeeding, so its
 * lag is not shrinking. `since` is when the current state began.
 *
 * Per partition, because on Kafka the others go on while one retries: one
 * stuck partition makes the whole consumer stuck (its events are not counted).
 */
export function createHealthTracker(options: { stuckAfterMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const failingSince = new Map<number, number>();
  let lastError: string | null = null;
  let okSince = now();

  return {
    failed(partition: number, reason: string): void {
      if (!failingSince.has(partition)) failingSince.set(partition, now());
      lastError = reason;
    },
    succeeded(partition: number): void {
      if (failingSince.delete(partition) && failingSince.size === 0) okSince = now();
    },
    read(): ConsumerHealth {
      if (failingSince.size === 0) return { state: 'ok', since: new Date(okSince).toISOString(), lastError };
      const first = Math.min(...failingSince.values());
      const t = now();
      if (t - first >= options.stuckAfterMs)
        return { state: 'stuck', since: new Date(first + options.stuckAfterMs).toISOString(), lastError };
      return { state: 'retrying', since: new Date(first).toISOString(), lastError };
    },
  };
}

export type HealthTracker = ReturnType<typeof createHealthTracker>;
