import { createRouter, type AuthEnv } from '@cordon/edge';
import { completenessRoute, createDayOf } from '@cordon/schemas';
import type { ReadRoutesDeps } from '../deps.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { readSubtree } from '../subtree.ts';
import { checkCompleteness } from './completeness.ts';

/** GET /v1/completeness: the sites in service on a day and which of them reported. */
export function createCompletenessRoutes(deps: ReadRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();
  app.use(completenessRoute.path, requireReadOnGets(deps.keys));

  app.openapi(completenessRoute, async (c) => {
    const q = c.req.valid('query');
    const { region, known } = await readSubtree(deps, q, c.get('principal'));
    return c.json(await checkCompleteness(deps.clickhouse, deps.regions, region, q.date ?? dayOf(new Date()), known), 200);
  });

  return app;
}
