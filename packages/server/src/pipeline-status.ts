import type { EventLog } from '@cordon/ingest';
import type { PipelineStatus } from '@cordon/query-api';

/**
 * `lag` is what the log says is acknowledged but not committed by the
 * roll-up group. `asOf` is the last moment the lag was seen at zero: every
 * event acknowledged before it had been counted then, and counts never go
 * back. Figure routes read it through a short cache, so a burst of queries
 * asks the log once: a cached asOf is still true. `GET /v1/status` asks for a
 * fresh reading, since a cached lag of 0 could hide events acknowledged
 * since.
 */
export function createPipelineStatus(log: EventLog, groupId: string, options: { cacheMs?: number } = {}): PipelineStatus {
  const cacheMs = options.cacheMs ?? 100;
  let last: { at: number; value: { lag: number; asOf: string } } | null = null;
  let caughtUpAt: string | null = null;
  let pending: Promise<{ lag: number; asOf: string }> | null = null;

  async function measure() {
    const startedAt = Date.now();
    const lag = await log.lag(groupId);
    if (lag === 0) caughtUpAt = new Date(startedAt).toISOString();
    const value = { lag, asOf: caughtUpAt ?? new Date(0).toISOString() };
    last = { at: startedAt, value };
    return value;
  }

  return {
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
