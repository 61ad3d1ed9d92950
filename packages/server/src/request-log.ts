import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Principal } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';

/**
 * A client's X-Request-Id is kept when it is short and plain (a UUID, a
 * trace id, `app-1234`): it goes into log lines and a header, so anything
 * that could forge a log field or a header is replaced by a fresh id.
 */
const acceptedRequestId = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && acceptedRequestId.test(header) ? header : randomUUID();
}

export type RequestEnv = { Variables: { requestId: string; principal?: Principal } };

/**
 * The env an in-process client (the bulletin schedule, the demo's bulletins)
 * passes to `app.fetch`: its requests are logged at debug, not info. A
 * morning's bulletins are a dozen requests each (the demo's first start
 * 1,700), and at info they buried the lines an operator reads, the demo's
 * admin key among them. Only code in this process can set it: a request over
 * HTTP gets the node server's env.
 */
export const inProcessEnv = { cordonInProcess: true } as const;

/**
 * One log line per request (method, route pattern, status, milliseconds,
 * request id, API key id; never the key, never the query string, which may
 * name regions a log reader need not see), the request id echoed as
 * X-Request-Id, and the request's duration handed to `observe` (metrics).
 * It runs first, so it also sees 401s, 404s and errors turned into problems.
 */
export function observeRequests(options: {
  logger: Logger;
  observe?: (request: { method: string; route: string; status: number; seconds: number }) => void;
}): MiddlewareHandler<RequestEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    await next();
    c.header('X-Request-Id', requestId);
    const seconds = (performance.now() - started) / 1000;
    // After next(), the route path is the pattern of the last handler that ran;
    // when only this catch-all ran, no route matched.
    const pattern = routePath(c);
    const route = pattern === '/*' || pattern === '*' ? '(unmatched)' : pattern;
    const status = c.res.status;
    options.observe?.({ method: c.req.method, route, status, seconds });
    const inProcess = (c.env as { cordonInProcess?: unknown } | undefined)?.cordonInProcess === true;
    options.logger[inProcess ? 'debug' : 'info'](
      { requestId, method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10, keyId: c.get('principal')?.keyId ?? null },
      'request',
    );
  };
}
