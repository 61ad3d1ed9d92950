import type { ClickHouse } from '@cordon/clickhouse';
import { mostSpecificCode, parseRegionCode, prefixLengthOf } from '@cordon/regions';
import {
  daysBetween,
  isoWeekOf,
  metricCatalogue,
  type AggregateRow,
  type AggregatesAnswer,
  type GroupBy,
  type MetricName,
} from '@cordon/schemas';
import { firstDay, roundFigure as round, sumFigures, type SumRow } from './aggregate-sql.ts';
import type { FigureSource } from '../figure-source.ts';
import { byDimension, bySiteKind, type Grouped } from './breakdown.ts';
import { orderRows } from './breakdown-order.ts';

export interface AggregateRequest {
  metrics: MetricName[];
  region: { code: string; name: string };
  from: string | undefined;
  to: string;
  groupBy: GroupBy;
  level: 'province' | 'city' | 'county' | 'town' | 'village' | undefined;
  asOf: string;
  regionName: (code: string) => string;
  /** The roll-up, or the raw table as known at an instant. */
  source: FigureSource;
  /** `key`, `-key`, a requested metric or `-metric` (checked by the route); default `key`. */
  sort?: string | undefined;
  /** Keep the first N rows after sorting; totals still cover every row. */
  limit?: number | undefined;
}

/**
 * Computes an /v1/aggregates answer from the daily roll-up (or, with
 * knownAt, from the raw table as known then).
 * Flow metrics sum over each row's period; stock metrics are the running
 * sum of their deltas from the first event to the end of each row's period
 * (and to `to` for the totals).
 */
export async function aggregate(ch: ClickHouse, req: AggregateRequest): Promise<AggregatesAnswer> {
  const prefix = parseRegionCode(req.region.code)!.prefix;
  const flow = req.metrics.filter((m) => metricCatalogue.get(m)?.kind === 'flow');
  const stock = req.metrics.filter((m) => metricCatalogue.get(m)?.kind === 'stock');
  const from = req.from ?? (await firstDay(ch, req.source, req.metrics, prefix));
  const effectiveFrom = from ?? req.to;
  const base = { source: req.source, prefix, to: req.to };

  // Each grouping returns the sums it read with its rows. The totals are those
  // sums added up: every contribution lies in exactly one group (an event booked
  // above `level` keeps its own row), so reading them again ungrouped would
  // only double the requests to ClickHouse.
  let grouped: Grouped;
  switch (req.groupBy) {
    case 'none': {
      const [flowTotals, stockTotals] = await Promise.all([
        sumFigures(ch, { ...base, metrics: flow, from: effectiveFrom, groupBy: 'none' }),
        sumFigures(ch, { ...base, metrics: stock, from: null, groupBy: 'none' }),
      ]);
      const sums = [...flowTotals, ...stockTotals];
      grouped = { rows: [{ key: {}, values: valuesOf(req.metrics, sums) }], sums };
      break;
    }
    case 'day':
    case 'week':
      grouped = await byTime(ch, req, flow, stock, prefix, effectiveFrom);
      break;
    case 'region':
    case 'site':
      grouped = await byPlace(ch, req, flow, stock, prefix, effectiveFrom);
      break;
    case 'dimension':
      grouped = await byDimension(ch, { source: req.source, metrics: req.metrics, prefix, from: effectiveFrom, to: req.to });
      break;
    case 'siteKind':
      grouped = await bySiteKind(ch, { source: req.source, metrics: req.metrics, prefix, from: effectiveFrom, to: req.to });
      break;
    default: {
      const unreachable: never = req.groupBy;
      throw new Error(`unknown groupBy ${String(unreachable)}`);
    }
  }
  const totals = valuesOf(req.metrics, grouped.sums);
  let rows = grouped.rows;
  rows = orderRows(rows, req.sort, req.limit);
  return { metrics: req.metrics, region: req.region, from, to: req.to, asOf: req.asOf, rows, totals };
}

