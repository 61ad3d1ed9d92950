import type { ClickHouse } from '@cordon/clickhouse';
import type { GroupBy } from '@cordon/schemas';

/**
 * Reads the daily roll-up. Every value from a request arrives as a bound
 * parameter; the only text put into SQL is chosen from the fixed table below
 * (never from input).
 */
const groupExpressions: Record<GroupBy, string> = {
  none: `''`,
  day: `toString(day)`,
  week: `toString(day)`, // weeks are formed from days in TS, where stock metrics need the days anyway
  region: `substring(region, 1, {prefixLength:UInt8})`,
  site: `site`,
};

export interface SumQuery {
  metrics: readonly string[];
  prefix: string;
  /** Inclusive; null for "from the first event". */
  from: string | null;
  to: string;
  groupBy: GroupBy;
  prefixLength?: number;
}

export interface SumRow {
  metric: string;
  group: string;
  /** groupBy=site: the region the site reported from. */
  region: string;
  value: number;
}

export async function sumRollup(ch: ClickHouse, q: SumQuery): Promise<SumRow[]> {
  if (q.metrics.length === 0) return [];
  const result = await ch.client.query({
    // Aliases differ from column names on purpose: ClickHouse resolves a name
    // in WHERE to a SELECT alias first.
    query: `SELECT metric, ${groupExpressions[q.groupBy]} AS bucket, any(region) AS site_region, sum(value) AS total
            FROM ${ch.database}.metric_daily
            WHERE metric IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
              AND day <= {to:Date} ${q.from === null ? '' : 'AND day >= {from:Date}'}
            GROUP BY metric, bucket`,
    query_params: { metrics: q.metrics, prefix: q.prefix, to: q.to, from: q.from ?? q.to, prefixLength: q.prefixLength ?? 12 },
    format: 'JSONEachRow',
  });
  return (await result.json<{ metric: string; bucket: string; site_region: string; total: number }>()).map((r) => ({
    metric: r.metric,
    group: r.bucket,
    region: r.site_region,
    value: Number(r.total),
  }));
}

/** The first day with data for these metrics in the subtree (for a missing `from`). */
export async function firstDay(ch: ClickHouse, metrics: readonly string[], prefix: string): Promise<string | null> {
  const result = await ch.client.query({
    query: `SELECT toString(min(day)) AS first_day, count() AS n FROM ${ch.database}.metric_daily
            WHERE metric IN {metrics:Array(String)} AND startsWith(region, {prefix:String})`,
    query_params: { metrics, prefix },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ first_day: string; n: string | number }>();
  return row && Number(row.n) > 0 ? row.first_day : null;
}
