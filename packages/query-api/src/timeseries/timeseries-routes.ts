import { createDayOf, timeseriesQueryErrors, timeseriesRoute } from '@cordon/schemas';
import { createRouter, requireRole, type AuthEnv } from '@cordon/edge';
import { refuseCrossField } from '../cross-field.ts';
import type { ReadRoutesDeps } from '../deps.ts';
import { readSubtree } from '../subtree.ts';
import { timeseries, timeseriesDefaultFrom } from './timeseries.ts';

/** GET /v1/timeseries: one metric per day or ISO week. */
export function createTimeseriesRoutes(deps: ReadRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();

  app.use(timeseriesRoute.path, requireRole(deps.keys, 'read'));
  app.openapi(timeseriesRoute, async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? dayOf(new Date());
    refuseCrossField(timeseriesQueryErrors({ ...q, to }));
    const { region: found, known } = await readSubtree(deps, q, c.get('principal'));
    const region = { code: found.code, name: found.name };
    const { source, asOf } = known;
    const from =
      q.from ?? (await timeseriesDefaultFrom(deps.clickhouse, { metric: q.metric, regionCode: region.code, to, dim: q.dim, source }));
    // Again with the from the data gave: its span is known only now.
    if (!q.from) refuseCrossField(timeseriesQueryErrors({ ...q, from, to, fromDefaulted: true }));
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
