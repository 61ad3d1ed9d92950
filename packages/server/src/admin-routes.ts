import { addRegionRoute, createKeyRoute, listKeysRoute, revokeKeyRoute } from '@cordon/schemas';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import type { RegionRegistry } from '@cordon/regions';
import type { CustomRegionStore } from './custom-regions.ts';

/**
 * Small admin surface: API keys (create, list, revoke) and regions the
 * registry lacks.
 */
export function createAdminRoutes(deps: { keys: KeyStore; regions: RegionRegistry; customRegions: CustomRegionStore }) {
  const app = createRouter<AuthEnv>();
  const admin = requireRole(deps.keys, 'admin');
  app.use('/v1/keys', admin);
  app.use('/v1/keys/*', admin);
  app.use('/v1/regions', admin);

  app.openapi(createKeyRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.region && !deps.regions.has(body.region)) {
      throw validationProblem([{ path: 'region', message: `${body.region} is not in the region registry` }]);
    }
    return c.json(await deps.keys.create(body), 201);
  });

  app.openapi(listKeysRoute, async (c) => c.json({ keys: await deps.keys.list() }, 200));

  app.openapi(revokeKeyRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.keys.revoke(id))) throw new ProblemError('not_found', `No API key ${id}`);
    return c.body(null, 204);
  });

  app.openapi(addRegionRoute, async (c) => {
    const { code, name, parent } = c.req.valid('json');
    let region;
    try {
      region = deps.regions.add({ code, name, ...(parent ? { parent } : {}) });
    } catch (error) {
      throw validationProblem([{ path: 'code', message: (error as Error).message }]);
    }
    await deps.customRegions.save(region);
    return c.json(region, 201);
  });

  return app;
}
