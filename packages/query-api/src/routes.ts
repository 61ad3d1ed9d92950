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
import { aggregate } from './aggregates/aggregate.ts';
import { readFigureSource, type PipelineStatus } from './figure-source.ts';
import { resolveRegion, type RegionLookup } from './regions/regions.ts';
import { timeseries, timeseriesDefaultFrom } from './timeseries/timeseries.ts';

export interface QueryRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
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
          label: { zh: m.label.zh, en: m.label.en },
          description: m.description,
          unit: m.unit.en,
          unitLabel: { zh: m.unit.zh, en: m.unit.en },
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
    const { lag, asOf } = await deps.status.read({ fresh: true });
    const answer: StatusAnswer = {
      lag,
      asOf,
      log: deps.logKind,
      clickhouse: deps.clickhouse.kind,
      timeZone: deps.timeZone,
      consumer: deps.status.consumerHealth(),
    };
    return c.json(answer, 200);
  });

  app.use(aggregatesRoute.path, requireRole(deps.keys, 'read'));
  app.openapi(aggregatesRoute, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal');
    const to = q.to ?? dayOf(new Date());
    // The parameters among themselves first, then against the region they name.
    const crossErrors = aggregatesQueryErrors({ ...q, to });
    if (crossErrors.length > 0) throw validationProblem(crossErrors);
    const region = resolveRegion(deps.regions, q.region, principal);
    const levelErrors = aggregatesQueryErrors({ ...q, to, regionLevel: region.level });
    if (levelErrors.length > 0) throw validationProblem(levelErrors);
    const { source, asOf } = await readFigureSource(deps.status, q.knownAt, deps.clickhouse);
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
    const found = resolveRegion(deps.regions, q.region, c.get('principal'));
    const region = { code: found.code, name: found.name };
    const { source, asOf } = await readFigureSource(deps.status, q.knownAt, deps.clickhouse);
    const from =
      q.from ?? (await timeseriesDefaultFrom(deps.clickhouse, { metric: q.metric, regionCode: region.code, to, dim: q.dim, source }));
    // Again with the from the data gave: its span is known only now.
    const spanErrors = q.from ? [] : timeseriesQueryErrors({ ...q, from, to, fromDefaulted: true });
    if (spanErrors.length > 0) throw validationProblem(spanErrors);
    const answer = await timeseries(deps.clickhouse, {
      metric: q.metric,
      region,
      from,
      to,
      interval: q.interval,
      dim: q.dim,
      source,
      asOf,
    });
    return c.json(answer, 200);
  });

  return app;
}
