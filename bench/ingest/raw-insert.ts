/**
 * The consumer's reference at its best: the same rows the consumer writes
 * (`eventRow`), inserted straight into the same tables (the `events` table
 * and every view it feeds) through the same client and engine, in each text
 * format `@clickhouse/client` can send to chDB and in blocks of 5k, 20k and
 * 100k rows. The best is the ceiling the consumer is held to.
 *
 * Every insert carries the consumer's settings (writeRows: a deduplication
 * token over the block, one block per insert): that is how these rows must
 * go in to count exactly once, so the ceiling pays for it too. Binary formats
 * (RowBinary, Native, Parquet) are left out: the chDB connection turns the
 * body into SQL text, so only text formats reach the engine intact.
 *
 * Besides the client's insert, chDB's connection has a raw insert of its own
 * (`connection.chdb.rawInsert`, behind `ClickHouse.insertText`): the bytes go
 * to the engine as they are and its parser splits them over its threads. It
 * takes only line formats (JSON*EachRow, CSV, TabSeparated); TabSeparated
 * is the fastest of them, and it is what the consumer writes through.
 * Every TabSeparated figure includes building the lines (`tsvLine`), as the
 * JSON figures include the client's JSON.stringify.
 */
import { connectClickHouse, migrate, serverTextInsert, type ClickHouse } from '@cordon/clickhouse';
import { eventRow, eventRowColumns, insertSettings, tsvLine, type EventRow } from '@cordon/ingest';
import { createDayOf, eventSchema } from '@cordon/schemas';
import type { EventMaker } from './events.ts';

export const formats = ['JSONEachRow', 'JSONCompactEachRow', 'TabSeparated', 'TabSeparated, chDB raw insert'] as const;
export type RawFormat = (typeof formats)[number];
export const blockSizes = [5_000, 20_000, 100_000] as const;

export interface RawInsertFigure {
  format: RawFormat;
  blockRows: number;
  rowsPerSec: number;
}

/** The consumer's rows for `count` events (offsets 0…count-1 of partition 0). */
export function consumerRows(make: EventMaker, count: number): EventRow[] {
  const dayOf = createDayOf('Asia/Shanghai');
  const receivedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, i) =>
    eventRow(eventSchema.parse(make()), { receivedAt, partition: 0, offset: BigInt(i), dayOf }),
  );
}

/** Each format × block size (or only those of `only`) into a fresh database of the one chDB engine; rows/s of each. */
export async function rawInsertFigures(
  dataDir: string,
  rows: readonly EventRow[],
  run: string,
  only?: readonly Pick<RawInsertFigure, 'format' | 'blockRows'>[],
): Promise<RawInsertFigure[]> {
  const figures: RawInsertFigure[] = [];
  for (const format of formats) {
    for (const blockRows of blockSizes) {
      if (only && !only.some((o) => o.format === format && o.blockRows === blockRows)) continue;
      const ch = await connectClickHouse({ dataDir, database: `raw_${run}_${formats.indexOf(format)}_${blockRows}` });
      await migrate(ch);
      const started = performance.now();
      for (let i = 0; i < rows.length; i += blockRows) await insertBlock(ch, rows.slice(i, i + blockRows), format);
      figures.push({ format, blockRows, rowsPerSec: rows.length / ((performance.now() - started) / 1000) });
      await ch.close();
    }
  }
  return figures;
}

async function insertBlock(ch: ClickHouse, rows: EventRow[], format: RawFormat): Promise<void> {
  const table = `${ch.database}.events`;
  const clickhouse_settings = insertSettings(rows);
  const columns = eventRowColumns;
  switch (format) {
    case 'JSONEachRow':
      await ch.client.insert({ table, values: rows, format, clickhouse_settings });
      return;
    case 'JSONCompactEachRow':
      await ch.client.insert({
        table,
        values: rows.map((row) => columns.map((c) => row[c])),
        format,
        columns,
        clickhouse_settings,
      });
      return;
    case 'TabSeparated':
      // What a ClickHouse server gets from the consumer: the client's insert of the same body.
      await serverTextInsert(ch.client)({
        table,
        columns,
        format,
        body: Buffer.from(rows.map(tsvLine).join('')),
        settings: clickhouse_settings,
      });
      return;
    case 'TabSeparated, chDB raw insert':
      await ch.insertText({
        table,
        columns,
        format: 'TabSeparated',
        body: Buffer.from(rows.map(tsvLine).join('')),
        settings: clickhouse_settings,
      });
      return;
  }
}
