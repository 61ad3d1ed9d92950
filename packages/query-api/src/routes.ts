import type { ClickHouse } from '@cordon/clickhouse';
import { createRouter, type AuthEnv, type KeyStore } from '@cordon/edge';
import { createAggregatesRoutes } from './aggregates/aggregates-routes.ts';
import { createCompletenessRoutes } from './completeness/completeness-routes.ts';
import type { PipelineStatus } from './figure-source.ts';
import { createMetricsRoutes } from './metrics/metrics-routes.ts';
import { createQualityRoutes } from './quality/quality-routes.ts';
import type { RegionLookup } from './regions/regions.ts';
import { createRegionsRoutes } from './regions/regions-routes.ts';
import { createSitesRoutes } from './sites/sites-routes.ts';
import { createStatusRoutes } from './status/status-routes.ts';
import { createTimeseriesRoutes } from './timeseries/timeseries-routes.ts';

export interface QueryRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  /** The pipeline position: `asOf` of the answers, and the bound on a `knownAt` the pipeline has not reached. */
  status: PipelineStatus;
  logKind: 'kafka' | 'embedded';
  /** CORDON_TZ: the zone of "today" when a day is left out. */
  timeZone: string;
}

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
