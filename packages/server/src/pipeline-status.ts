import type { EventLog } from '@cordon/ingest';
import type { PipelineStatus } from '@cordon/query-api';
import type { ConsumerHealth } from '@cordon/schemas';

/**
 * `lag` is what the log says is acknowledged but not committed by the
 * roll-up group. `asOf` is the last moment the lag was seen at zero: every
 * event acknowledged before it had been counted then, and counts never go
 * back. Figure routes read it through a short cache, so a burst of queries
 * asks the log once: a cached asOf is still true. `GET /v1/status` asks for a
 * fresh reading, since a cached lag of 0 could hide events acknowledged
 * since.
 *
 * The consumer's health comes from the consumer of this process when there
 * is one (it knows its retries and their errors). A process without one
 * judges from the lag alone: `stuck` once the lag has been above 0 and has
 * not shrunk for `stuckAfterMs`, as seen by its readings.
 */
export function createPipelineStatus(
  log: EventLog,
  groupId: string,
  options: { cacheMs?: number; consumer?: { health(): ConsumerHealth } | null; stuckAfterMs: number },
): PipelineStatus {
  const cacheMs = options.cacheMs ?? 100;
  let last: { at: number; value: { lag: number; asOf: string } } | null = null;
  let caughtUpAt: string | null = null;
  let pending: Promise<{ lag: number; asOf: string }> | null = null;
  // Lag trend, for a process without a consumer: the last time it shrank (or was 0).
  const startedAt = Date.now();
  let progressAt = startedAt;
  let previousLag = Infinity;
  let okSince = startedAt;

  async function measure() {
    const startedAt = Date.now();
    const lag = await log.lag(groupId);
    if (lag === 0 || lag < previousLag) progressAt = startedAt;
    previousLag = lag;
    if (lag === 0) caughtUpAt = new Date(startedAt).toISOString();
    const value = { lag, asOf: caughtUpAt ?? new Date(0).toISOString() };
    last = { at: startedAt, value };
    return value;
  }

  function lagHealth(): ConsumerHealth {
    const lag = last?.value.lag ?? 0;
    if (lag > 0 && Date.now() - progressAt >= options.stuckAfterMs) {
      okSince = Date.now();
      return {
        state: 'stuck',
        since: new Date(progressAt + options.stuckAfterMs).toISOString(),
        lastError: `the lag (${lag}) has not shrunk since ${new Date(progressAt).toISOString()}`,
      };
    }
    return { state: 'ok', since: new Date(okSince).toISOString(), lastError: null };
  }

  return {
    consumerHealth: () => options.consumer?.health() ?? lagHealth(),
    read(options = {}) {
      if (!options.fresh && last && Date.now() - last.at < cacheMs) return Promise.resolve(last.value);
      // A fresh reading never shares one that started before it was asked for.
      if (!options.fresh && pending) return pending;
      const measuring = measure().finally(() => {
        if (pending === measuring) pending = null;
      });
      pending = measuring;
      return measuring;
    },
  };
}