async function byTime(
  ch: ClickHouse,
  req: AggregateRequest,
  flow: MetricName[],
  stock: MetricName[],
  prefix: string,
  from: string,
): Promise<Grouped> {
  const days = daysBetween(from, req.to);
  const [flowDaily, stockDaily] = await Promise.all([
    sumFigures(ch, { source: req.source, prefix, to: req.to, metrics: flow, from, groupBy: 'day' }),
    sumFigures(ch, { source: req.source, prefix, to: req.to, metrics: stock, from: null, groupBy: 'day' }),
  ]);
  const bucketOf = req.groupBy === 'week' ? isoWeekOf : (day: string) => day;
  const buckets = new Map<string, Record<string, number>>();
  for (const day of days) {
    const bucket = bucketOf(day);
    if (!buckets.has(bucket)) buckets.set(bucket, Object.fromEntries(req.metrics.map((m) => [m, 0])));
  }
  for (const row of flowDaily) {
    const values = buckets.get(bucketOf(row.group));
    if (values) values[row.metric] = round((values[row.metric] ?? 0) + row.value);
  }
  // Stock: running sum over all days up to `to`; each bucket shows the level at its last day.
  const deltas = new Map<string, number>();
  let carried = Object.fromEntries(stock.map((m) => [m, 0]));
  for (const row of stockDaily) {
    if (row.group < from) carried[row.metric] = round((carried[row.metric] ?? 0) + row.value);
    else deltas.set(`${row.metric}|${row.group}`, row.value);
  }
  for (const day of days) {
    const values = buckets.get(bucketOf(day))!;
    carried = Object.fromEntries(stock.map((m) => [m, round((carried[m] ?? 0) + (deltas.get(`${m}|${day}`) ?? 0))]));
    for (const m of stock) values[m] = carried[m] ?? 0;
  }
  const keyOf = req.groupBy === 'week' ? (week: string) => ({ week }) : (day: string) => ({ day });
  return {
    rows: [...buckets].map(([bucket, values]): AggregateRow => ({ key: keyOf(bucket), values })),
    sums: [...flowDaily, ...stockDaily],
  };
}

async function byPlace(
  ch: ClickHouse,
  req: AggregateRequest,
  flow: MetricName[],
  stock: MetricName[],
  prefix: string,
  from: string,
): Promise<Grouped> {
  const prefixLength = req.groupBy === 'region' ? prefixLengthOf[req.level ?? 'county'] : undefined;
  const groupBy = req.groupBy === 'region' ? 'region' : 'site';
  const [flowRows, stockRows] = await Promise.all([
    sumFigures(ch, { source: req.source, prefix, to: req.to, metrics: flow, from, groupBy, ...(prefixLength ? { prefixLength } : {}) }),
    sumFigures(ch, {
      source: req.source,
      prefix,
      to: req.to,
      metrics: stock,
      from: null,
      groupBy,
      ...(prefixLength ? { prefixLength } : {}),
    }),
  ]);
  const groups = new Map<string, AggregateRow>();
  for (const row of [...flowRows, ...stockRows]) {
    let entry = groups.get(row.group);
    if (!entry) {
      const key =
        groupBy === 'region'
          ? // An event recorded at a coarser level than `level` (a county-wide
            // figure in a town breakdown) keeps its own code, so rows add up to the totals.
            regionKeyOf(row.group.padEnd(12, '0'), req.regionName)
          : { site: row.group, region: mostSpecificCode(row.region) };
      entry = { key, values: Object.fromEntries(req.metrics.map((m) => [m, 0])) };
      groups.set(row.group, entry);
    }
    entry.values[row.metric] = round((entry.values[row.metric] ?? 0) + row.value);
  }
  return { rows: [...groups.keys()].sort().map((g) => groups.get(g)!), sums: [...flowRows, ...stockRows] };
}

function regionKeyOf(key12: string, regionName: (code: string) => string) {
  const code = mostSpecificCode(key12);
  return { region: code, name: regionName(code) };
}

function valuesOf(metrics: readonly string[], rows: readonly SumRow[]): Record<string, number> {
  const values = Object.fromEntries(metrics.map((m) => [m, 0]));
  for (const row of rows) values[row.metric] = round((values[row.metric] ?? 0) + row.value);
  return values;
}
