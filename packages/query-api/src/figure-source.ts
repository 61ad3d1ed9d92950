import type { ConsumerHealth } from '@cordon/schemas';
import { toClickHouseTime, type ClickHouse } from '@cordon/clickhouse';

/**
 * Where contributions are read from, as one of two sources that answer the
 * same question:
 *
 * - `rollup`: the daily roll-ups (what is known now): `metric_daily`, or for
 *   a question that needs no site and no region finer than a town, one of
 *   the coarser `town_daily` / `county_daily` / `city_daily` /
 *   `province_daily` ({@link rollupTableFor}).
 *   Used whenever the question allows it: they are small and already net of
 *   voids.
 * - `raw`: the raw `events` table with its contributions unnested and
 *   multiplied by `sign`, limited to rows received at or before `knownAt`.
 *   A retraction row carries the time its void took effect, so a void that
 *   came later is left out exactly like an event that came later.
 *
 * Reads that only the raw table can answer (site lifecycles, reports, the
 * events behind a flag) take a source too and add {@link knownCondition}:
 * empty for `rollup` (everything counted so far), `received_at <= knownAt`
 * for `raw`. So every route with `knownAt` draws the line in one place.
 *
 * Every value from a request arrives as a bound parameter; the only text
 * put into SQL is chosen from the fixed table below (never from input).
 */
export type FigureSource = { kind: 'rollup' } | { kind: 'raw'; knownAt: string };

export interface SourceSql {
  /** Table (and unnesting) to read. `{db}` is replaced by the database identifier. */
  from: string;
  metric: string;
  dim: string;
  value: string;
  /** Contributions summed into a row, net of retractions (`sum(...)` of it is 0 when all were taken back). */
  events: string;
  /** An extra WHERE condition, starting with AND. */
  known: string;
}

const sources: Record<FigureSource['kind'], SourceSql> = {
  rollup: { from: '{db}.metric_daily', metric: 'metric', dim: 'dim', value: 'value', events: 'events', known: '' },
  raw: {
    // The same rows the materialized view writes into metric_daily (migrations.ts), before summing.
    from: '{db}.events ARRAY JOIN contributions AS c',
    metric: 'c.metric',
    dim: 'c.dim',
    value: 'c.value * sign',
    events: 'sign',
    known: `AND received_at <= {knownAt:DateTime64(3, 'UTC')}`,
  },
};

/**
 * What a read needs of the roll-up: the region digits it filters and groups
 * by (a province's subtree: 2, a city's: 4, a county's or a breakdown by
 * county: 6, by town: 9, a village: 12), and whether it reads sites.
 */
export interface Grain {
  regionDigits: number;
  bySite: boolean;
}

/**
 * The roll-ups, coarsest first (packages/clickhouse migrations.ts): the same
 * sums at five grains. `province_daily`, `city_daily`, `county_daily` and
 * `town_daily` keep the region cut to its province, city, county or town
 * and no site; `metric_daily` keeps both. Each holds every contribution
 * once, net of retractions, so any of them that holds the question's grain
 * gives the same figures; the coarser, the fewer rows read (for a county on
 * the 10M-event bench data, about 1/30 of metric_daily's; for a province at
 * 100M events, province_daily holds 1/181 of county_daily's rows of it).
 * A prefix is exact on any table cut to at least its digits: a region cut
 * to 4 digits still starts with its 2- and 4-digit prefixes. Custom regions
 * have codes of the same syntax (parseRegionCode), so they are planned by
 * their digits like any other.
 */
const rollupTables: readonly { table: string; regionDigits: number; sites: boolean }[] = [
  { table: 'province_daily', regionDigits: 2, sites: false },
  { table: 'city_daily', regionDigits: 4, sites: false },
  { table: 'county_daily', regionDigits: 6, sites: false },
  { table: 'town_daily', regionDigits: 9, sites: false },
  { table: 'metric_daily', regionDigits: 12, sites: true },
];

