-- The cluster schema for cluster `cordon` (CORDON_CLICKHOUSE_CLUSTER=cordon); macros {shard} and {replica} from each server's config.
-- Generated from packages/clickhouse/src/migrations.ts by `npm run generate`: do not edit.
-- Cordon runs these itself at every start (idempotent); this file is for reading and for running by hand.

CREATE DATABASE IF NOT EXISTS `cordon` ON CLUSTER `cordon`;

CREATE TABLE IF NOT EXISTS `cordon`.events_local ON CLUSTER `cordon` (
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
    ) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/cordon/events_local', '{replica}') ORDER BY (id, sign) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.events ON CLUSTER `cordon` AS `cordon`.events_local
    ENGINE = Distributed('cordon', `cordon`, events_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS `cordon`.metric_daily_local ON CLUSTER `cordon` (
      metric LowCardinality(String),
      region FixedString(12),
      site String,
      dim LowCardinality(String),
      day Date,
      value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions'
    ) ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/metric_daily_local', '{replica}') ORDER BY (metric, region, site, dim, day) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.metric_daily ON CLUSTER `cordon` AS `cordon`.metric_daily_local
    ENGINE = Distributed('cordon', `cordon`, metric_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.metric_daily_mv ON CLUSTER `cordon` TO `cordon`.metric_daily_local AS
      SELECT c.metric AS metric, region, site, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events
      FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.voids_local ON CLUSTER `cordon` (
      target UUID,
      void_id UUID,
      received_at DateTime64(3, 'UTC')
    ) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/cordon/voids_local', '{replica}') ORDER BY target SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.voids ON CLUSTER `cordon` AS `cordon`.voids_local
    ENGINE = Distributed('cordon', `cordon`, voids_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.voids_mv ON CLUSTER `cordon` TO `cordon`.voids_local AS
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at
      FROM `cordon`.events_local WHERE type = 'void' AND sign = 1;

CREATE TABLE IF NOT EXISTS `cordon`.consumer_progress ON CLUSTER `cordon` (
      group_id String,
      partition UInt32,
      next_offset UInt64 COMMENT 'the next offset of the partition to count',
      rows UInt64 COMMENT 'rows of events for this partition after the batch',
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/cordon/consumer_progress', '{replica}', next_offset) ORDER BY (group_id, partition);

CREATE TABLE IF NOT EXISTS `cordon`.api_keys ON CLUSTER `cordon` (
      id String,
      name String,
      role LowCardinality(String),
      region String COMMENT 'public region code the key is limited to; empty: everywhere',
      hash String COMMENT 'sha256 of the secret, hex',
      created_at DateTime64(3, 'UTC'),
      revoked_at Nullable(DateTime64(3, 'UTC')),
      version UInt64
    ) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/cordon/api_keys', '{replica}', version) ORDER BY id;

CREATE TABLE IF NOT EXISTS `cordon`.custom_regions ON CLUSTER `cordon` (
      code String,
      name String,
      parent String,
      created_at DateTime64(3, 'UTC')
    ) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/cordon/custom_regions', '{replica}', created_at) ORDER BY code;

CREATE TABLE IF NOT EXISTS `cordon`.event_days_local ON CLUSTER `cordon` (id UUID, sign Int8, type LowCardinality(String), day Date, region FixedString(12), site String,
      received_at DateTime64(3, 'UTC'), metrics Array(LowCardinality(String)) COMMENT 'contributions.metric') ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/cordon/event_days_local', '{replica}') ORDER BY (day, site, region, id) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.event_days ON CLUSTER `cordon` AS `cordon`.event_days_local
    ENGINE = Distributed('cordon', `cordon`, event_days_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.event_days_mv ON CLUSTER `cordon` TO `cordon`.event_days_local AS SELECT id, sign, type, day, region, site, received_at, contributions.metric AS metrics FROM `cordon`.events_local;

CREATE TABLE IF NOT EXISTS `cordon`.quarantine_events_local ON CLUSTER `cordon` (id UUID, sign Int8, type LowCardinality(String), subject String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), site String, received_at DateTime64(3, 'UTC')) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/cordon/quarantine_events_local', '{replica}') ORDER BY (subject, id) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.quarantine_events ON CLUSTER `cordon` AS `cordon`.quarantine_events_local
    ENGINE = Distributed('cordon', `cordon`, quarantine_events_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.quarantine_events_mv ON CLUSTER `cordon` TO `cordon`.quarantine_events_local AS SELECT id, sign, type, JSONExtractString(data, 'subject') AS subject, occurred_at, day, region, site, received_at FROM `cordon`.events_local WHERE type IN ('quarantine.started', 'quarantine.ended');

CREATE TABLE IF NOT EXISTS `cordon`.site_events_local ON CLUSTER `cordon` (id UUID, sign Int8, type LowCardinality(String), site String, occurred_at DateTime64(3, 'UTC'), day Date,
      region FixedString(12), received_at DateTime64(3, 'UTC'), name String, kind String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/cordon/site_events_local', '{replica}') ORDER BY (site, id) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.site_events ON CLUSTER `cordon` AS `cordon`.site_events_local
    ENGINE = Distributed('cordon', `cordon`, site_events_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.site_events_mv ON CLUSTER `cordon` TO `cordon`.site_events_local AS SELECT id, sign, type, site, occurred_at, day, region, received_at, JSONExtractString(data, 'name') AS name, JSONExtractString(data, 'kind') AS kind FROM `cordon`.events_local WHERE type IN ('site.registered', 'site.closed');

CREATE TABLE IF NOT EXISTS `cordon`.place_daily_local ON CLUSTER `cordon` (metric LowCardinality(String), region FixedString(12), site String, day Date, value Float64,
      events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/place_daily_local', '{replica}') ORDER BY (day, metric, site, region) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.place_daily ON CLUSTER `cordon` AS `cordon`.place_daily_local
    ENGINE = Distributed('cordon', `cordon`, place_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.place_daily_mv ON CLUSTER `cordon` TO `cordon`.place_daily_local AS SELECT c.metric AS metric, region, site, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.town_daily_local ON CLUSTER `cordon` (metric LowCardinality(String), region FixedString(12) COMMENT 'the town: the region cut to 9 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/town_daily_local', '{replica}') ORDER BY (metric, region, dim, day) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.town_daily ON CLUSTER `cordon` AS `cordon`.town_daily_local
    ENGINE = Distributed('cordon', `cordon`, town_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.town_daily_mv ON CLUSTER `cordon` TO `cordon`.town_daily_local AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 9), '000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.county_daily_local ON CLUSTER `cordon` (metric LowCardinality(String), region FixedString(12) COMMENT 'the county: the region cut to 6 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/county_daily_local', '{replica}') ORDER BY (metric, region, dim, day) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.county_daily ON CLUSTER `cordon` AS `cordon`.county_daily_local
    ENGINE = Distributed('cordon', `cordon`, county_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.county_daily_mv ON CLUSTER `cordon` TO `cordon`.county_daily_local AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 6), '000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.city_daily_local ON CLUSTER `cordon` (metric LowCardinality(String), region FixedString(12) COMMENT 'the city: the region cut to 4 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/city_daily_local', '{replica}') ORDER BY (metric, region, dim, day) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.city_daily ON CLUSTER `cordon` AS `cordon`.city_daily_local
    ENGINE = Distributed('cordon', `cordon`, city_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.city_daily_mv ON CLUSTER `cordon` TO `cordon`.city_daily_local AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 4), '00000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.province_daily_local ON CLUSTER `cordon` (metric LowCardinality(String), region FixedString(12) COMMENT 'the province: the region cut to 2 digits, zero-padded',
      dim LowCardinality(String), day Date, value Float64, events Int64 COMMENT 'contributions summed into this row, net of retractions') ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/cordon/province_daily_local', '{replica}') ORDER BY (metric, region, dim, day) SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS `cordon`.province_daily ON CLUSTER `cordon` AS `cordon`.province_daily_local
    ENGINE = Distributed('cordon', `cordon`, province_daily_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS `cordon`.province_daily_mv ON CLUSTER `cordon` TO `cordon`.province_daily_local AS SELECT c.metric AS metric, toFixedString(concat(substring(region, 1, 2), '0000000000'), 12) AS region, c.dim AS dim, day, c.value * sign AS value, toInt64(sign) AS events FROM `cordon`.events_local ARRAY JOIN contributions AS c;

CREATE TABLE IF NOT EXISTS `cordon`.backfills ON CLUSTER `cordon` (
      name String,
      at DateTime64(3, 'UTC')
    ) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/cordon/backfills', '{replica}', at) ORDER BY name;

ALTER TABLE `cordon`.events_local ON CLUSTER `cordon` ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'public code of the region the sending key was limited to; empty: unscoped';

ALTER TABLE `cordon`.events ON CLUSTER `cordon` ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'public code of the region the sending key was limited to; empty: unscoped';

ALTER TABLE `cordon`.voids_local ON CLUSTER `cordon` ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'scope of the void, as in events.scope';

ALTER TABLE `cordon`.voids ON CLUSTER `cordon` ADD COLUMN IF NOT EXISTS scope LowCardinality(String) DEFAULT '' COMMENT 'scope of the void, as in events.scope';

ALTER TABLE `cordon`.voids_mv ON CLUSTER `cordon` MODIFY QUERY
      SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at, scope
      FROM `cordon`.events_local WHERE type = 'void' AND sign = 1;

ALTER TABLE `cordon`.events_local ON CLUSTER `cordon` ADD PROJECTION IF NOT EXISTS rows_by_partition (SELECT log_partition, count() GROUP BY log_partition);
