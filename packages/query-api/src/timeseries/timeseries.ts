import type { ClickHouse } from '@cordon/clickhouse';
import { parseRegionCode } from '@cordon/regions';
import {
  addDays,
  metricCatalogue,
  mondayOf,
  sundayOf,
  unspecifiedDim,
  type Interval,
  type MetricName,
  type TimeseriesAnswer,
} from '@cordon/schemas';
import { firstDay, sumFigures } from '../aggregates/aggregate-sql.ts';
import type { FigureSource } from '../figure-source.ts';
import { buildPoints, lookbackDays } from './timeseries-points.ts';

export interface TimeseriesRequest {
  metric: MetricName;
  region: { code: string; name: string };
  /** First day asked for (see {@link timeseriesDefaultFrom} when the caller left it out). */
  from: string;
  to: string;
  interval: Interval;
  /** dim= as sent ("(unspecified)" for the empty value), checked by the route against the catalogue. */
  dim: string | undefined;
  source: FigureSource;
  asOf: string;
}

/** The dimension value stored for a dim= parameter. */
function storedDim(dim: string | undefined): string | undefined {
  return dim === unspecifiedDim ? '' : dim;
}

/** A missing `from`: the first day with data for this metric (and dim) in the subtree, never after `to`. */
export async function timeseriesDefaultFrom(
  ch: ClickHouse,
  q: { metric: MetricName; regionCode: string; to: string; dim: string | undefined; source: FigureSource },
): Promise<string> {
  const prefix = parseRegionCode(q.regionCode)!.prefix;
  const first = await firstDay(ch, q.source, [q.metric], prefix, storedDim(q.dim));
  return first !== null && first < q.to ? first : q.to;
}

/**
 * A dense trend of one metric. Reads two sums from the figure source: the
 * total before the window and the daily deltas in it. The window starts
 * `lookbackDays` before the first point, so the first points' average and
 * change see the days before `from`.
 */
export async function timeseries(ch: ClickHouse, req: TimeseriesRequest): Promise<TimeseriesAnswer> {
  const prefix = parseRegionCode(req.region.code)!.prefix;
  const kind = metricCatalogue.get(req.metric)?.kind ?? 'flow';
  const [start, end] = req.interval === 'week' ? [mondayOf(req.from), sundayOf(req.to)] : [req.from, req.to];
  const windowStart = addDays(start, -lookbackDays);
  const dim = storedDim(req.dim);
  const base = { source: req.source, metrics: [req.metric], prefix, ...(dim === undefined ? {} : { dim }) };
  const [before, daily] = await Promise.all([
    sumFigures(ch, { ...base, from: null, to: addDays(windowStart, -1), groupBy: 'none' }),
    sumFigures(ch, { ...base, from: windowStart, to: end, groupBy: 'day' }),
  ]);
  const points = buildPoints({
    kind,
    interval: req.interval,
    start,
    end,
    windowStart,
    before: before.reduce((sum, row) => sum + row.value, 0),
    deltas: new Map(daily.map((row) => [row.group, row.value])),
  });
  return {
    metric: req.metric,
    region: req.region,
    dim: req.dim ?? null,
    interval: req.interval,
    from: start,
    to: end,
    asOf: req.asOf,
    points,
  };
}
