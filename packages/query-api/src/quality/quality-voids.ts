import type { ClickHouse } from '@cordon/clickhouse';
import { keyInSubtree, mostSpecificCode } from '@cordon/regions';
import { knownAtParam, knownCondition, type FigureSource } from '../figure-source.ts';
import type { Finding } from './quality-rules.ts';

/**
 * `void_outside_scope` findings: voids sent with a region-limited key whose
 * target, counted in the subtree on from..to, lies outside that key's
 * region. The roll-up consumer refused to apply them and dead-lettered them
 * (ingest's consumer/void-scope.ts); this reads the same pairs back from
 * the void index and the raw table, so the finding needs no table of its
 * own and survives a rebuild from the log. One flag per void, at its
 * target's place and day, with the figures the void would have taken back.
 *
 * Only voids with a scope are candidates (`scope != ''`): unscoped voids
 * always apply, so a data set without region-limited keys reads nothing.
 */
export async function voidScopeFindings(
  ch: ClickHouse,
  source: FigureSource,
  prefix: string,
  from: string,
  to: string,
): Promise<Finding[]> {
  const db = ch.database;
  const known = knownCondition(source);
  const result = await ch.client.query({
    // Aliases differ from column names (ClickHouse resolves a WHERE name to a SELECT alias first).
    query: `SELECT toString(v.void_id) AS r_void, v.scope AS r_scope, toString(t.id) AS r_target, t.site AS r_site,
                   toString(t.region) AS r_region, toString(t.day) AS r_day, t.t_metrics AS r_metrics, t.t_values AS r_values
            FROM (SELECT target, void_id, scope FROM ${db}.voids WHERE scope != '' ${known}) AS v
            INNER JOIN (
              SELECT id, site, region, day, contributions.metric AS t_metrics, contributions.value AS t_values
              FROM ${db}.events
              WHERE id IN (SELECT target FROM ${db}.voids WHERE scope != '') AND sign = 1 AND type != 'void'
                AND startsWith(region, {prefix:String}) AND day >= {from:Date} AND day <= {to:Date} ${known}
            ) AS t ON t.id = v.target`,
    query_params: { prefix, from, to, knownAt: knownAtParam(source) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{
    r_void: string;
    r_scope: string;
    r_target: string;
    r_site: string;
    r_region: string;
    r_day: string;
    r_metrics: string[];
    r_values: number[];
  }>();
  return rows
    .filter((r) => !keyInSubtree(r.r_region, r.r_scope))
    .map((r) => {
      const values: Record<string, number> = {};
      r.r_metrics.forEach((metric, i) => (values[metric] = (values[metric] ?? 0) + Number(r.r_values[i] ?? 0)));
      return {
        site: r.r_site,
        placeRegion: r.r_site === '' ? r.r_region : '',
        check: 'void_outside_scope' as const,
        regionKey: r.r_region,
        day: r.r_day,
        metric: null,
        values,
        detail: `a void sent with a key limited to region ${r.r_scope} aimed at this event of region ${mostSpecificCode(r.r_region)}, outside it: not applied (dead-lettered)`,
        evidence: { eventIds: [r.r_void, r.r_target].sort() },
      };
    });
}
