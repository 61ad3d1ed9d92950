import type { MiddlewareHandler } from 'hono';
import type { ApiRole } from '@cordon/schemas';
import type { KeyStore, Principal } from './keys.ts';
import { ProblemError } from './problem.ts';

export type AuthEnv = { Variables: { principal: Principal } };

/**
 * Requires `Authorization: Bearer <key>` with one of `roles` (admin may do
 * everything). 401 for a missing or unknown key, 403 for a key without the right,
 * 429 with Retry-After past the key's rate limit.
 */
export function requireRole(keys: KeyStore, ...roles: ApiRole[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token)
      throw new ProblemError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    const principal = await keys.verify(token);
    if (!principal)
      throw new ProblemError('unauthorized', 'The API key is unknown or revoked', { headers: { 'www-authenticate': 'Bearer' } });
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ProblemError('forbidden', `A ${principal.role} key may not do this; it needs the role ${roles.join(' or ')}`);
    }
    const wait = keys.rateLimiter?.take(principal.keyId) ?? 0;
    if (wait > 0) {
      throw new ProblemError('rate_limited', `This API key sent more requests than its limit allows; retry in ${wait} s`, {
        headers: { 'retry-after': String(wait) },
      });
    }
    c.set('principal', principal);
    await next();
  };
}
