import { quoteIdentifier } from './connect.ts';

/**
 * The tables, in the order they must exist. Every statement is idempotent
 * (IF NOT EXISTS), so migrating on every start is safe.
 *
 * Exactly-once rests on three things here:
 * - `events` holds each event id once with sign +1 (the consumer checks before
 *   it inserts) and at most once with sign -1 (a retraction written for a void).
 * - The materialized view multiplies every contribution by `sign`, so a
 *   retraction takes back exactly what its target added.
 * - `non_replicated_deduplication_window` on the source AND the view's target:
 *   a retried insert of the same block (same insert_deduplication_token) is
 *   dropped from both. Without the window on the target, the view would fire
 *   again and double the roll-up although the source dropped the block.
 */
/** The projection of `events` that counts its rows per log partition (see the statement adding it). */
export const rowsByPartition = 'rows_by_partition';

export function migrationStatements(database: string): string[] {
  const db = quoteIdentifier(database);
  const dedup = 'non_replicated_deduplication_window = 10000';
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.events (
      id UUID,
      sign Int8 COMMENT '+1: the event as sent; -1: a retraction written for a void',
      type LowCardinality(String),
      occurred_at DateTime64(3, 'UTC'),
      day Date COMMENT 'occurred_at as a day in CORDON_TZ',
      region FixedString(12) COMMENT 'region code, zero-padded to 12 digits: subtree = prefix',
      site String,
      source String,
      received_at DateTime64(3, 'UTC') COMMENT 'when ingest acknowledged it (retractions: when the void took effect)',
      void_id Nullable(UUID) COMMENT 'retractions: the void that took the event back',
      data String COMMENT 'the event data as JSON',
      contributions Nested(metric LowCardinality(String), dim LowCardinality(String), value Float64),
      log_partition UInt32,
      log_offset UInt64
    ) ENGINE = MergeTree ORDER BY (id, sign) SETTINGS ${dedup}`,
    `CREATE TABLE IF NOT EXISTS ${db}.metric_daily (
      metric LowCardinality(String),
      region FixedString(12),
      site String,
      dim LowCardinality(String),
      day Date,
      value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions'
    ) ENGINE = SummingMergeTree ORDER BY (metric, region, site, dim, day) SETTINGS ${dedup}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.metric_daily_mv TO ${db}.metric_daily AS
      SELECT c.metric AS metric, region, site, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events
      FROM ${db}.events ARRAY JOIN contributions AS c`,
    // Voids by target: a void may arrive before its target, so the consumer
    // looks here for every new event.
    `CREATE TABLE IF NOT EXISTS ${db}.voids (
      target UUID,
      void_id UUID,
      received_at DateTime64(3, 'UTC')
    ) ENGINE = MergeTree ORDER BY target SETTINGS ${dedup}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.voids_mv TO ${db}.voids AS
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at
      FROM ${db}.events WHERE type = 'void' AND sign = 1`,
    // Where the roll-up consumer got to, written after each batch's insert
    // and before its offsets are committed, with the rows `events` then held
    // for the partition. At start, a committed offset past this, or fewer
    // rows than this, means ClickHouse lost data the log says was counted:
    // the consumer rebuilds from the log (packages/ingest/src/consumer/heal.ts).
    `CREATE TABLE IF NOT EXISTS ${db}.consumer_progress (
      group_id String,
      partition UInt32,
      next_offset UInt64 COMMENT 'the next offset of the partition to count',
      rows UInt64 COMMENT 'rows of events for this partition after the batch',
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(next_offset) ORDER BY (group_id, partition)`,
    `CREATE TABLE IF NOT EXISTS ${db}.api_keys (
      id String,
      name String,
      role LowCardinality(String),
      region String COMMENT 'public region code the key is limited to; empty: everywhere',
      hash String COMMENT 'sha256 of the secret, hex',
      created_at DateTime64(3, 'UTC'),
      revoked_at Nullable(DateTime64(3, 'UTC')),
      version UInt64
    ) ENGINE = ReplacingMergeTree(version) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS ${db}.custom_regions (
      code String,
      name String,
      parent String,
      created_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(created_at) ORDER BY code`,
    ...eventIndexes.flatMap((index) => [
      `CREATE TABLE IF NOT EXISTS ${db}.${index.table} (${index.columns}) ENGINE = ${index.engine ?? 'MergeTree'} ORDER BY (${index.orderBy}) SETTINGS ${dedup}`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${index.table}_mv TO ${db}.${index.table} AS ${indexSelect(index, db)}`,
    ]),
    // Which event indexes were filled from the rows `events` held when they were created.
    `CREATE TABLE IF NOT EXISTS ${db}.backfills (
      name String,
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(at) ORDER BY name`,
    // Appended (issue 7): the region the sending key was limited to, beside
    // every event and every pending void, so the consumer can refuse a void
    // whose target arrives later outside it. '' is unscoped: rows written
    // before these statements keep voiding anywhere, as they did. Each
    // statement is a no-op when already applied, so an existing data folder
    // upgrades on start. The view is altered in place (never dropped and
    // made again), so no void written meanwhile can miss the index.
    `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'public code of the region the sending key was limited to; empty: unscoped'`,
    `ALTER TABLE ${db}.voids ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'scope of the void, as in events.scope'`,
    `ALTER TABLE ${db}.voids_mv MODIFY QUERY
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at, scope
      FROM ${db}.events WHERE type = 'void' AND sign = 1`,
    // Appended (issue 13): the consumer records the rows `events` holds for a
    // partition after every batch (consumer_progress, the evidence heal.ts
    // checks at start). `events` is ordered by id, so that count read every
    // row's log_partition: 10M values per batch at 10M events, growing with
    // them. This projection keeps the count per partition per part, so the
    // count reads a row per part instead. Parts made before it are counted
    // from their rows until migrate() materializes it once (the answer is
    // the same either way).
    `ALTER TABLE ${db}.events ADD PROJECTION IF NOT EXISTS ${rowsByPartition} (SELECT log_partition, count() GROUP BY log_partition)`,
  ];
}

