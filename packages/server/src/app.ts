import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createNotFoundHandler, handleError } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';
import { figurePaths } from '@cordon/schemas';

/**
 * One Hono app from the parts this process serves. Errors of every route go
 * through one handler, so every error is problem+json. `figureMiddleware`
 * (ETag, CSV) wraps the figure routes; each runs after the route's own auth.
 * `requestMiddleware` wraps everything. CORS comes next: a browser's
 * preflight carries no Authorization header, so it must be answered before
 * any route asks for a key.
 */
export function createHttpApp(
  parts: Hono<any>[],
  logger: Logger,
  figureMiddleware: MiddlewareHandler[] = [],
  requestMiddleware: MiddlewareHandler<any>[] = [],
  options: { corsOrigins?: readonly string[] } = {},
) {
  const app = new Hono();
  // First, so it sees every request and every answer (request id, log line, metrics).
  for (const middleware of requestMiddleware) app.use('*', middleware);
  if (options.corsOrigins && options.corsOrigins.length > 0) app.use('*', corsFor(options.corsOrigins));
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

/**
 * Other origins' pages may call the API (CORDON_CORS_ORIGINS); an origin not
 * on the list gets no Access-Control-Allow-Origin, so its browser refuses
 * the answer. No credentials mode: the API key travels in Authorization,
 * never in a cookie.
 */
function corsFor(origins: readonly string[]): MiddlewareHandler {
  return cors({
    origin: [...origins],
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'If-None-Match', 'Accept-Language'],
    // What a browser script may read: the ETag for conditional requests, Retry-After for backoff, the CSV file name.
    exposeHeaders: ['ETag', 'Retry-After', 'Content-Disposition', 'X-Request-Id'],
    maxAge: 600,
  });
}
