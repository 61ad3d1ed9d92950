import { metricCatalogue, metricsRoute, type MetricName } from '@cordon/schemas';
import { createRouter, requireRole, type AuthEnv } from '@cordon/edge';
import type { ReadRoutesDeps } from '../deps.ts';

/** GET /v1/metrics: the metric catalogue, with labels in both languages. */
export function createMetricsRoutes(deps: Pick<ReadRoutesDeps, 'keys'>) {
  const app = createRouter<AuthEnv>();

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

  return app;
}