/** The roll-up table a read of this grain is answered from: the coarsest that holds it. */
export function rollupTableFor(grain: Grain): string {
  const fit = rollupTables.find((t) => t.regionDigits >= grain.regionDigits && (t.sites || !grain.bySite));
  return fit?.table ?? 'metric_daily';
}

/**
 * The SQL fragments of a source, with `from` naming the tables of database
 * `db` (an identifier, already quoted). For the roll-up, `grain` chooses the
 * table (without it: `metric_daily`, which holds every grain).
 */
export function sourceSql(source: FigureSource, db: string, grain?: Grain): SourceSql {
  const src = sources[source.kind];
  const from = source.kind === 'rollup' && grain ? `{db}.${rollupTableFor(grain)}` : src.from;
  return { ...src, from: from.replace('{db}', db) };
}

/** The WHERE condition that limits a source to what was known at `knownAt` (empty for the roll-up). */
export function knownCondition(source: FigureSource): string {
  return sources[source.kind].known;
}

/** ClickHouse DateTime64 text in UTC, to the millisecond (the precision of `received_at`). */
export function knownAtParam(source: FigureSource): string {
  if (source.kind !== 'raw') return '1970-01-01 00:00:00.000';
  return toClickHouseTime(source.knownAt);
}

/**
 * The source for a request's `knownAt` (validated ISO instant or absent)
 * and the `asOf` to answer. Without knownAt: the roll-up, as of the pipeline
 * position. With it: the raw table as known at that instant; `asOf` is that
 * instant, unless the pipeline has not counted that far yet (then events
 * acknowledged in between may be missing, and asOf says so).
 */
/** How far the pipeline has come (the server reads it from the event log). */
export interface PipelineStatus {
  /**
   * Acknowledged events not yet counted, and the instant up to which all are
   * counted. May be a reading a few milliseconds old unless `fresh`.
   */
  read(options?: { fresh?: boolean }): Promise<{ lag: number; asOf: string }>;
  /** The roll-up consumer's health as of the last reading (GET /v1/status, the readiness route). */
  consumerHealth(): ConsumerHealth;
}

/**
 * {@link figureSourceOf} for a request, with the pipeline position read now.
 *
 * Given `ch`, a `knownAt` that no stored row was received after reads the
 * roll-up instead: it then holds exactly the rows the raw table would keep,
 * so the answer is the same, in milliseconds instead of a scan of every
 * event (a bulletin written at the pipeline's asOf is this case; with 10M
 * events one raw request takes seconds). The look-up is one `LIMIT 1` over
 * `received_at`. A row counted while the request runs, received after
 * `knownAt`, may then be included, as it would be without `knownAt`.
 */
export async function readFigureSource(
  status: PipelineStatus,
  knownAt: string | undefined,
  ch?: ClickHouse,
): Promise<{ source: FigureSource; asOf: string }> {
  const chosen = figureSourceOf(knownAt, (await status.read()).asOf);
  if (chosen.source.kind === 'raw' && ch && !(await receivedAfter(ch, chosen.source.knownAt)))
    return { source: { kind: 'rollup' }, asOf: chosen.asOf };
  return chosen;
}

/** Whether any stored row (event or retraction) was received after the instant. */
async function receivedAfter(ch: ClickHouse, instant: string): Promise<boolean> {
  const result = await ch.client.query({
    query: `SELECT count() AS n FROM (SELECT 1 FROM ${ch.database}.events WHERE received_at > {knownAt:DateTime64(3, 'UTC')} LIMIT 1)`,
    query_params: { knownAt: toClickHouseTime(instant) },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

export function figureSourceOf(knownAt: string | undefined, pipelineAsOf: string): { source: FigureSource; asOf: string } {
  if (knownAt === undefined) return { source: { kind: 'rollup' }, asOf: pipelineAsOf };
  const instant = new Date(knownAt).toISOString();
  return { source: { kind: 'raw', knownAt: instant }, asOf: Date.parse(pipelineAsOf) < Date.parse(instant) ? pipelineAsOf : instant };
}
