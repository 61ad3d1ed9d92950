import type { ClickHouse } from '@cordon/clickhouse';
import { knownAtParam, knownCondition, type FigureSource } from '../figure-source.ts';

/**
 * The kind of every registered site: the `kind` of its latest `site.registered`
 * event (by occurrence, then by receipt), from the raw table, since the roll-up
 * keeps no event data. A registration taken back by a void does not count;
 * with `knownAt`, only registrations (and voids) known by then count.
 *
 * Not limited to the region subtree: a site id names one site wherever its
 * events were recorded.
 */
export async function siteKinds(ch: ClickHouse, source: FigureSource): Promise<Map<string, string>> {
  const result = await ch.client.query({
    query: `SELECT site, argMax(kind, (occurred, received)) AS latest_kind FROM (
              SELECT site, any(JSONExtractString(data, 'kind')) AS kind, min(occurred_at) AS occurred, minIf(received_at, sign = 1) AS received
              FROM ${ch.database}.events
              WHERE type = 'site.registered' ${knownCondition(source)}
              GROUP BY id, site
              HAVING sum(sign) > 0
            ) GROUP BY site`,
    query_params: { knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  return new Map((await result.json<{ site: string; latest_kind: string }>()).map((r) => [r.site, r.latest_kind]));
}
