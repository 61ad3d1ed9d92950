import type { ClickHouse } from '@cordon/clickhouse';
import { createRouter, type AuthEnv, type KeyStore } from '@cordon/edge';
import { sitesRoute } from '@cordon/schemas';
import { readFigureSource, type PipelineStatus } from '../figure-source.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { resolveRegion, type RegionLookup } from '../regions/regions.ts';
import { listSites } from './sites-list.ts';

export interface SitesRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  status: PipelineStatus;
}

/** GET /v1/sites: the sites of a subtree with their lifecycle. */
export function createSitesRoutes(deps: SitesRoutesDeps) {
  const app = createRouter<AuthEnv>();
  app.use(sitesRoute.path, requireReadOnGets(deps.keys));

  app.openapi(sitesRoute, async (c) => {
    const q = c.req.valid('query');
    const region = resolveRegion(deps.regions, q.region, c.get('principal'));
    return c.json(
      await listSites(deps.clickhouse, deps.regions, region, q, await readFigureSource(deps.status, q.knownAt, deps.clickhouse)),
      200,
    );
  });

  return app;
}
