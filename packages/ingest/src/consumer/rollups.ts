import { eventIndexCountSql, eventIndexes, fillEventIndex, type ClickHouse } from '@cordon/clickhouse';

/**
 * Checks that the roll-ups hold exactly what the raw events contribute, and
 * rebuilds them from the raw table when they do not.
 *
 * The consumer never writes a duplicate, and retried blocks are deduplicated
 * in the views too; this check covers what neither can: a process killed
 * between ClickHouse writing the `events` part and the view's part of the
 * same insert. It reads only the array sizes, and counts the rows each event
 * index (packages/clickhouse migrations.ts) copies, so it is cheap at start-up.
 */
export interface RollupCheck {
  ok: boolean;
  /** Contributions in the raw table (net of retractions) and in the roll-up. */
  contributions: { raw: number; rolledUp: number };
  /** Void events in the raw table and in the by-target index. */
  voids: { raw: number; indexed: number };
  /** Per event index (event_days, quarantine_events, site_events): the rows of `events` it copies, and its rows. */
  indexes: Record<string, { raw: number; indexed: number }>;
}

export async function verifyRollups(ch: ClickHouse): Promise<RollupCheck> {
  const db = ch.database;
  const result = await ch.client.query({
    query: `SELECT
              (SELECT sum(length(contributions.metric) * sign) FROM ${db}.events) AS raw,
              (SELECT sum(events) FROM ${db}.metric_daily) AS rolledUp,
              (SELECT count() FROM ${db}.events WHERE type = 'void' AND sign = 1) AS rawVoids,
              (SELECT count() FROM ${db}.voids) AS indexedVoids,
              ${eventIndexes
                .map((index, i) => {
                  const sql = eventIndexCountSql(index, db);
                  return `${sql.raw} AS raw_${i}, ${sql.indexed} AS indexed_${i}`;
                })
                .join(',\n              ')}`,
    format: 'JSONEachRow',
  });
  const [row = {}] = await result.json<Record<string, string | number>>();
  const contributions = { raw: Number(row['raw'] ?? 0), rolledUp: Number(row['rolledUp'] ?? 0) };
  const voids = { raw: Number(row['rawVoids'] ?? 0), indexed: Number(row['indexedVoids'] ?? 0) };
  const indexes = Object.fromEntries(
    eventIndexes.map((index, i) => [index.table, { raw: Number(row[`raw_${i}`] ?? 0), indexed: Number(row[`indexed_${i}`] ?? 0) }]),
  );
  const indexesOk = Object.values(indexes).every((c) => c.raw === c.indexed);
  return { ok: contributions.raw === contributions.rolledUp && voids.raw === voids.indexed && indexesOk, contributions, voids, indexes };
}

export async function rebuildRollups(ch: ClickHouse): Promise<void> {
  const db = ch.database;
  // A rebuild must not be mistaken for a repeated block and dropped.
  const clickhouse_settings = { insert_deduplicate: 0 as const };
  await ch.client.command({ query: `TRUNCATE TABLE ${db}.metric_daily` });
  await ch.client.command({
    query: `INSERT INTO ${db}.metric_daily
            SELECT c.metric, region, site, c.dim, day, c.value * sign, toInt64(sign)
            FROM ${db}.events ARRAY JOIN contributions AS c`,
    clickhouse_settings,
  });
  await ch.client.command({ query: `TRUNCATE TABLE ${db}.voids` });
  await ch.client.command({
    query: `INSERT INTO ${db}.voids (target, void_id, received_at, scope)
            SELECT toUUID(JSONExtractString(data, 'target')), id, received_at, scope
            FROM ${db}.events WHERE type = 'void' AND sign = 1`,
    clickhouse_settings,
  });
  for (const index of eventIndexes) await fillEventIndex(ch, index);
}
