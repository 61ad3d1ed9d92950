/**
 * The log is the source of truth: when ClickHouse holds less than the log
 * says was counted (its folder deleted, the `events` table dropped or
 * damaged), the consumer rebuilds it from the log before it counts anything
 * new.
 *
 * The evidence is exact and cheap: after every batch's insert, before its
 * offsets are committed, the consumer writes to `consumer_progress` the next
 * offset of the partition and the rows `events` then holds for it. Since the
 * commit follows that write, at start, for every partition:
 *
 *   committed offset <= progress offset   and   rows in events >= progress rows
 *
 * unless ClickHouse lost something. Either failing (or no progress and no
 * events at all while the log has committed offsets) means a rebuild: the
 * event tables are dropped and made again, the group is moved back to the
 * earliest record of the log, and the ordinary consumer replays it. The plan
 * dedupes by event id against what ClickHouse holds, so the replay counts
 * each event exactly once, like any redelivery.
 */
import { eventIndexTables, migrate, type ClickHouse } from '@cordon/clickhouse';
import type { EventLog } from '../log/event-log.ts';
import type { Logger } from '../logger.ts';

export interface PartitionEvidence {
  partition: number;
  committed: string;
  progress: string | null;
  progressRows: number | null;
  rows: number;
}

export interface HealthAgainstLog {
  ok: boolean;
  /** Why a rebuild is needed (when !ok). */
  reason: string | null;
  partitions: PartitionEvidence[];
}

/** Tables derived from the log, dropped and made again by a rebuild (views before the tables they read or fill). */
const derivedTables = [...eventIndexTables, 'metric_daily_mv', 'voids_mv', 'metric_daily', 'voids', 'events', 'consumer_progress'];

export function createProgressRecorder(ch: ClickHouse, groupId: string) {
  return async (partition: number, nextOffset: bigint): Promise<void> => {
    await ch.client.command({
      query: `INSERT INTO ${ch.database}.consumer_progress
              SELECT {group:String}, {partition:UInt32}, {offset:UInt64}, count(), now64(3)
              FROM ${ch.database}.events WHERE log_partition = {partition:UInt32}`,
      query_params: { group: groupId, partition, offset: nextOffset.toString() },
    });
  };
}

export async function checkAgainstLog(ch: ClickHouse, log: EventLog, groupId: string): Promise<HealthAgainstLog> {
  const committed = await log.committedOffsets(groupId);
  const progressResult = await ch.client.query({
    query: `SELECT partition, max(next_offset) AS next, argMax(rows, next_offset) AS rows
            FROM ${ch.database}.consumer_progress WHERE group_id = {group:String} GROUP BY partition`,
    query_params: { group: groupId },
    format: 'JSONEachRow',
  });
  const progress = new Map(
    (await progressResult.json<{ partition: number; next: string; rows: string }>()).map((r) => [
      Number(r.partition),
      { next: BigInt(r.next), rows: Number(r.rows) },
    ]),
  );
  const rowsResult = await ch.client.query({
    query: `SELECT log_partition AS partition, count() AS rows FROM ${ch.database}.events GROUP BY log_partition`,
    format: 'JSONEachRow',
  });
  const rows = new Map((await rowsResult.json<{ partition: number; rows: string }>()).map((r) => [Number(r.partition), Number(r.rows)]));
  const partitions: PartitionEvidence[] = [];
  let reason: string | null = null;
  const totalRows = [...rows.values()].reduce((a, b) => a + b, 0);
  for (const [partition, offset] of [...committed].sort((a, b) => a[0] - b[0])) {
    if (offset <= 0n) continue;
    const p = progress.get(partition);
    const held = rows.get(partition) ?? 0;
    partitions.push({
      partition,
      committed: offset.toString(),
      progress: p ? p.next.toString() : null,
      progressRows: p ? p.rows : null,
      rows: held,
    });
    if (reason !== null) continue;
    if (p === undefined) {
      // No progress at all and no events: ClickHouse is new or emptied. Events
      // but no progress: a data folder from before progress was recorded.
      if (progress.size === 0 && totalRows === 0)
        reason = `partition ${partition}: the log committed ${offset} records, ClickHouse holds no events`;
      else if (progress.size > 0) reason = `partition ${partition}: the log committed ${offset} records, ClickHouse has no progress for it`;
    } else if (p.next < offset) {
      reason = `partition ${partition}: the log committed ${offset} records, ClickHouse had counted only up to ${p.next}`;
    } else if (held < p.rows) {
      reason = `partition ${partition}: ClickHouse holds ${held} event rows, ${p.rows} were written`;
    }
  }
  return { ok: reason === null, reason, partitions };
}

export interface HealResult {
  rebuilt: boolean;
  check: HealthAgainstLog;
  /** Per partition, the earliest offset replayed from (above 0: records older than that were gone from the log). */
  replayFrom?: Record<number, string>;
}

/**
 * Runs at consumer start, before the group consumes. A data folder from
 * before progress was recorded (events but no progress) is taken as it is
 * and its progress recorded, so an upgrade does not rebuild.
 */
export async function healFromLog(deps: { clickhouse: ClickHouse; log: EventLog; groupId: string; logger: Logger }): Promise<HealResult> {
  const { clickhouse: ch, log, groupId, logger } = deps;
  const check = await checkAgainstLog(ch, log, groupId);
  if (check.ok) {
    const record = createProgressRecorder(ch, groupId);
    for (const p of check.partitions) if (p.progress === null) await record(p.partition, BigInt(p.committed));
    return { rebuilt: false, check };
  }
  logger.error(
    { reason: check.reason, partitions: check.partitions },
    `ClickHouse holds less than the log says was counted (${check.reason}); rebuilding it from the log`,
  );
  for (const table of derivedTables) {
    // SYNC: the table (and its deduplication log) is gone before it is made
    // again, so the replayed blocks are not taken for repeats and dropped.
    await ch.client.command({ query: `DROP TABLE IF EXISTS ${ch.database}.${table} SYNC` });
  }
  await migrate(ch);
  const earliest = await log.rewindGroup(groupId);
  const replayFrom: Record<number, string> = {};
  for (const [partition, low] of earliest) {
    replayFrom[partition] = low.toString();
    if (low > 0n) {
      logger.error(
        { partition, earliest: low.toString() },
        `records below offset ${low} of partition ${partition} are no longer in the log (retention): the rebuild cannot count them`,
      );
    }
  }
  logger.warn({ replayFrom }, 'ClickHouse rebuild: replaying the log from its earliest records');
  return { rebuilt: true, check, replayFrom };
}
