import { addDays, daysBetween, isoWeekOf, type Interval, type MetricKind, type TimeseriesPoint } from '@cordon/schemas';
import { roundFigure as round } from '../aggregates/aggregate-sql.ts';

/**
 * Turns daily net contributions into trend points. Pure: no I/O, so the
 * definitions below are tested on their own.
 *
 * - The *level* of a day is the sum of every contribution up to its end
 *   (`before` plus the deltas so far).
 * - The *daily value* is the day's delta for a flow metric and its level for
 *   a stock metric (a stock is read at the end of the day).
 * - A point's `value`: flow, the sum of its daily values; stock, the level of
 *   its last day. `cumulative` is the level of its last day either way (for a
 *   stock that is its value).
 * - `movingAverage7`: the mean of the daily values of the 7 days ending on the
 *   point's last day. For days that is the usual trailing 7-day average; for
 *   ISO weeks it is the week's mean daily value. Days before `start` count,
 *   so the first points are right.
 * - `change`: against the period of the same length just before (the day or
 *   week before), also reaching before `start`.
 */
export interface PointsInput {
  kind: MetricKind;
  interval: Interval;
  /** First and last day of the points; for weeks a Monday and a Sunday. */
  start: string;
  end: string;
  /** First day of `deltas`: at least 7 days before `start`. */
  windowStart: string;
  /** Sum of every contribution before `windowStart`. */
  before: number;
  /** Net contributions by day, from `windowStart` to `end`; missing days are 0. */
  deltas: ReadonlyMap<string, number>;
}

/** Days the window must reach before `start`: the 6 earlier days of a 7-day average, and a whole previous week. */
export const lookbackDays = 7;

export function buildPoints(input: PointsInput): TimeseriesPoint[] {
  const level = new Map<string, number>();
  const daily = new Map<string, number>();
  let running = input.before;
  for (const day of daysBetween(input.windowStart, input.end)) {
    const delta = input.deltas.get(day) ?? 0;
    running = round(running + delta);
    level.set(day, running);
    daily.set(day, input.kind === 'flow' ? round(delta) : running);
  }
  const sumDaily = (first: string, last: string) => round(daysBetween(first, last).reduce((sum, day) => sum + (daily.get(day) ?? 0), 0));
  const valueOf = (first: string, last: string) => (input.kind === 'flow' ? sumDaily(first, last) : (level.get(last) ?? 0));

  const length = input.interval === 'day' ? 1 : 7;
  const points: TimeseriesPoint[] = [];
  for (let start = input.start; start <= input.end; start = addDays(start, length)) {
    const end = addDays(start, length - 1);
    const value = valueOf(start, end);
    const previous = valueOf(addDays(start, -length), addDays(start, -1));
    points.push({
      period: input.interval === 'day' ? start : isoWeekOf(start),
      start,
      end,
      value,
      cumulative: level.get(end) ?? 0,
      movingAverage7: round(sumDaily(addDays(end, -6), end) / 7),
      change: { absolute: round(value - previous), relative: previous === 0 ? null : round((value - previous) / Math.abs(previous)) },
    });
  }
  return points;
}
