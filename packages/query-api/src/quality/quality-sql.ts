import { fromClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import { knownAtParam, knownCondition, sourceSql, type FigureSource } from '../figure-source.ts';
import type { Place, PlaceDayValue, QuarantineEvent } from './quality-rules.ts';

/**
 * Reads for the quality checks. Every request value is a bound parameter;
 * the SQL text is fixed. Aliases differ from column names: ClickHouse
 * resolves a name in WHERE to a SELECT alias first.
 *
 * A place is (site, '') for a site and ('', region) for events without one,
 * written in SQL as `if(site = '', toString(region), '')`.
 *
 * Each read takes a {@link FigureSource}: without knownAt the site-day sums
 * come from the roll-up; with it they, like every raw read here, come from
 * the rows of `events` received by then (figure-source.ts). The raw reads
 * other than the sums go to the narrow copies of `events` ordered for them
 * (`quarantine_events`, `event_days`: packages/clickhouse migrations.ts),
 * which keep every row with its sign and received_at, so they answer
 * exactly as `events` would, with knownAt too.
 */

/** Site-day sums of `metrics` from the source, days from..to; days whose events were all retracted are left out. */
export async function readPlaceDays(
  ch: ClickHouse,
  source: FigureSource,
  prefix: string,
  metrics: readonly string[],
  from: string,
  to: string,
): Promise<PlaceDayValue[]> {
  // The roll-up's sums without the dimension, ordered by day (place_daily, migrations.ts): the same sums as metric_daily's, reading only the days asked for.
  const src =
    source.kind === 'rollup' ? { ...sourceSql(source, ch.database), from: `${ch.database}.place_daily` } : sourceSql(source, ch.database);
  const result = await ch.client.query({
    // place_daily is a SummingMergeTree: rows are summed here, never trusted to be merged.
    query: `SELECT site AS p_site, if(site = '', toString(region), '') AS p_region, toString(any(region)) AS any_region,
                   toString(day) AS p_day, ${src.metric} AS p_metric, sum(${src.value}) AS total, sum(${src.events}) AS n
            FROM ${src.from}
            WHERE ${src.metric} IN {metrics:Array(String)} AND startsWith(region, {prefix:String}) AND day >= {from:Date} AND day <= {to:Date}
              ${src.known}
            GROUP BY p_site, p_region, p_day, p_metric
            HAVING n > 0`,
    query_params: { metrics, prefix, from, to, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{
    p_site: string;
    p_region: string;
    any_region: string;
    p_day: string;
    p_metric: string;
    total: number | string;
  }>();
  return rows.map((r) => ({
    site: r.p_site,
    placeRegion: r.p_region,
    regionKey: r.any_region,
    day: r.p_day,
    metric: r.p_metric,
    value: Number(r.total),
  }));
}

/**
 * The quarantine events (not retracted) of every subject that has a
 * quarantine.ended on from..to in the subtree, up to `to`: everything the
 * pairing of those ends depends on, and nothing later.
 */
export async function readQuarantineEvents(
  ch: ClickHouse,
  source: FigureSource,
  prefix: string,
  from: string,
  to: string,
): Promise<QuarantineEvent[]> {
  // quarantine_events: the quarantine rows of `events` with their subject (migrations.ts), ordered by subject.
  const result = await ch.client.query({
    query: `SELECT id AS e_id, argMax(type, sign) AS e_type, argMax(subject, sign) AS e_subject,
                   toString(argMax(occurred_at, sign)) AS e_at, toString(argMax(day, sign)) AS e_day,
                   argMax(site, sign) AS e_site, toString(argMax(region, sign)) AS e_region
            FROM ${ch.database}.quarantine_events
            WHERE startsWith(region, {prefix:String}) AND day <= {to:Date} ${knownCondition(source)}
              AND subject IN (
                SELECT subject FROM ${ch.database}.quarantine_events
                WHERE type = 'quarantine.ended' AND startsWith(region, {prefix:String}) AND day >= {from:Date} AND day <= {to:Date}
                  ${knownCondition(source)})
            GROUP BY id
            HAVING sum(sign) > 0`,
    query_params: { prefix, from, to, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{
    e_id: string;
    e_type: QuarantineEvent['type'];
    e_subject: string;
    e_at: string;
    e_day: string;
    e_site: string;
    e_region: string;
  }>();
  return rows.map((r) => ({
    id: r.e_id,
    type: r.e_type,
    subject: r.e_subject,
    occurredAt: fromClickHouseTime(r.e_at),
    day: r.e_day,
    site: r.e_site,
    regionKey: r.e_region,
  }));
}

export interface EvidenceEvent extends Place {
  id: string;
  day: string;
  metrics: string[];
}

/**
 * The non-retracted events on the given place-days that contribute to any of
 * `metrics`, with the metrics each contributes to. Only flagged place-days
 * are asked for, so this stays small however wide the range.
 */
export async function readEvidence(
  ch: ClickHouse,
  source: FigureSource,
  prefix: string,
  placeDays: readonly (Place & { day: string })[],
  metrics: readonly string[],
): Promise<EvidenceEvent[]> {
  if (placeDays.length === 0) return [];
  const days = placeDays.map((p) => p.day).sort();
  const result = await ch.client.query({
    query: `SELECT id AS e_id, any(site) AS e_site, if(any(site) = '', toString(any(region)), '') AS e_place_region,
                   toString(any(day)) AS e_day, any(metrics) AS e_metrics
            FROM ${ch.database}.event_days
            WHERE startsWith(region, {prefix:String}) AND day >= {from:Date} AND day <= {to:Date}
              AND has(arrayZip({sites:Array(String)}, {regions:Array(String)}, {days:Array(Date)}), tuple(site, if(site = '', toString(region), ''), day))
              AND hasAny(metrics, {metrics:Array(String)}) ${knownCondition(source)}
            GROUP BY id
            HAVING sum(sign) > 0`,
    query_params: {
      prefix,
      from: days[0]!,
      to: days.at(-1)!,
      sites: placeDays.map((p) => p.site),
      regions: placeDays.map((p) => p.placeRegion),
      days: placeDays.map((p) => p.day),
      metrics,
      knownAt: knownAtParam(source),
    },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ e_id: string; e_site: string; e_place_region: string; e_day: string; e_metrics: string[] }>();
  return rows.map((r) => ({ id: r.e_id, site: r.e_site, placeRegion: r.e_place_region, day: r.e_day, metrics: r.e_metrics }));
}
