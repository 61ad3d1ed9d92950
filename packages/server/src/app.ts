import { Hono } from 'hono';
import { handleError, notFound } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';

/**
 * One Hono app from the parts this process serves. Errors of every route go
 * through one handler, so every error is problem+json.
 */
export function createHttpApp(parts: Hono<any>[], logger: Logger) {
  const app = new Hono();
  for (const part of parts) app.route('/', part);
  app.notFound(notFound);
  app.onError(handleError((error) => logger.error({ err: error }, 'unexpected error in a request')));
  return app;
}
