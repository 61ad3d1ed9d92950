import type { ClickHouse } from '@cordon/clickhouse';
import { knownAtParam, sourceSql, type FigureSource, type SourceSql } from '../figure-source.ts';

/**
 * Sums of contributions from a {@link FigureSource} (the roll-up, or the raw
 * table as known at an instant; figure-source.ts). Every value from a
 * request arrives as a bound parameter; the only text put into SQL is chosen
 * from fixed tables (the sources, the group expressions below).
 */

/** What rows are summed by. Weeks and site kinds are formed in TS from days and sites. */
export type SqlGrouping = 'none' | 'day' | 'region' | 'site' | 'dimension';

function groupExpression(grouping: SqlGrouping, source: SourceSql): string {
  switch (grouping) {
    case 'none':
      return `''`;
    case 'day':
      return `toString(day)`;
    case 'region':
      return `substring(region, 1, {prefixLength:UInt8})`;
    case 'site':
      return `site`;
    case 'dimension':
      return source.dim;
    default: {
      const unreachable: never = grouping;
      throw new Error(`unknown grouping ${String(unreachable)}`);
    }
  }
}

export interface SumQuery {
  source: FigureSource;
  metrics: readonly string[];
  prefix: string;
  /** Inclusive; null for "from the first event". */
  from: string | null;
  to: string;
  groupBy: SqlGrouping;
  prefixLength?: number;
  /** Only contributions with this dimension value ('' = the event did not say). */
  dim?: string;
}

export interface SumRow {
  metric: string;
  group: string;
  /** groupBy=site: the region the site reported from. */
  region: string;
  value: number;
}

export async function sumFigures(ch: ClickHouse, q: SumQuery): Promise<SumRow[]> {
  if (q.metrics.length === 0) return [];
  const src = sourceSql(q.source, ch.database, {
    regionDigits: Math.max(q.prefix.length, q.groupBy === 'region' ? (q.prefixLength ?? 12) : 0),
    bySite: q.groupBy === 'site',
  });
  const result = await ch.client.query({
    // Aliases differ from column names on purpose: ClickHouse resolves a name
    // in WHERE to a SELECT alias first (`metric` is the same expression either way).
    // sumKahan: a plain float sum of many decimal quantities (0.1 kg) drifts
    // with the order it adds them in; on 100M bench events a province's
    // disinfectant total came out 83026153.599999 from the roll-up and
    // 83026153.6 from the raw table after rounding to the micro-unit.
    // Compensated, both give the exact figure, whichever rows are read.
    query: `SELECT ${src.metric} AS metric, ${groupExpression(q.groupBy, src)} AS bucket, any(region) AS site_region, sumKahan(${src.value}) AS total
            FROM ${src.from}
            WHERE metric IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
              AND day <= {to:Date} ${q.from === null ? '' : 'AND day >= {from:Date}'}
              ${q.dim === undefined ? '' : `AND ${src.dim} = {dim:String}`} ${src.known}
            GROUP BY metric, bucket`,
    query_params: {
      metrics: q.metrics,
      prefix: q.prefix,
      to: q.to,
      from: q.from ?? q.to,
      prefixLength: q.prefixLength ?? 12,
      dim: q.dim ?? '',
      knownAt: knownAtParam(q.source),
    },
    format: 'JSONEachRow',
  });
  return (await result.json<{ metric: string; bucket: string; site_region: string; total: number }>()).map((r) => ({
    metric: r.metric,
    group: r.bucket,
    region: r.site_region,
    value: Number(r.total),
  }));
}

/**
 * The first day with data for these metrics in the subtree (for a missing
 * `from`): with a contribution that was not taken back. A day whose events
 * were all voided has rows until ClickHouse merges them away (and in the
 * raw table for good), so the rows are summed here, never trusted to be
 * merged: every roll-up table, and the raw table, answer the same day.
 */
export async function firstDay(
  ch: ClickHouse,
  source: FigureSource,
  metrics: readonly string[],
  prefix: string,
  dim?: string,
): Promise<string | null> {
  const src = sourceSql(source, ch.database, { regionDigits: prefix.length, bySite: false });
  const result = await ch.client.query({
    query: `SELECT toString(day) AS first_day, sum(${src.events}) AS n FROM ${src.from}
            WHERE ${src.metric} IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
              ${dim === undefined ? '' : `AND ${src.dim} = {dim:String}`} ${src.known}
            GROUP BY day HAVING n > 0 ORDER BY day LIMIT 1`,
    query_params: { metrics, prefix, dim: dim ?? '', knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ first_day: string; n: string | number }>();
  return row && Number(row.n) > 0 ? row.first_day : null;
}

/** Sums of float quantities (0.1 kg) are shown to the micro-unit, without binary noise. */
export function roundFigure(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
