import { healthRoute, statusRoute, type StatusAnswer } from '@cordon/schemas';
import { createRouter, requireRole, type AuthEnv } from '@cordon/edge';
import type { ReadRoutesDeps } from '../deps.ts';

export interface StatusRoutesDeps extends Pick<ReadRoutesDeps, 'clickhouse' | 'keys' | 'status' | 'timeZone'> {
  logKind: 'kafka' | 'embedded';
}

/** GET /v1/health (no key) and GET /v1/status: liveness and the pipeline's position. */
export function createStatusRoutes(deps: StatusRoutesDeps) {
  const app = createRouter<AuthEnv>();

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

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

  return app;
}
