/**
 * The SQL the query API issues for the bench's questions, written out here
 * (bench/query.ts compares it with what the API actually sends, and times
 * it directly on the same ClickHouse client).
 */
import type { ClickHouse } from '@cordon/clickhouse';
import { lateKnownAt } from './query-data.ts';

// The SQL the API issues, written out here: packages/query-api/src/aggregates/aggregate-sql.ts
// (sumFigures, firstDay) and etag.ts. Each question calls these in the
// order and with the parallelism of aggregate.ts / timeseries.ts
// (bench/query-questions.ts). A check at
// start-up compares them with what the API actually sends.

/** `fine`: the roll-up questions on `metric_daily` alone, as the API read them before the coarse roll-ups. */
export type SourceKind = 'rollup' | 'fine' | 'raw';
export type Grouping = 'none' | 'day' | 'region' | 'site' | 'dimension';

const rollupSql = { from: 'metric_daily', metric: 'metric', dim: 'dim', value: 'value', events: 'events', known: '' } as const;
const sourceSql = {
  rollup: rollupSql,
  fine: rollupSql,
  raw: {
    from: 'events ARRAY JOIN contributions AS c',
    metric: 'c.metric',
    dim: 'c.dim',
    value: 'c.value * sign',
    events: 'sign',
    known: `AND received_at <= {knownAt:DateTime64(3, 'UTC')}`,
  },
} as const;

/**
 * The roll-up table the API reads for a question (figure-source.ts
 * rollupTableFor): the coarsest that holds its region digits (the subtree,
 * and the breakdown's level) and its sites.
 */
function rollupTable(regionDigits: number, bySite: boolean): string {
  if (bySite || regionDigits > 9) return 'metric_daily';
  if (regionDigits > 6) return 'town_daily';
  if (regionDigits > 4) return 'county_daily';
  return regionDigits > 2 ? 'city_daily' : 'province_daily';
}

const bucketSql = (grouping: Grouping, kind: SourceKind) =>
  ({
    none: `''`,
    day: 'toString(day)',
    region: 'substring(region, 1, {prefixLength:UInt8})',
    site: 'site',
    dimension: sourceSql[kind].dim,
  })[grouping];

export interface Sum {
  metrics: readonly string[];
  prefix: string;
  from: string | null;
  to: string;
  groupBy: Grouping;
  prefixLength?: number;
  dim?: string;
}

export interface Issued {
  query: string;
  query_params?: Record<string, unknown>;
}

export type Row = Record<string, unknown>;

export class DirectSql {
  constructor(
    private readonly ch: ClickHouse,
    readonly kind: SourceKind,
  ) {}

  private knownAtParam() {
    return this.kind === 'raw' ? lateKnownAt.replace('T', ' ').replace('Z', '') : '1970-01-01 00:00:00.000';
  }

  private async run(issued: Issued): Promise<Row[]> {
    const result = await this.ch.client.query({ ...issued, format: 'JSONEachRow' });
    return result.json<Row>();
  }

  private from(regionDigits: number, bySite: boolean): string {
    const s = sourceSql[this.kind];
    return `${this.ch.database}.${this.kind === 'rollup' ? rollupTable(regionDigits, bySite) : s.from}`;
  }

  /** sumFigures: nothing is sent for no metrics. */
  sum(q: Sum): Promise<Row[]> {
    if (q.metrics.length === 0) return Promise.resolve([]);
    const s = sourceSql[this.kind];
    const regionDigits = Math.max(q.prefix.length, q.groupBy === 'region' ? (q.prefixLength ?? 12) : 0);
    return this.run({
      query: `SELECT ${s.metric} AS metric, ${bucketSql(q.groupBy, this.kind)} AS bucket, any(region) AS site_region, sumKahan(${s.value}) AS total
            FROM ${this.from(regionDigits, q.groupBy === 'site')}
            WHERE metric IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
              AND day <= {to:Date} ${q.from === null ? '' : 'AND day >= {from:Date}'}
              ${q.dim === undefined ? '' : `AND ${s.dim} = {dim:String}`} ${s.known}
            GROUP BY metric, bucket`,
      query_params: {
        metrics: q.metrics,
        prefix: q.prefix,
        to: q.to,
        from: q.from ?? q.to,
        prefixLength: q.prefixLength ?? 12,
        dim: q.dim ?? '',
        knownAt: this.knownAtParam(),
      },
    });
  }

  /** firstDay: the first day with data, for a request without `from`. */
  async firstDay(metrics: readonly string[], prefix: string): Promise<{ day: string | null; rows: Row[] }> {
    const s = sourceSql[this.kind];
    const rows = await this.run({
      query: `SELECT toString(day) AS first_day, sum(${s.events}) AS n FROM ${this.from(prefix.length, false)}
            WHERE ${s.metric} IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
               ${s.known}
            GROUP BY day HAVING n > 0 ORDER BY day LIMIT 1`,
      query_params: { metrics, prefix, dim: '', knownAt: this.knownAtParam() },
    });
    const row = rows[0];
    return { day: row && Number(row['n']) > 0 ? String(row['first_day']) : null, rows };
  }
}

/** The position query pipelineEtag sends before every figure request (not part of the figures). */
export const etagSql = (ch: ClickHouse): Issued => ({ query: `SELECT count() AS n FROM ${ch.database}.events` });
