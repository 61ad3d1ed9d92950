import { createRouter, type AuthEnv } from '@cordon/edge';
import { addDays, createDayOf, qualityLimits, qualityQueryErrors, qualityRoute } from '@cordon/schemas';
import { refuseCrossField } from '../cross-field.ts';
import type { ReadRoutesDeps } from '../deps.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { readSubtree } from '../subtree.ts';
import { checkQuality } from './quality.ts';

/** GET /v1/quality: rule breaks, outliers, unmatched quarantine ends and refused voids in a subtree. */
export function createQualityRoutes(deps: ReadRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();
  app.use(qualityRoute.path, requireReadOnGets(deps.keys));

  app.openapi(qualityRoute, async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? dayOf(new Date());
    const from = q.from ?? addDays(to, -(qualityLimits.defaultDays - 1));
    refuseCrossField(qualityQueryErrors({ from, to }));
    const { region, known } = await readSubtree(deps, q, c.get('principal'));
    return c.json(await checkQuality(deps.clickhouse, deps.regions, region, { from, to }, known), 200);
  });

  return app;
}
