import { fromClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import { knownAtParam, knownCondition, type FigureSource } from '../figure-source.ts';
import type { LifecycleEvent } from './sites.ts';

/**
 * Reads of the raw `events` table about sites. Every request value is a
 * bound parameter; the SQL text is fixed.
 *
 * A void writes a sign -1 copy of its target, so "not retracted" is
 * "sum(sign) > 0 over the rows of that id". Aliases differ from column names
 * on purpose: ClickHouse resolves a name in WHERE to a SELECT alias first.
 *
 * Each read takes a {@link FigureSource} for its `knownAt` line: with a raw
 * source only rows received by then are read, so an event received later is
 * missing and a void that took effect later has not yet taken its target back
 * (its sign -1 row is received when the void took effect).
 *
 * Site lifecycles and a day's reports read narrow copies of `events`
 * (`site_events`, `event_days`: packages/clickhouse migrations.ts): every
 * row, sign and received_at kept, ordered by site and by day, so the same
 * rows are found as in `events` without reading all of it.
 */

/** Event types that are not a report from a site: its own lifecycle, and corrections. */
export const notReports = ['site.registered', 'site.closed', 'void'] as const;

/** The site events (not retracted) sent with a region in the subtree. */
export async function readLifecycleEvents(ch: ClickHouse, source: FigureSource, prefix: string): Promise<LifecycleEvent[]> {
  const result = await ch.client.query({
    query: `SELECT id AS e_id, argMax(site, sign) AS e_site, argMax(type, sign) AS e_type,
                   toString(argMax(occurred_at, sign)) AS e_at, toString(argMax(day, sign)) AS e_day,
                   toString(argMax(region, sign)) AS e_region, argMax(name, sign) AS e_name, argMax(kind, sign) AS e_kind
            FROM ${ch.database}.site_events
            WHERE type IN ('site.registered', 'site.closed') AND site != '' AND startsWith(region, {prefix:String}) ${knownCondition(source)}
            GROUP BY id
            HAVING sum(sign) > 0`,
    query_params: { prefix, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{
    e_id: string;
    e_site: string;
    e_type: LifecycleEvent['type'];
    e_at: string;
    e_day: string;
    e_region: string;
    e_name: string;
    e_kind: string;
  }>();
  return rows.map((r) => ({
    id: r.e_id,
    site: r.e_site,
    type: r.e_type,
    occurredAt: fromClickHouseTime(r.e_at),
    day: r.e_day,
    regionKey: r.e_region,
    name: r.e_name,
    kind: r.e_kind,
  }));
}

/** Per site id: the latest occurredAt of a non-retracted event other than a void, in the subtree. */
export async function readLastEventAt(ch: ClickHouse, source: FigureSource, prefix: string): Promise<Map<string, string>> {
  const result = await ch.client.query({
    query: `SELECT e_site, toString(max(e_at)) AS last_at FROM (
              SELECT id, any(site) AS e_site, any(occurred_at) AS e_at
              FROM ${ch.database}.events
              WHERE site != '' AND type != 'void' AND startsWith(region, {prefix:String}) ${knownCondition(source)}
              GROUP BY id
              HAVING sum(sign) > 0
            ) GROUP BY e_site`,
    query_params: { prefix, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ e_site: string; last_at: string }>();
  return new Map(rows.map((r) => [r.e_site, fromClickHouseTime(r.last_at)]));
}

/** Per site id: the reports (non-retracted events other than site events and voids) it sent on `day` in the subtree. */
export async function readReportsOn(ch: ClickHouse, source: FigureSource, prefix: string, day: string): Promise<Map<string, number>> {
  const result = await ch.client.query({
    query: `SELECT e_site, count() AS n FROM (
              SELECT id, any(site) AS e_site
              FROM ${ch.database}.event_days
              WHERE day = {day:Date} AND site != '' AND type NOT IN {notReports:Array(String)} AND startsWith(region, {prefix:String})
                ${knownCondition(source)}
              GROUP BY id
              HAVING sum(sign) > 0
            ) GROUP BY e_site`,
    query_params: { prefix, day, notReports, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ e_site: string; n: string | number }>();
  return new Map(rows.map((r) => [r.e_site, Number(r.n)]));
}
