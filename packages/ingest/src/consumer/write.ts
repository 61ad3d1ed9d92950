import { createHash } from 'node:crypto';
import type { ClickHouse } from '@cordon/clickhouse';
import { eventRowColumns, type EventRow } from './rows.ts';

type InsertSettings = NonNullable<Parameters<ClickHouse['client']['insert']>[0]['clickhouse_settings']>;

/**
 * Inserts a batch's rows as one block. The deduplication token is derived
 * from the rows themselves, so if an insert succeeded but its answer was lost
 * (a timeout) and the step runs again with the same rows, ClickHouse drops
 * the repeat from `events` and from the roll-ups fed by its views.
 *
 * JSONCompactEachRow, not JSONEachRow: the same JSON (so a row the engine
 * cannot read is refused with the same errors, and bisected the same way),
 * without every column's name on every row; the engine reads it about a
 * third faster (bench:ingest's raw inserts).
 */
export async function writeRows(ch: ClickHouse, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ch.client.insert({
    table: `${ch.database}.events`,
    values: rows.map((row) => eventRowColumns.map((column) => row[column])),
    format: 'JSONCompactEachRow',
    columns: eventRowColumns,
    clickhouse_settings: insertSettings(rows),
  });
}

/** The settings every insert of `rows` into `events` carries (bench:ingest's raw reference uses them too). */
export function insertSettings(rows: readonly EventRow[]): InsertSettings {
  return {
    insert_deduplicate: 1,
    insert_deduplication_token: deduplicationToken(rows),
    deduplicate_blocks_in_dependent_materialized_views: 1,
    // One block for the whole batch: the token then covers all of it.
    max_insert_block_size: String(Math.max(rows.length, 1_048_576)),
    min_insert_block_size_rows: '0',
    min_insert_block_size_bytes: '0',
  };
}

export function deduplicationToken(rows: readonly EventRow[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.id}:${row.sign};`);
  return hash.digest('hex');
}
