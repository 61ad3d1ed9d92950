/**
 * The one retry policy of the logs and the roll-up consumer. Backoff is data
 * (`{ initialMs, maxMs }`, doubling), and whether to retry at all is read from
 * the error: errors carry a `retriable` flag (as kafkajs's do), somewhere in
 * their cause chain.
 *
 * - `retriable: true`, or no flag at all: retried with backoff, forever. An
 *   error nobody classified is treated as transient because the alternative,
 *   dropping records, loses acknowledged events; the consumer's health state
 *   (`stuck`) is what makes a retry that never ends visible.
 * - `retriable: false`: the records are at fault; retrying gives the same
 *   answer. The log dead-letters the batch with the error and moves on.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: string };

export interface RetryPolicy {
  readonly backoff: Backoff;
  /** Wait before attempt `attempt + 1` (attempt counts from 0). */
  delayMs(attempt: number): number;
  /** What to do with a batch whose handling failed with `error` on attempt `attempt` (from 0). */
  decide(error: unknown, attempt: number): RetryDecision;
  /**
   * Runs `work`, and runs it again after the backoff while it fails with an
   * error flagged `retriable: true`, `attempts` runs at most. For a short
   * operation a caller waits on (an admin read of the log), unlike
   * redelivery: an unflagged error is not retried here, and the last run's
   * error goes to the caller. `beforeRetry` runs before each wait (to drop
   * a client whose view of the cluster is stale, say).
   */
  retrying<T>(attempts: number, work: () => Promise<T>, beforeRetry?: (error: unknown, attempt: number) => void): Promise<T>;
}

export function backoffMs(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
}

/** The first `retriable` flag in the error's cause chain (`cause`, kafkajs's `originalError`), if any. */
export function retriableFlag(error: unknown): boolean | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const flag = (current as { retriable?: unknown }).retriable;
    if (typeof flag === 'boolean') return flag;
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.cause ?? next.originalError;
  }
  return undefined;
}

export function createRetryPolicy(backoff: Backoff): RetryPolicy {
  if (!(backoff.initialMs > 0) || !(backoff.maxMs >= backoff.initialMs)) throw new RangeError('backoff needs 0 < initialMs <= maxMs');
  return {
    backoff,
    delayMs: (attempt) => backoffMs(attempt, backoff),
    decide(error, attempt) {
      if (retriableFlag(error) === false) return { action: 'dead-letter', reason: error instanceof Error ? error.message : String(error) };
      return { action: 'retry', delayMs: backoffMs(attempt, backoff) };
    },
    async retrying(attempts, work, beforeRetry) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (attempt >= attempts - 1 || retriableFlag(error) !== true) throw error;
          beforeRetry?.(error, attempt);
          await delay(backoffMs(attempt, backoff));
        }
      }
    },
  };
}

/** An error the records caused: retrying them gives the same answer. */
export class RecordsRejectedError extends Error {
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordsRejectedError';
  }
}
