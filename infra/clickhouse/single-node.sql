-- The single-node schema (chDB or one ClickHouse server).
-- Generated from packages/clickhouse/src/migrations.ts by `npm run generate`: do not edit.
-- Cordon runs these itself at every start (idempotent); this file is for reading and for running by hand.

CREATE TABLE IF NOT EXISTS `cordon`.events (
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
    ) ENGINE = MergeTree ORDER BY (id, sign) SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.metric_daily (
      metric LowCardinality(String),
      region FixedString(12),
      site String,
      dim LowCardinality(String),
      day Date,
      value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions'
    ) ENGINE = SummingMergeTree ORDER BY (metric, region, site, dim, day) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.metric_daily_mv TO `cordon`.metric_daily AS
      SELECT c.metric AS metric, region, site, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events
      FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.voids (
      target UUID,
      void_id UUID,
      received_at DateTime64(3, 'UTC')
    ) ENGINE = MergeTree ORDER BY target SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.voids_mv TO `cordon`.voids AS
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at
      FROM `cordon`.events WHERE type = 'void' AND sign = 1;

CREATE TABLE IF NOT EXISTS `cordon`.consumer_progress (
      group_id String,
      partition UInt32,
      next_offset UInt64 COMMENT 'the next offset of the partition to count',
      rows UInt64 COMMENT 'rows of events for this partition after the batch',
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(next_offset) ORDER BY (group_id, partition);

CREATE TABLE IF NOT EXISTS `cordon`.api_keys (
      id String,
      name String,
      role LowCardinality(String),
      region String COMMENT 'public region code the key is limited to; empty: everywhere',
      hash String COMMENT 'sha256 of the secret, hex',
      created_at DateTime64(3, 'UTC'),
      revoked_at Nullable(DateTime64(3, 'UTC')),
      version UInt64
    ) ENGINE = ReplacingMergeTree(version) ORDER BY id;

CREATE TABLE IF NOT EXISTS `cordon`.custom_regions (
      code String,
      name String,
      parent String,
      created_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(created_at) ORDER BY code;

CREATE TABLE IF NOT EXISTS `cordon`.event_days (id UUID, sign Int8, type LowCardinality(String), day Date, region FixedString(12), site String,
      received_at DateTime64(3, 'UTC'), metrics Array(LowCardinality(String)) COMMENT 'contributions.metric') ENGINE = MergeTree ORDER BY (day, site, region, id) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.event_days_mv TO `cordon`.event_days AS SELECT id, sign, type, day, region, site, received_at, contributions.metric AS metrics FROM `cordon`.events;

CREATE TABLE IF NOT EXISTS `cordon`.quarantine_events (id UUID, sign Int8, type LowCardinality(String), subject String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), site String, received_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY (subject, id) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.quarantine_events_mv TO `cordon`.quarantine_events AS SELECT id, sign, type, JSONExtractString(data, 'subject') AS subject, occurred_at, day, region, site, received_at FROM `cordon`.events WHERE type IN ('quarantine.started', 'quarantine.ended');

CREATE TABLE IF NOT EXISTS `cordon`.site_events (id UUID, sign Int8, type LowCardinality(String), site String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), received_at DateTime64(3, 'UTC'), name String, kind String) ENGINE = MergeTree ORDER BY (site, id) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.site_events_mv TO `cordon`.site_events AS SELECT id, sign, type, site, occurred_at, day, region, received_at, JSONExtractString(data, 'name') AS name, JSONExtractString(data, 'kind') AS kind FROM `cordon`.events WHERE type IN ('site.registered', 'site.closed');

CREATE TABLE IF NOT EXISTS `cordon`.place_daily (metric LowCardinality(String), region FixedString(12), site String, day Date, value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = SummingMergeTree ORDER BY (day, metric, site, region) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.place_daily_mv TO `cordon`.place_daily AS SELECT c.metric AS metric, region, site, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.town_daily (metric LowCardinality(String), region FixedString(12) COMMENT 'the town: the region cut to 9 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = SummingMergeTree ORDER BY (metric, region, dim, day) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.town_daily_mv TO `cordon`.town_daily AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 9), '000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.county_daily (metric LowCardinality(String), region FixedString(12) COMMENT 'the county: the region cut to 6 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = SummingMergeTree ORDER BY (metric, region, dim, day) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.county_daily_mv TO `cordon`.county_daily AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 6), '000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.city_daily (metric LowCardinality(String), region FixedString(12) COMMENT 'the city: the region cut to 4 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = SummingMergeTree ORDER BY (metric, region, dim, day) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.city_daily_mv TO `cordon`.city_daily AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 4), '00000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.province_daily (metric LowCardinality(String), region FixedString(12) COMMENT 'the province: the region cut to 2 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = SummingMergeTree ORDER BY (metric, region, dim, day) SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.province_daily_mv TO `cordon`.province_daily AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 2), '0000000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.backfills (
      name String,
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(at) ORDER BY name;

ALTER TABLE `cordon`.events ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'public code of the region the sending key was limited to; empty: unscoped';

ALTER TABLE `cordon`.voids ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'scope of the void, as in events.scope';

ALTER TABLE `cordon`.voids_mv MODIFY QUERY
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at, scope
      FROM `cordon`.events WHERE type = 'void' AND sign = 1;

ALTER TABLE `cordon`.events ADD PROJECTION IF NOT EXISTS rows_by_partition (SELECT log_partition, count() GROUP BY log_partition);
