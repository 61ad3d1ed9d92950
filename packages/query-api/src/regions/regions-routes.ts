import type { MiddlewareHandler } from 'hono';
import type { ClickHouse } from '@cordon/clickhouse';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import {
  addDays,
  completenessRoute,
  createDayOf,
  qualityLimits,
  qualityQueryErrors,
  qualityRoute,
  regionRoute,
  regionSearchRoute,
  sitesRoute,
} from '@cordon/schemas';
import { checkCompleteness } from '../completeness/completeness.ts';
import { readFigureSource, type PipelineStatus } from '../figure-source.ts';
import { checkQuality } from '../quality/quality.ts';
import { assertVisible, regionDetail, resolveRegion, searchRegions, type RegionLookup } from './regions.ts';
import { listSites } from '../sites/sites-list.ts';

export interface RegistryRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  /** The pipeline position: `asOf` of the answers, and the bound on a `knownAt` the pipeline has not reached. */
  status: PipelineStatus;
  /** CORDON_TZ: the zone of "today" when a day is left out. */
  timeZone: string;
}

/**
 * GET /v1/regions/{code}, /v1/regions?search=, /v1/sites, /v1/completeness,
 * /v1/quality: read routes, each limited to a scoped key's subtree.
 */
export function createRegistryRoutes(deps: RegistryRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();
  const read = requireRole(deps.keys, 'read');
  // POST /v1/regions (admin, another router) shares the path: only GETs are ours to guard.
  const readGets: MiddlewareHandler<AuthEnv> = async (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : next();
  for (const path of ['/v1/regions', '/v1/regions/:code', sitesRoute.path, completenessRoute.path, qualityRoute.path])
    app.use(path, readGets);

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

  app.openapi(sitesRoute, async (c) => {
    const q = c.req.valid('query');
    const region = resolveRegion(deps.regions, q.region, c.get('principal'));
    return c.json(
      await listSites(deps.clickhouse, deps.regions, region, q, await readFigureSource(deps.status, q.knownAt, deps.clickhouse)),
      200,
    );
  });

  app.openapi(completenessRoute, async (c) => {
    const q = c.req.valid('query');
    const region = resolveRegion(deps.regions, q.region, c.get('principal'));
    return c.json(
      await checkCompleteness(
        deps.clickhouse,
        deps.regions,
        region,
        q.date ?? dayOf(new Date()),
        await readFigureSource(deps.status, q.knownAt, deps.clickhouse),
      ),
      200,
    );
  });

  app.openapi(qualityRoute, async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? dayOf(new Date());
    const from = q.from ?? addDays(to, -(qualityLimits.defaultDays - 1));
    const crossErrors = qualityQueryErrors({ from, to });
    if (crossErrors.length > 0) throw validationProblem(crossErrors);
    const region = resolveRegion(deps.regions, q.region, c.get('principal'));
    return c.json(
      await checkQuality(
        deps.clickhouse,
        deps.regions,
        region,
        { from, to },
        await readFigureSource(deps.status, q.knownAt, deps.clickhouse),
      ),
      200,
    );
  });

  return app;
}
