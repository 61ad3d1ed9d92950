import {
  aggregatesQueryErrors,
  aggregatesRoute,
  createDayOf,
  healthRoute,
  metricCatalogue,
  metricsRoute,
  statusRoute,
  timeseriesQueryErrors,
  timeseriesRoute,
  type MetricName,
  type StatusAnswer,
} from '@cordon/schemas';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import type { ClickHouse } from '@cordon/clickhouse';
import { levelIndex, parseRegionCode, type RegionLevel } from '@cordon/regions';
import { aggregate, maxDenseDays } from './aggregate.ts';
import { figureSourceOf } from './figure-source.ts';
import { timeseries, timeseriesDefaultFrom } from './timeseries.ts';

export interface RegionNames {
  get(code: string): { code: string; name: string } | undefined;
  isWithin(code: string, ancestor: string): boolean;
}

export interface PipelineStatus {
  /** Acknowledged events not yet counted, and the instant up to which all are counted. */
  read(): Promise<{ lag: number; asOf: string }>;
}

export interface QueryRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionNames;
  status: PipelineStatus;
  logKind: 'kafka' | 'embedded';
  timeZone: string;
}

export function createQueryRoutes(deps: QueryRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.use(metricsRoute.path, requireRole(deps.keys, 'read', 'ingest'));
  app.openapi(metricsRoute, (c) =>
    c.json(
      {
        metrics: [...metricCatalogue.values()].map((m) => ({
          name: m.name as MetricName,
          description: m.description,
          unit: m.unit,
          kind: m.kind,
          from: [...m.from],
          ...(m.dimension ? { dimension: m.dimension } : {}),
        })),
      },
      200,
    ),
  );

  app.use(statusRoute.path, requireRole(deps.keys, 'read', 'ingest'));
  app.openapi(statusRoute, async (c) => {
    const { lag, asOf } = await deps.status.read();
    const answer: StatusAnswer = { lag, asOf, log: deps.logKind, clickhouse: deps.clickhouse.kind };
    return c.json(answer, 200);
  });

  app.use(aggregatesRoute.path, requireRole(deps.keys, 'read'));
  app.openapi(aggregatesRoute, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal');
    const to = q.to ?? dayOf(new Date());
    const crossErrors = aggregatesQueryErrors({ ...q, to });
    if (crossErrors.length > 0) throw validationProblem(crossErrors);
    const { code, region } = figureRegion(q.region, principal.region);
    if (q.level && levelIndex(q.level) < levelIndex(levelOf(code))) {
      throw validationProblem([{ path: 'level', message: `must be at or below the region's own level (${levelOf(code)})` }]);
    }
    if ((q.groupBy === 'day' || q.groupBy === 'week') && q.from && daysApart(q.from, to) > maxDenseDays) {
      throw validationProblem([{ path: 'from', message: `a day or week breakdown spans at most ${maxDenseDays} days` }]);
    }
    const { source, asOf } = await figureSource(q.knownAt);
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

  app.use(timeseriesRoute.path, requireRole(deps.keys, 'read'));
  app.openapi(timeseriesRoute, async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? dayOf(new Date());
    const crossErrors = timeseriesQueryErrors({ ...q, to });
    if (crossErrors.length > 0) throw validationProblem(crossErrors);
    const { region } = figureRegion(q.region, c.get('principal').region);
    const { source, asOf } = await figureSource(q.knownAt);
    const from = q.from ?? (await timeseriesDefaultFrom(deps.clickhouse, { metric: q.metric, regionCode: region.code, to, dim: q.dim, source }));
    if (daysApart(from, to) > maxDenseDays) {
      throw validationProblem([{ path: 'from', message: `a timeseries spans at most ${maxDenseDays} days${q.from ? '' : ' (the data starts earlier; give a from)'}` }]);
    }
    const answer = await timeseries(deps.clickhouse, { metric: q.metric, region, from, to, interval: q.interval, dim: q.dim, source, asOf });
    return c.json(answer, 200);
  });

  /** The region a figure route counts, checked against the registry and the key's scope. */
  function figureRegion(asked: string | undefined, scope: string | null | undefined) {
    const code = asked ?? scope;
    if (!code) throw validationProblem([{ path: 'region', message: 'is required (a 6, 9 or 12 digit region code)' }]);
    const found = deps.regions.get(code);
    if (!found) throw validationProblem([{ path: 'region', message: `${code} is not in the region registry` }]);
    if (scope && !deps.regions.isWithin(code, scope)) {
      // Never a silently partial figure: a wider region is refused outright.
      throw new ProblemError('forbidden', `This key sees only region ${scope}; ${code} is not inside it`);
    }
    return { code, region: { code: found.code, name: found.name } };
  }

  /** The figure source for `knownAt` and the asOf to answer (figure-source.ts). */
  async function figureSource(knownAt: string | undefined) {
    return figureSourceOf(knownAt, (await deps.status.read()).asOf);
  }

  return app;
}

function levelOf(code: string): RegionLevel {
  return parseRegionCode(code)?.level ?? 'county';
}

function daysApart(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86400_000;
}
