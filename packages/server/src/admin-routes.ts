import { Hono } from 'hono';
import { createKeyBodySchema, createRegionBodySchema, fieldErrorsOf } from '@cordon/schemas';
import { ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import type { RegionRegistry } from '@cordon/regions';
import type { CustomRegionStore } from './custom-regions.ts';

/**
 * Small admin surface: API keys (create, list, revoke) and regions the
 * registry lacks (a development zone, a merged township).
 */
export function createAdminRoutes(deps: { keys: KeyStore; regions: RegionRegistry; customRegions: CustomRegionStore }) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps.keys, 'admin');

  app.post('/v1/keys', admin, async (c) => {
    const body = createKeyBodySchema.safeParse(await readJson(c.req.raw));
    if (!body.success) throw validationProblem(fieldErrorsOf(body.error.issues));
    if (body.data.region && !deps.regions.has(body.data.region)) {
      throw validationProblem([{ path: 'region', message: `${body.data.region} is not in the region registry` }]);
    }
    const created = await deps.keys.create(body.data);
    return c.json(created, 201);
  });

  app.get('/v1/keys', admin, async (c) => c.json({ keys: await deps.keys.list() }));

  app.delete('/v1/keys/:id', admin, async (c) => {
    const revoked = await deps.keys.revoke(c.req.param('id'));
    if (!revoked) throw new ProblemError('not_found', `No API key ${c.req.param('id')}`);
    return c.body(null, 204);
  });

  app.post('/v1/regions', admin, async (c) => {
    const body = createRegionBodySchema.safeParse(await readJson(c.req.raw));
    if (!body.success) throw validationProblem(fieldErrorsOf(body.error.issues));
    let region;
    try {
      const { code, name, parent } = body.data;
      region = deps.regions.add({ code, name, ...(parent ? { parent } : {}) });
    } catch (error) {
      throw validationProblem([{ path: 'code', message: (error as Error).message }]);
    }
    await deps.customRegions.save(region);
    return c.json(region, 201);
  });

  return app;
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw validationProblem([{ path: '(body)', message: 'is not valid JSON' }]);
  }
}
