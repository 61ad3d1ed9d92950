import {
  aggregatesQueryErrors,
  aggregatesRoute,
  createDayOf,
  healthRoute,
  metricCatalogue,
  metricsRoute,
  statusRoute,
  type MetricName,
  type StatusAnswer,
} from '@cordon/schemas';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import type { ClickHouse } from '@cordon/clickhouse';
import { levelIndex, parseRegionCode, type RegionLevel } from '@cordon/regions';
import { aggregate, maxDenseDays } from './aggregate.ts';

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
    const code = q.region ?? principal.region;
    if (!code) throw validationProblem([{ path: 'region', message: 'is required (a 6, 9 or 12 digit region code)' }]);
    const region = deps.regions.get(code);
    if (!region) throw validationProblem([{ path: 'region', message: `${code} is not in the region registry` }]);
    if (principal.region && !deps.regions.isWithin(code, principal.region)) {
      // Never a silently partial figure: a wider region is refused outright.
      throw new ProblemError('forbidden', `This key sees only region ${principal.region}; ${code} is not inside it`);
    }
    if (q.level && levelIndex(q.level) < levelIndex(levelOf(code))) {
      throw validationProblem([{ path: 'level', message: `must be at or below the region's own level (${levelOf(code)})` }]);
    }
    if ((q.groupBy === 'day' || q.groupBy === 'week') && q.from && daysApart(q.from, to) > maxDenseDays) {
      throw validationProblem([{ path: 'from', message: `a day or week breakdown spans at most ${maxDenseDays} days` }]);
    }
    const { asOf } = await deps.status.read();
    const answer = await aggregate(deps.clickhouse, {
      metrics: q.metrics,
      region: { code: region.code, name: region.name },
      from: q.from,
      to,
      groupBy: q.groupBy,
      level: q.level,
      asOf,
      regionName: (c) => deps.regions.get(c)?.name ?? c,
    });
    return c.json(answer, 200);
  });

  return app;
}

function levelOf(code: string): RegionLevel {
  return parseRegionCode(code)?.level ?? 'county';
}

function daysApart(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86400_000;
}
