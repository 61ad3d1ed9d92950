export * from './log/event-log.ts';
export { openEventLog, type OpenEventLogOptions } from './log/open-event-log.ts';
export { createEventsRoute, partitionKey, type EventsRouteDeps } from './http/events-route.ts';
export { maxBodyBytes, maxEventsPerRequest } from './http/parse-body.ts';
export { createIdIndex, type IdIndex } from './id-index.ts';
export {
  startRollupConsumer,
  defaultGroupId,
  defaultStuckAfterMs,
  type RollupConsumer,
  type RollupConsumerOptions,
} from './consumer/rollup-consumer.ts';
export { verifyRollups, rebuildRollups } from './consumer/rollups.ts';
export { checkAgainstLog, healFromLog, type HealthAgainstLog, type HealResult } from './consumer/heal.ts';
export { encodeEnvelope } from './log/envelope.ts';
export type { Logger } from './logger.ts';
export { silentLogger } from './logger.ts';
export { noIngestMetrics, type IngestMetrics } from './metrics.ts';
export { readDeadLetters, type DeadLetter } from './log/embedded/embedded-log.ts';
export {
  createRetryPolicy,
  backoffMs,
  retriableFlag,
  RecordsRejectedError,
  type Backoff,
  type RetryPolicy,
  type RetryDecision,
} from './log/retry-policy.ts';
export { createVoidScopeCheck, type VoidScopeCheck } from './http/void-scope.ts';
export { openAdminLog, type AdminLog, type OpenAdminLogOptions } from './log/admin/admin-log.ts';
// The benches write rows straight into ClickHouse, as the consumer would.
export { eventRow, eventRowColumns, retractionRow, type EventRow } from './consumer/rows.ts';
export { insertSettings, writeRows } from './consumer/write.ts';
export { tsvLine } from './consumer/tsv.ts';
