import type { ClickHouse } from '@cordon/clickhouse';
import type { ConsumerHealth } from '@cordon/schemas';
import { DEFAULT_MAX_BATCH_RECORDS, type EventLog, type LogBatch, type LogConsumer } from '../log/event-log.ts';
import { createRollupStep } from './rollup-step.ts';
import { describeError } from './insert-errors.ts';
import { createHealthTracker } from './health.ts';
import { rebuildRollups, verifyRollups } from './rollups.ts';
import { createProgressRecorder, healFromLog } from './heal.ts';
import type { Logger } from '../logger.ts';
import { noIngestMetrics, type IngestMetrics } from '../metrics.ts';

export interface RollupConsumerOptions {
  log: EventLog;
  clickhouse: ClickHouse;
  /** CORDON_TZ: the zone whose days the figures are bucketed in. */
  timeZone: string;
  groupId?: string;
  maxBatchRecords?: number;
  logger: Logger;
  metrics?: IngestMetrics;
  /**
   * Called after the batch's rows are in ClickHouse and before its offsets are
   * committed. Crash tests kill the process here; nothing else should need it.
   */
  afterInsert?: (batch: LogBatch) => void | Promise<void>;
  /** A partition failing this long without a batch going through makes the health `stuck` (default 30 s). */
  stuckAfterMs?: number;
}

export interface RollupConsumerStats {
  batches: number;
  /** performance.now() when the first batch arrived and when the last one was done (for throughput). */
  firstBatchAt: number | null;
  lastBatchAt: number | null;
  counted: number;
  duplicates: number;
  retractions: number;
  deadLettered: number;
}

export interface RollupConsumer {
  readonly stats: RollupConsumerStats;
  /**
   * Changes whenever ClickHouse may have been written: bumped before and after
   * every batch, so an answer read while a batch is being written never
   * shares a value with an answer read before or after it. Lets an ETag in
   * the same process skip asking ClickHouse for its position.
   */
  readonly writeEpoch: number;
  /** ok, retrying or stuck, since when, and the last error (GET /v1/status, the readiness route). */
  health(): ConsumerHealth;
  stop(): Promise<void>;
}

export const defaultStuckAfterMs = 30_000;

export const defaultGroupId = 'cordon-rollup';

/**
 * Rolls the event log into ClickHouse. Each batch: decode (poison records go
 * to the dead-letter log), plan against what ClickHouse holds (duplicates,
 * voids; a void outside its key's scope goes to the dead-letter log too),
 * insert, and only then let the log commit the offsets.
 *
 * When ClickHouse refuses the insert because of the rows, the step bisects
 * it down to the records at fault (rollup-step.ts), which go to the
 * dead-letter log with the engine's error; the rest is counted once and the
 * offsets move on. Any other failure rejects the batch and the log delivers
 * it again after its backoff: the plan is recomputed from ClickHouse, so a
 * replay writes nothing twice.
 */
export async function startRollupConsumer(options: RollupConsumerOptions): Promise<RollupConsumer> {
  const { log, clickhouse, logger } = options;
  const metrics = options.metrics ?? noIngestMetrics;
  const groupId = options.groupId ?? defaultGroupId;
  // Before anything is counted: ClickHouse holding less than the log says was
  // counted is healed by replaying the log (heal.ts).
  await healFromLog({ clickhouse, log, groupId, logger });
  const recordProgress = createProgressRecorder(clickhouse, groupId);
  const step = createRollupStep({ clickhouse, timeZone: options.timeZone, logger });
  const stats: RollupConsumerStats = {
    batches: 0,
    firstBatchAt: null,
    lastBatchAt: null,
    counted: 0,
    duplicates: 0,
    retractions: 0,
    deadLettered: 0,
  };
  const health = createHealthTracker({ stuckAfterMs: options.stuckAfterMs ?? defaultStuckAfterMs });
  let writeEpoch = 0;

  const check = await verifyRollups(clickhouse);
  if (!check.ok) {
    logger.warn({ check }, 'roll-ups disagree with the raw events (a crash mid-insert); rebuilding them from the raw table');
    await rebuildRollups(clickhouse);
  }

  const consumer: LogConsumer = await log.consume({
    groupId,
    // Large batches: each costs a few ClickHouse look-ups and one insert, whatever its size.
    maxBatchRecords: options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
    onBatch: async (batch) => {
      const startedAt = performance.now();
      stats.firstBatchAt ??= startedAt;
      writeEpoch++;
      let result;
      try {
        result = await step(batch);
        // Dead letters are written before the offsets are committed: a crash
        // in between may dead-letter a record twice, never lose it.
        for (const { record, reason } of [...result.undecodable, ...result.refusedVoids]) {
          logger.warn({ partition: record.partition, offset: String(record.offset), reason }, 'dead-lettering a record');
          await log.deadLetter(record, reason);
        }
        // After the rows, before the commit: the evidence heal.ts checks at start.
        await recordProgress(batch.partition, batch.records[batch.records.length - 1]!.offset + 1n);
      } catch (error) {
        health.failed(batch.partition, describeError(error));
        throw error;
      } finally {
        writeEpoch++;
      }
      await options.afterInsert?.(batch);
      health.succeeded(batch.partition);
      stats.batches++;
      stats.lastBatchAt = performance.now();
      stats.counted += result.counted;
      stats.duplicates += result.duplicates;
      stats.retractions += result.retractions;
      stats.deadLettered += result.undecodable.length + result.refusedVoids.length;
      metrics.batch({
        seconds: (stats.lastBatchAt - startedAt) / 1000,
        records: batch.records.length,
        counted: result.counted,
        duplicates: result.duplicates,
        retractions: result.retractions,
        deadLettered: result.undecodable.length + result.refusedVoids.length,
      });
    },
  });

  return {
    stats,
    get writeEpoch() {
      return writeEpoch;
    },
    health: () => health.read(),
    stop: () => consumer.stop(),
  };
}
