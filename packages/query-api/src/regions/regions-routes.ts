import { createRouter, ProblemError, type AuthEnv } from '@cordon/edge';
import { regionRoute, regionSearchRoute } from '@cordon/schemas';
import type { ReadRoutesDeps } from '../deps.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { assertVisible, regionDetail, resolveRegion, searchRegions } from './regions.ts';

/** GET /v1/regions/{code}, /v1/regions?search=: the registry, limited to a scoped key's subtree. */
export function createRegionsRoutes(deps: Pick<ReadRoutesDeps, 'keys' | 'regions'>) {
  const app = createRouter<AuthEnv>();
  const readGets = requireReadOnGets(deps.keys);
  for (const path of ['/v1/regions', '/v1/regions/:code']) app.use(path, readGets);

  app.openapi(regionRoute, (c) => {
    const { code } = c.req.valid('param');
    const region = deps.regions.get(code);
    if (!region) throw new ProblemError('not_found', `No region ${code} in the registry`);
    assertVisible(deps.regions, region.code, c.get('principal'));
    return c.json(regionDetail(deps.regions, region), 200);
  });

  app.openapi(regionSearchRoute, (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal');
    const within = q.region !== undefined || principal.region ? resolveRegion(deps.regions, q.region, principal) : null;
    return c.json(searchRegions(deps.regions, q.search, q.limit, within), 200);
  });

  return app;
}
