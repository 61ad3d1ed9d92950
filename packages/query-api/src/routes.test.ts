import { describe, expect, it } from 'vitest';
import { ProblemError } from '@cordon/edge';
import { createAggregatesRoutes } from './aggregates/aggregates-routes.ts';
import { createCompletenessRoutes } from './completeness/completeness-routes.ts';
import { refuseCrossField } from './cross-field.ts';
import { createMetricsRoutes } from './metrics/metrics-routes.ts';
import { createQualityRoutes } from './quality/quality-routes.ts';
import { createRegionsRoutes } from './regions/regions-routes.ts';
import { createQueryRoutes, type QueryRoutesDeps } from './routes.ts';
import { createSitesRoutes } from './sites/sites-routes.ts';
import { createStatusRoutes } from './status/status-routes.ts';
import { createTimeseriesRoutes } from './timeseries/timeseries-routes.ts';

// Making the routers does no I/O and calls none of its dependencies: these
// stand in only so the routers can be listed (no request is sent).
const deps = { timeZone: 'Asia/Shanghai', logKind: 'embedded' } as unknown as QueryRoutesDeps;

/** The routes a router serves, as `METHOD path` (middleware, listed as ALL, left out). */
const served = (app: { routes: readonly { method: string; path: string }[] }) =>
  [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();

describe('route families', () => {
  it('each family mounts its own paths and nothing else', () => {
    expect(served(createStatusRoutes(deps))).toEqual(['GET /v1/health', 'GET /v1/status']);
    expect(served(createMetricsRoutes(deps))).toEqual(['GET /v1/metrics']);
    expect(served(createAggregatesRoutes(deps))).toEqual(['GET /v1/aggregates']);
    expect(served(createTimeseriesRoutes(deps))).toEqual(['GET /v1/timeseries']);
    expect(served(createRegionsRoutes(deps))).toEqual(['GET /v1/regions', 'GET /v1/regions/:code']);
    expect(served(createSitesRoutes(deps))).toEqual(['GET /v1/sites']);
    expect(served(createCompletenessRoutes(deps))).toEqual(['GET /v1/completeness']);
    expect(served(createQualityRoutes(deps))).toEqual(['GET /v1/quality']);
  });

  it('createQueryRoutes mounts every family once', () => {
    const app = createQueryRoutes(deps);
    expect(served(app)).toEqual([
      'GET /v1/aggregates',
      'GET /v1/completeness',
      'GET /v1/health',
      'GET /v1/metrics',
      'GET /v1/quality',
      'GET /v1/regions',
      'GET /v1/regions/:code',
      'GET /v1/sites',
      'GET /v1/status',
      'GET /v1/timeseries',
    ]);
    // Once: as many handlers as the families have between them, none twice.
    const families = [
      createStatusRoutes,
      createMetricsRoutes,
      createAggregatesRoutes,
      createTimeseriesRoutes,
      createRegionsRoutes,
      createSitesRoutes,
      createCompletenessRoutes,
      createQualityRoutes,
    ].map((create) => create(deps).routes.length);
    expect(app.routes).toHaveLength(families.reduce((a, b) => a + b, 0));
  });
});

describe('refuseCrossField', () => {
  it('lets a request with no errors through', () => {
    expect(() => refuseCrossField([])).not.toThrow();
  });

  it('answers 400 naming every field of the stage, with the messages as the checks wrote them', () => {
    const errors = [
      { path: 'from', message: 'must not be after to' },
      { path: 'level', message: 'is required with groupBy=region' },
    ];
    let thrown: unknown;
    try {
      refuseCrossField(errors);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    const problem = thrown as ProblemError;
    expect(problem.code).toBe('validation');
    expect(problem.detail).toBe('from: must not be after to; level: is required with groupBy=region');
    expect(problem.errors).toEqual(errors);
  });
});
