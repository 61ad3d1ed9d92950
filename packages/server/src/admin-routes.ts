import { addRegionRoute, createKeyRoute, listKeysRoute, revokeKeyRoute } from '@cordon/schemas';
import {
  adminBodyBytes,
  createRouter,
  limitBody,
  ProblemError,
  requireRole,
  validationProblem,
  type AuthEnv,
  type KeyStore,
} from '@cordon/edge';
import { RegionError, type RegionErrorCode, type RegionRegistry } from '@cordon/regions';
import type { CustomRegionStore } from './custom-regions.ts';

/** The body field a registry check refused, for the 400's `errors[].path`. */
const regionErrorField: Record<RegionErrorCode, 'code' | 'name' | 'parent'> = {
  invalid_code: 'code',
  duplicate: 'code',
  invalid_name: 'name',
  unknown_parent: 'parent',
  invalid_parent: 'parent',
};

/**
 * Small admin surface: API keys (create, list, revoke) and regions the
 * registry lacks.
 */
export function createAdminRoutes(deps: { keys: KeyStore; regions: RegionRegistry; customRegions: CustomRegionStore }) {
  const app = createRouter<AuthEnv>();
  const admin = requireRole(deps.keys, 'admin');
  // Auth first (an anonymous caller learns nothing, not even the limit), then
  // the limit, which must run before the route's validator reads the body.
  app.on('POST', ['/v1/keys', '/v1/regions'], admin, limitBody(adminBodyBytes));
  app.use('/v1/keys', admin);
  app.use('/v1/keys/*', admin);

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
    const input = { code, name, ...(parent ? { parent } : {}) };
    // Check, write, then add: a region whose write failed must not be served
    // from memory (it would vanish at the next start, and other processes
    // never see it).
    const region = registryCheck(() => deps.regions.check(input));
    await deps.customRegions.save(region);
    // The admin log's tail may have applied this very record already (it
    // adds every region record it reads, this process's too).
    const applied = deps.regions.get(code);
    if (applied && applied.name === region.name && (applied.parent ?? null) === (region.parent ?? null)) return c.json(applied, 201);
    // A concurrent request may have added the same code meanwhile: a duplicate, not a 500.
    return c.json(
      registryCheck(() => deps.regions.add(input)),
      201,
    );
  });

  return app;
}

function registryCheck<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RegionError) throw validationProblem([{ path: regionErrorField[error.code], message: error.message }]);
    throw error;
  }
}
