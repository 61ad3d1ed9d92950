import type { ClickHouse } from '@cordon/clickhouse';
import { metricCatalogue, unspecifiedDim, type AggregateRow, type MetricName } from '@cordon/schemas';
import { roundFigure, sumFigures, type SumRow } from './aggregate-sql.ts';
import type { FigureSource } from '../figure-source.ts';
import { siteKinds } from './breakdown-sql.ts';

/** Where and when a breakdown counts. */
export interface BreakdownScope {
  source: FigureSource;
  metrics: MetricName[];
  prefix: string;
  from: string;
  to: string;
}

/** A grouping's rows, and the sums it read for them (the totals add them up). */
export interface Grouped {
  rows: AggregateRow[];
  sums: SumRow[];
}

/** The site kind of events without a site, or whose site never registered. */
export const unknownSiteKind = 'unknown';

/**
 * groupBy=dimension: one row per value of the metrics' shared catalogue
 * dimension (the route has checked they share one and are all flow metrics),
 * from the roll-up. The empty value (the event did not say) is named
 * "(unspecified)", so a row key is never blank.
 */
export async function byDimension(ch: ClickHouse, scope: BreakdownScope): Promise<Grouped> {
  const dimension = metricCatalogue.get(scope.metrics[0] ?? '')?.dimension ?? '';
  const sums = await sumFigures(ch, {
    source: scope.source,
    metrics: scope.metrics,
    prefix: scope.prefix,
    from: scope.from,
    to: scope.to,
    groupBy: 'dimension',
  });
  const rows = rowsOf(
    scope.metrics,
    sums,
    (row) => (row.group === '' ? unspecifiedDim : row.group),
    (value) => ({ dimension, value }),
  );
  return { rows, sums };
}

/**
 * groupBy=siteKind: figures summed per site from the roll-up (flow metrics
 * over from..to, stock metrics up to `to`), then per kind of site, from the
 * raw table's registrations. Sites are few next to events, so the join is
 * done here rather than by reading every raw event.
 */
export async function bySiteKind(ch: ClickHouse, scope: BreakdownScope): Promise<Grouped> {
  const flow = scope.metrics.filter((m) => metricCatalogue.get(m)?.kind === 'flow');
  const stock = scope.metrics.filter((m) => metricCatalogue.get(m)?.kind === 'stock');
  const base = { source: scope.source, prefix: scope.prefix, to: scope.to, groupBy: 'site' as const };
  const [flowSums, stockSums, kinds] = await Promise.all([
    sumFigures(ch, { ...base, metrics: flow, from: scope.from }),
    sumFigures(ch, { ...base, metrics: stock, from: null }),
    siteKinds(ch, scope.source),
  ]);
  const kindOf = (row: SumRow) => (row.group === '' ? unknownSiteKind : (kinds.get(row.group) ?? unknownSiteKind));
  const sums = [...flowSums, ...stockSums];
  return { rows: rowsOf(scope.metrics, sums, kindOf, (siteKind) => ({ siteKind })), sums };
}

/**
 * Adds sums into one row per group, in key order. Rows whose values are all
 * zero are left out: a voided event leaves a zero sum behind in the raw table
 * and, until a merge removes it, in the roll-up, so keeping them would make
 * the answer depend on when ClickHouse merged.
 */
function rowsOf(
  metrics: readonly MetricName[],
  sums: readonly SumRow[],
  groupOf: (row: SumRow) => string,
  keyOf: (group: string) => AggregateRow['key'],
): AggregateRow[] {
  const groups = new Map<string, Record<string, number>>();
  for (const row of sums) {
    const group = groupOf(row);
    let values = groups.get(group);
    if (!values) groups.set(group, (values = Object.fromEntries(metrics.map((m) => [m, 0]))));
    values[row.metric] = roundFigure((values[row.metric] ?? 0) + row.value);
  }
  return [...groups]
    .filter(([, values]) => Object.values(values).some((v) => v !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, values]) => ({ key: keyOf(group), values }));
}
