import { createHash } from 'node:crypto';
import type { ClickHouse } from '@cordon/clickhouse';
import { eventRowColumns, type EventRow } from './rows.ts';
import { tsvLine } from './tsv.ts';
import type { PlannedLine } from './plan.ts';

type InsertSettings = NonNullable<Parameters<ClickHouse['client']['insert']>[0]['clickhouse_settings']>;

/**
 * Inserts a batch's rows as one block. The deduplication token is derived
 * from the rows themselves, so if an insert succeeded but its answer was lost
 * (a timeout) and the step runs again with the same rows, ClickHouse drops
 * the repeat from `events` and from the roll-ups fed by its views.
 *
 * TabSeparated (tsv.ts), through `insertText` (chDB's raw insert, or the
 * client's on a server): of the ways to send these rows to chDB it is the
 * one the engine takes fastest (bench:ingest's raw inserts).
 */
export async function writeRows(ch: ClickHouse, rows: readonly EventRow[], overrides: InsertSettings = {}): Promise<void> {
  await writeLines(
    ch,
    rows.map((row) => ({ id: row.id, sign: row.sign, line: tsvLine(row) })),
    overrides,
  );
}

/**
 * writeRows for rows already written as lines (the step builds them while the
 * block before is inserted). `overrides` go on top of insertSettings: only
 * bench:view-cost sets one, to time the views one after another.
 */
export async function writeLines(ch: ClickHouse, rows: readonly PlannedLine[], overrides: InsertSettings = {}): Promise<void> {
  if (rows.length === 0) return;
  let body = '';
  for (const row of rows) body += row.line;
  await ch.insertText({
    table: `${ch.database}.events`,
    columns: eventRowColumns,
    format: 'TabSeparated',
    body: Buffer.from(body),
    settings: { ...insertSettings(rows), ...overrides },
  });
}

/** The settings every insert of `rows` into `events` carries (bench:ingest's raw reference uses them too). */
export function insertSettings(rows: readonly Pick<EventRow, 'id' | 'sign'>[]): InsertSettings {
  return {
    insert_deduplicate: 1,
    insert_deduplication_token: deduplicationToken(rows),
    deduplicate_blocks_in_dependent_materialized_views: 1,
    // One block for the whole batch: the token then covers all of it.
    max_insert_block_size: String(Math.max(rows.length, 1_048_576)),
    min_insert_block_size_rows: '0',
    min_insert_block_size_bytes: '0',
    // The ten views fed by `events` run side by side instead of one after
    // another: each writes a part of its own, and one after another they are
    // most of a small insert's time (`npm run bench:view-cost`: 20 rows, 83 ms
    // one after another, 52 ms side by side, 12 ms with no view).
    parallel_view_processing: 1,
  };
}

export function deduplicationToken(rows: readonly Pick<EventRow, 'id' | 'sign'>[]): string {
  // One update of the whole text: the same digest as one per row, at a fraction of the calls.
  let text = '';
  for (const row of rows) text += `${row.id}:${row.sign};`;
  return createHash('sha256').update(text).digest('hex');
}
