import { Readable } from 'node:stream';
import { ClickHouseError, parseError, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';

/** A body already in a line format, for `ClickHouse.insertText`. */
export interface TextInsert {
  /** Database-qualified table. */
  table: string;
  columns: readonly string[];
  format: 'TabSeparated';
  /** The rows, each line ending in a newline. */
  body: Buffer;
  settings: ClickHouseSettings;
}

/**
 * chDB: the connection's raw insert. The client's insert turns the body
 * into a string and appends it to the statement's text; the raw insert hands
 * the bytes to the engine as they are, and its parser splits them over its
 * threads. bench:ingest's raw inserts time both (issue 13).
 *
 * Its failures are `ChdbInsertError`s with the engine's code in
 * `clickhouseCode`; they are reshaped into the `ClickHouseError` the client
 * raises (the code as a string), so the consumer tells a row-caused refusal
 * from a transient one the same way on both backends.
 */
export function chdbTextInsert(connection: ChdbConnection): (params: TextInsert) => Promise<void> {
  return async ({ table, columns, format, body, settings }) => {
    try {
      await connection.chdb.rawInsert({ table, columns, format, values: body, settings: settingsOf(settings) });
    } catch (error) {
      throw asClickHouseError(error);
    }
  };
}

/** A ClickHouse server: the client's insert of the same body. */
export function serverTextInsert(client: ClickHouseClient): (params: TextInsert) => Promise<void> {
  return async ({ table, columns, format, body, settings }) => {
    await client.insert({
      table,
      columns: columns as [string, ...string[]],
      format,
      values: Readable.from([body], { objectMode: false }),
      clickhouse_settings: settings,
    });
  };
}

function settingsOf(settings: ClickHouseSettings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
  }
  return out;
}

function asClickHouseError(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { clickhouseCode?: unknown }).clickhouseCode : undefined;
  if (!(error instanceof Error) || typeof code !== 'number') return error;
  // The client's own parse of "Code: 27. DB::Exception: …" when the message has that form; the code is the engine's either way.
  const parsed = parseError(error.message);
  const known = parsed instanceof ClickHouseError ? parsed : undefined;
  const reshaped = new ClickHouseError({
    message: known?.message ?? error.message,
    code: String(code),
    ...(known?.type !== undefined ? { type: known.type } : {}),
  });
  return Object.assign(reshaped, { cause: error });
}
