import { createRouter, type AuthEnv } from '@cordon/edge';
import { createAggregatesRoutes } from './aggregates/aggregates-routes.ts';
import { createCompletenessRoutes } from './completeness/completeness-routes.ts';
import type { ReadRoutesDeps } from './deps.ts';
import { createMetricsRoutes } from './metrics/metrics-routes.ts';
import { createQualityRoutes } from './quality/quality-routes.ts';
import { createRegionsRoutes } from './regions/regions-routes.ts';
import { createSitesRoutes } from './sites/sites-routes.ts';
import { createStatusRoutes, type StatusRoutesDeps } from './status/status-routes.ts';
import { createTimeseriesRoutes } from './timeseries/timeseries-routes.ts';

export type QueryRoutesDeps = ReadRoutesDeps & StatusRoutesDeps;

/**
 * Every read route of the query API, each family mounted from its own
 * folder: status, metrics, aggregates, timeseries, regions, sites,
 * completeness, quality. Each is limited to a scoped key's subtree.
 */
export function createQueryRoutes(deps: QueryRoutesDeps) {
  return createRouter<AuthEnv>()
    .route('/', createStatusRoutes(deps))
    .route('/', createMetricsRoutes(deps))
    .route('/', createAggregatesRoutes(deps))
    .route('/', createTimeseriesRoutes(deps))
    .route('/', createRegionsRoutes(deps))
    .route('/', createSitesRoutes(deps))
    .route('/', createCompletenessRoutes(deps))
    .route('/', createQualityRoutes(deps));
}
