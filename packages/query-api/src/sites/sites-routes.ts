import { createRouter, type AuthEnv } from '@cordon/edge';
import { sitesRoute } from '@cordon/schemas';
import type { ReadRoutesDeps } from '../deps.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { readSubtree } from '../subtree.ts';
import { listSites } from './sites-list.ts';

/** GET /v1/sites: the sites of a subtree with their lifecycle. */
export function createSitesRoutes(deps: Omit<ReadRoutesDeps, 'timeZone'>) {
  const app = createRouter<AuthEnv>();
  app.use(sitesRoute.path, requireReadOnGets(deps.keys));

  app.openapi(sitesRoute, async (c) => {
    const q = c.req.valid('query');
    const { region, known } = await readSubtree(deps, q, c.get('principal'));
    return c.json(await listSites(deps.clickhouse, deps.regions, region, q, known), 200);
  });

  return app;
}