/**
 * Tables derived from `events`, ordered for the questions `events`, ordered
 * by id, can only answer by reading every row. The first three are narrow
 * copies, row for row (sign and received_at kept, so a read with knownAt is
 * as exact on them as on `events`):
 *
 * - `event_days`: every row without its data, by day and site: a day's
 *   reports per site (completeness) and the events behind a quality flag.
 * - `quarantine_events`: quarantine rows with their subject, by subject: the
 *   pairing of starts and ends without parsing every event's JSON.
 * - `site_events`: site.registered / site.closed with name and kind: site
 *   lifecycles (a few rows per site).
 *
 * - `place_daily`: the roll-up's sums without the dimension, by day: the
 *   site-day sums the quality checks compare (metric_daily is ordered by
 *   metric first and day last, so a month of five metrics read most of it).
 *   It sums (SummingMergeTree) instead of copying rows, so it serves reads
 *   without knownAt only, like metric_daily.
 *
 * - `town_daily`, `county_daily`, `city_daily`, `province_daily`: the
 *   roll-up at a coarser grain, for the office's coarse questions (a
 *   county's, a city's or a province's figures, a breakdown by town, county
 *   or city): metric_daily's rows without the site, the region cut to its
 *   town (9 digits + 000), county (6 digits + 000000), city (4 digits) or
 *   province (2 digits). metric_daily is keyed by site, so it holds about
 *   one row per 3 events (3.04M for the 10M-event bench) and a county
 *   question reads every site's rows; these grow with days × regions. A
 *   province question on county_daily still reads every county's rows
 *   (5.7M rows at 100M province events); province_daily holds one region,
 *   so it reads days × metrics × dimensions rows. The same rows as
 *   metric_daily's view, times `sign`, so a void or a revision's retraction
 *   takes back from them exactly what it takes from metric_daily. The
 *   query API reads them when the question allows (query-api
 *   `figure-source.ts`).
 *
 * Each is fed by a materialized view as rows go into `events`, and filled
 * once from the rows already there when it is created (see {@link migrate}).
 */
export interface EventIndex {
  table: string;
  columns: string;
  orderBy: string;
  /** Expressions over `events`, one per column, in order, each named as its column (a view fills its target by name, a backfill by position). */
  select: string;
  /** After `FROM events`, e.g. an ARRAY JOIN. */
  join?: string;
  where?: string;
  /** Default MergeTree (a copy of rows). */
  engine?: 'SummingMergeTree';
  /** What the roll-up check compares: an aggregate over `events` (with `where`) and one over the table. Default: count() of both. */
  counts?: { raw: string; indexed: string };
  /**
   * A cheaper SELECT of the same rows for a fill (`{db}` the database):
   * a coarse roll-up is filled from `metric_daily` (3 rows per 10 events)
   * rather than by unnesting every event. Only for a table that sums: the
   * sums are the same, the rows fewer. A fill runs after `metric_daily` is
   * complete (at start; a rebuild makes metric_daily first).
   */
  fill?: string;
}

