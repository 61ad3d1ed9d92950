import type { MiddlewareHandler } from 'hono';
import { requireRole, type AuthEnv, type KeyStore } from '@cordon/edge';

/**
 * The read role on GET and HEAD only. POST /v1/regions (admin, another
 * router) shares a path with the region routes, and any other method on the
 * registry paths goes on to the not-found handler, which answers 405 with
 * `Allow` whether or not a key was sent.
 */
export function requireReadOnGets(keys: KeyStore): MiddlewareHandler<AuthEnv> {
  const read = requireRole(keys, 'read');
  return async (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : next());
}
