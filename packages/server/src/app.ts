import { Hono, type MiddlewareHandler } from 'hono';
import { createNotFoundHandler, handleError } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';
import { figurePaths } from '@cordon/schemas';

/**
 * One Hono app from the parts this process serves. Errors of every route go
 * through one handler, so every error is problem+json. `figureMiddleware`
 * (ETag, CSV) wraps the figure routes; each runs after the route's own auth.
 * `requestMiddleware` wraps everything.
 */
export function createHttpApp(parts: Hono<any>[], logger: Logger, figureMiddleware: MiddlewareHandler[] = [], requestMiddleware: MiddlewareHandler<any>[] = []) {
  const app = new Hono();
  // First, so it sees every request and every answer (request id, log line, metrics).
  for (const middleware of requestMiddleware) app.use('*', middleware);
  for (const path of figurePaths) {
    // OpenAPI writes path parameters as {code}, Hono as :code.
    for (const middleware of figureMiddleware) app.use(path.replace(/\{(\w+)\}/g, ':$1'), middleware);
  }
  for (const part of parts) app.route('/', part);
  // 405 with Allow for a known path asked with another method; 404 otherwise.
  app.notFound(createNotFoundHandler(() => app.routes));
  app.onError(handleError((error) => logger.error({ err: error }, 'unexpected error in a request')));
  return app;
}
