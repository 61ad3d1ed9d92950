import type { ClickHouse } from '@cordon/clickhouse';
import { createRouter, type AuthEnv, type KeyStore } from '@cordon/edge';
import { completenessRoute, createDayOf } from '@cordon/schemas';
import { readFigureSource, type PipelineStatus } from '../figure-source.ts';
import { requireReadOnGets } from '../read-guard.ts';
import { resolveRegion, type RegionLookup } from '../regions/regions.ts';
import { checkCompleteness } from './completeness.ts';

export interface CompletenessRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  status: PipelineStatus;
  /** CORDON_TZ: the zone of "today" when the day is left out. */
  timeZone: string;
}

/** GET /v1/completeness: the sites in service on a day and which of them reported. */
export function createCompletenessRoutes(deps: CompletenessRoutesDeps) {
  const dayOf = createDayOf(deps.timeZone);
  const app = createRouter<AuthEnv>();
  app.use(completenessRoute.path, requireReadOnGets(deps.keys));

  app.openapi(completenessRoute, async (c) => {
    const q = c.req.valid('query');
    const region = resolveRegion(deps.regions, q.region, c.get('principal'));
    return c.json(
      await checkCompleteness(
        deps.clickhouse,
        deps.regions,
        region,
        q.date ?? dayOf(new Date()),
        await readFigureSource(deps.status, q.knownAt, deps.clickhouse),
      ),
      200,
    );
  });

  return app;
}
