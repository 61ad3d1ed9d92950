import type { ClickHouse } from '@cordon/clickhouse';
import type { CordonEvent, ImportSummary } from '@cordon/schemas';
import type { Principal } from '@cordon/edge';
import { mostSpecificCode } from '@cordon/regions';
import type { RegionLookup } from './validate-events.ts';

/**
 * A void may only take back an event inside the sending key's subtree (issue
 * 7: a town's key voided a sibling town's 1700). When the target is already
 * counted, its region is known and the void is refused here, per event. A
 * target not counted yet cannot be judged at ingest (see README, Limitations).
 */
export function createVoidScopeCheck(ch: ClickHouse, regions: RegionLookup) {
  return async function checkVoidScope(
    valid: readonly { index: number; event: CordonEvent }[],
    principal: Principal,
  ): Promise<{ valid: { index: number; event: CordonEvent }[]; errors: ImportSummary['errors'] }> {
    const scope = principal.region;
    const voids = valid.filter(({ event }) => event.type === 'void');
    if (!scope || voids.length === 0) return { valid: [...valid], errors: [] };
    const targets = [...new Set(voids.map(({ event }) => (event.type === 'void' ? event.data.target : '')))];
    const result = await ch.client.query({
      query: `SELECT id, any(region) AS region FROM ${ch.database}.events WHERE id IN {ids:Array(UUID)} AND sign = 1 GROUP BY id`,
      query_params: { ids: targets },
      format: 'JSONEachRow',
    });
    const regionOf = new Map((await result.json<{ id: string; region: string }>()).map((r) => [r.id, mostSpecificCode(r.region)]));
    const kept: { index: number; event: CordonEvent }[] = [];
    const errors: ImportSummary['errors'] = [];
    for (const item of valid) {
      const target = item.event.type === 'void' ? regionOf.get(item.event.data.target) : undefined;
      if (target !== undefined && !regions.isWithin(target, scope)) {
        errors.push({
          index: item.index,
          id: item.event.id,
          errors: [
            {
              path: 'data.target',
              message: `is an event of region ${target}, outside this key's region ${scope}: a key may only void events in its own subtree`,
            },
          ],
        });
      } else kept.push(item);
    }
    return { valid: kept, errors };
  };
}

export type VoidScopeCheck = ReturnType<typeof createVoidScopeCheck>;
