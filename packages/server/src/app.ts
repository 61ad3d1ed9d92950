import { Hono, type MiddlewareHandler } from 'hono';
import { handleError, notFound } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';

/** Read routes whose answers are figures: they get ETags and CSV. */
export const figurePaths = ['/v1/aggregates', '/v1/timeseries', '/v1/completeness', '/v1/quality', '/v1/regions', '/v1/regions/*', '/v1/sites', '/v1/metrics'];

/**
 * One Hono app from the parts this process serves. Errors of every route go
 * through one handler, so every error is problem+json. `figureMiddleware`
 * (ETag, CSV) wraps the figure routes; each runs after the route's own auth.
 */
export function createHttpApp(parts: Hono<any>[], logger: Logger, figureMiddleware: MiddlewareHandler[] = []) {
  const app = new Hono();
  for (const path of figurePaths) for (const middleware of figureMiddleware) app.use(path, middleware);
  for (const part of parts) app.route('/', part);
  app.notFound(notFound);
  app.onError(handleError((error) => logger.error({ err: error }, 'unexpected error in a request')));
  return app;
}
