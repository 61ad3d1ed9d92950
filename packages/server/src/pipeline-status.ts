import type { EventLog } from '@cordon/ingest';
import type { PipelineStatus } from '@cordon/query-api';

/**
 * `lag` is what the log says is acknowledged but not committed by the
 * roll-up group. `asOf` is the last moment the lag was seen at zero: every
 * event acknowledged before it had been counted then, and counts never go
 * back. Reads are cached briefly so a burst of queries asks the log once.
 */
export function createPipelineStatus(log: EventLog, groupId: string, options: { cacheMs?: number } = {}): PipelineStatus {
  const cacheMs = options.cacheMs ?? 100;
  let last: { at: number; value: { lag: number; asOf: string } } | null = null;
  let caughtUpAt: string | null = null;
  let pending: Promise<{ lag: number; asOf: string }> | null = null;

  async function measure() {
    const before = new Date().toISOString();
    const lag = await log.lag(groupId);
    if (lag === 0) caughtUpAt = before;
    const value = { lag, asOf: caughtUpAt ?? new Date(0).toISOString() };
    last = { at: Date.now(), value };
    return value;
  }

  return {
    read() {
      if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.value);
      pending ??= measure().finally(() => (pending = null));
      return pending;
    },
  };
}