/** A roll-up of metric_daily's rows without the site, the region cut to its first `digits` digits (a town: 9, a county: 6, a city: 4, a province: 2). */
function coarseRollup(table: string, digits: number, level: string): EventIndex {
  const cut = (column: string) => `toFixedString(concat(substring(${column}, 1, ${digits}), '${'0'.repeat(12 - digits)}'), 12)`;
  return {
    table,
    columns: `metric LowCardinality(String), region FixedString(12) COMMENT 'the ${level}: the region cut to ${digits} digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions'`,
    orderBy: 'metric, region, dim, day',
    // The rows of metric_daily_mv, less the site, at the coarser region.
    select: `c.metric AS metric, ${cut('region')} AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events`,
    join: 'ARRAY JOIN contributions AS c',
    engine: 'SummingMergeTree',
    counts: { raw: 'sum(length(contributions.metric) * sign)', indexed: 'sum(events)' },
    fill: `SELECT metric, ${cut('region')} AS coarse, dim, day, sum(value), sum(events) FROM {db}.metric_daily GROUP BY metric, coarse, dim, day`,
  };
}

export const eventIndexes: readonly EventIndex[] = [
  {
    table: 'event_days',
    columns: `id UUID, sign Int8, type LowCardinality(String), day Date, region FixedString(12), site String,
      received_at DateTime64(3, 'UTC'), metrics Array(LowCardinality(String)) COMMENT 'contributions.metric'`,
    orderBy: 'day, site, region, id',
    select: 'id, sign, type, day, region, site, received_at, contributions.metric AS metrics',
  },
  {
    table: 'quarantine_events',
    columns: `id UUID, sign Int8, type LowCardinality(String), subject String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), site String, received_at DateTime64(3, 'UTC')`,
    orderBy: 'subject, id',
    select: `id, sign, type, JSONExtractString(data, 'subject') AS subject, occurred_at, day, region, site, received_at`,
    where: `type IN ('quarantine.started', 'quarantine.ended')`,
  },
  {
    table: 'site_events',
    columns: `id UUID, sign Int8, type LowCardinality(String), site String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), received_at DateTime64(3, 'UTC'), name String, kind String`,
    orderBy: 'site, id',
    select: `id, sign, type, site, occurred_at, day, region, received_at, JSONExtractString(data, 'name') AS name, JSONExtractString(data, 'kind') AS kind`,
    where: `type IN ('site.registered', 'site.closed')`,
  },
  {
    table: 'place_daily',
    columns: `metric LowCardinality(String), region FixedString(12), site String, day Date, value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions'`,
    orderBy: 'day, metric, site, region',
    // The rows of metric_daily_mv, less the dimension.
    select: 'c.metric AS metric, region, site, day, c.value * sign AS value, toInt64(sign) AS events',
    join: 'ARRAY JOIN contributions AS c',
    engine: 'SummingMergeTree',
    counts: { raw: 'sum(length(contributions.metric) * sign)', indexed: 'sum(events)' },
  },
  coarseRollup('town_daily', 9, 'town'),
  coarseRollup('county_daily', 6, 'county'),
  // Appended (issue 13): at 100M events a province's questions read every
  // county's rows of county_daily (5.7M rows, growing 3× from 10M); these
  // hold the same sums per city and per province, days × metrics ×
  // dimensions rows for each. On an existing data folder migrate() creates
  // and fills them once, like the two above.
  coarseRollup('city_daily', 4, 'city'),
  coarseRollup('province_daily', 2, 'province'),
];

/** The tables derived from `events` (views first), dropped with it when ClickHouse is rebuilt from the log. */
export const eventIndexTables: readonly string[] = [...eventIndexes.map((i) => `${i.table}_mv`), ...eventIndexes.map((i) => i.table)];

/** The rows of `events` an index copies, as a SELECT (`db` an identifier, already quoted). */
export function indexSelect(index: EventIndex, db: string): string {
  return `SELECT ${index.select} FROM ${db}.events${index.join ? ` ${index.join}` : ''}${index.where ? ` WHERE ${index.where}` : ''}`;
}

/** A scalar subquery pair for an index: the rows of `events` it must hold, and the rows it holds. */
export function eventIndexCountSql(index: EventIndex, db: string): { raw: string; indexed: string } {
  return {
    raw: `(SELECT ${index.counts?.raw ?? 'count()'} FROM ${db}.events${index.where ? ` WHERE ${index.where}` : ''})`,
    indexed: `(SELECT ${index.counts?.indexed ?? 'count()'} FROM ${db}.${index.table})`,
  };
}
