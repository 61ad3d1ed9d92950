import type { ClickHouse } from '@cordon/clickhouse';
import { createRouter, type AuthEnv, type KeyStore } from '@cordon/edge';
import { addDays, createDayOf, qualityLimits, qualityQueryErrors, qualityRoute } from '@cordon/schemas';
import { refuseCrossField } from '../cross-field.ts';
import { readFigureSource, type PipelineStatus } from '../figure-source.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { resolveRegion, type RegionLookup } from '../regions/regions.ts';
import { checkQuality } from './quality.ts';

export interface QualityRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  status: PipelineStatus;
  /** CORDON_TZ: the zone of "today" when `to` is left out. */
  timeZone: string;
}

/** GET /v1/quality: rule breaks, outliers, unmatched quarantine ends and refused voids in a subtree. */
export function createQualityRoutes(deps: QualityRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();
  app.use(qualityRoute.path, requireReadOnGets(deps.keys));

  app.openapi(qualityRoute, async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? dayOf(new Date());
    const from = q.from ?? addDays(to, -(qualityLimits.defaultDays - 1));
    refuseCrossField(qualityQueryErrors({ from, to }));
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
