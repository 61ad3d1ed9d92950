import type { Context } from 'hono';
import { ProblemError, problemResponse } from './problem.ts';

/** A route as Hono lists it (`app.routes`): middleware is listed with method ALL. */
export interface RouteEntry {
  method: string;
  path: string;
}

/**
 * The not-found handler that tells a wrong method from a wrong path
 * (RFC 9110 §15.5.6): a path some route serves, asked with a method none of
 * them takes, answers 405 with `Allow`; any other miss stays 404. `routes`
 * is read on the first miss, once every part is mounted. HEAD is allowed
 * wherever GET is (Hono answers it from the GET route).
 */
export function createNotFoundHandler(routes: () => readonly RouteEntry[]) {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  const build = () => {
    const byPath = new Map<string, Set<string>>();
    for (const { method, path } of routes()) {
      if (method === 'ALL' || path.includes('*')) continue;
      const methods = byPath.get(path) ?? new Set<string>();
      methods.add(method);
      if (method === 'GET') methods.add('HEAD');
      byPath.set(path, methods);
    }
    return [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods }));
  };
  return (c: Context): Response => {
    const path = new URL(c.req.url).pathname;
    const method = c.req.method.toUpperCase();
    const allowed = new Set<string>();
    for (const entry of (table ??= build())) if (entry.pattern.test(path)) for (const m of entry.methods) allowed.add(m);
    if (allowed.size > 0 && !allowed.has(method)) {
      const allow = [...allowed].sort().join(', ');
      return problemResponse(new ProblemError('method_not_allowed', `${path} answers ${allow}, not ${method}`, { headers: { allow } }));
    }
    return problemResponse(new ProblemError('not_found', `No route for ${c.req.method} ${path}`));
  };
}

/** `/v1/regions/:code` → /^\/v1\/regions\/[^/]+$/ (a parameter is one non-empty segment). */
function pathPattern(path: string): RegExp {
  const segments = path.split('/').map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}
