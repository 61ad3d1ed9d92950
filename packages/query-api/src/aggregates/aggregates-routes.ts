import { aggregatesQueryErrors, aggregatesRoute, createDayOf } from '@cordon/schemas';
import { createRouter, requireRole, type AuthEnv } from '@cordon/edge';
import { refuseCrossField } from '../cross-field.ts';
import type { ReadRoutesDeps } from '../deps.ts';
import { readFigureSource } from '../figure-source.ts';
import { resolveRegion } from '../regions/regions.ts';
import { aggregate } from './aggregate.ts';

/** GET /v1/aggregates: sums over the period, grouped, sorted, limited. */
export function createAggregatesRoutes(deps: ReadRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();

  app.use(aggregatesRoute.path, requireRole(deps.keys, 'read'));
  app.openapi(aggregatesRoute, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal');
    const to = q.to ?? dayOf(new Date());
    // The parameters among themselves first, then against the region they name.
    refuseCrossField(aggregatesQueryErrors({ ...q, to }));
    const region = resolveRegion(deps.regions, q.region, principal);
    refuseCrossField(aggregatesQueryErrors({ ...q, to, regionLevel: region.level }));
    const { source, asOf } = await readFigureSource(deps.status, q.knownAt, deps.clickhouse);
    const answer = await aggregate(deps.clickhouse, {
      metrics: q.metrics,
      region: { code: region.code, name: region.name },
      from: q.from,
      to,
      groupBy: q.groupBy,
      level: q.level,
      asOf,
      regionName: (c) => deps.regions.get(c)?.name ?? c,
      source,
      sort: q.sort,
      limit: q.limit,
    });
    return c.json(answer, 200);
  });

  return app;
}
