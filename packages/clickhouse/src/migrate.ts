import { clusterMigrationStatements } from './cluster-schema.ts';
import { quoteIdentifier, type ClickHouse } from './connect.ts';
import { eventIndexes, indexSelect, migrationStatements, rowsByPartition, type EventIndex } from './migrations.ts';

/**
 * The single-node statements, or on a cluster their cluster form
 * (cluster-schema.ts); then, single-node, each event index not yet filled is
 * filled from the rows `events` already holds (a data folder from before the
 * index). Its view exists by then, and nothing writes `events` while migrate
 * runs (the server migrates before its consumer starts), so the copy is
 * exact: empty the table (a fill cut short), copy, then record it as filled.
 * A cluster gets the indexes with its first schema (none predates them).
 */
export async function migrate(ch: ClickHouse): Promise<void> {
  const statements = ch.cluster ? clusterMigrationStatements(ch.database, { cluster: ch.cluster }) : migrationStatements(ch.database);
  for (const query of statements) {
    await ch.client.command({ query });
  }
  if (ch.cluster) return;
  const db = quoteIdentifier(ch.database);
  const done = await ch.client.query({ query: `SELECT DISTINCT name FROM ${db}.backfills`, format: 'JSONEachRow' });
  const filled = new Set((await done.json<{ name: string }>()).map((r) => r.name));
  const record = (name: string) =>
    ch.client.command({ query: `INSERT INTO ${db}.backfills VALUES ({name:String}, now64(3))`, query_params: { name } });
  for (const index of eventIndexes) {
    if (filled.has(index.table)) continue;
    await fillEventIndex(ch, index);
    await record(index.table);
  }
  // The projection for the parts `events` held before it (a mutation, once; on a new folder there are none).
  const projection = `events.${rowsByPartition}`;
  if (!filled.has(projection)) {
    await ch.client.command({ query: `ALTER TABLE ${db}.events MATERIALIZE PROJECTION ${rowsByPartition} SETTINGS mutations_sync = 1` });
    await record(projection);
  }
}

/** Makes an event index again from `events` (while nothing writes `events`). */
export async function fillEventIndex(ch: ClickHouse, index: EventIndex): Promise<void> {
  const db = quoteIdentifier(ch.database);
  await ch.client.command({ query: `TRUNCATE TABLE ${db}.${index.table}` });
  // A fill must not be mistaken for a repeated block and dropped.
  await ch.client.command({
    query: `INSERT INTO ${db}.${index.table} ${index.fill ? index.fill.replaceAll('{db}', db) : indexSelect(index, db)}`,
    clickhouse_settings: { insert_deduplicate: 0 },
  });
}
