import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { ProblemError } from '@cordon/edge';
import type { CordonMetrics } from './metrics.ts';

/**
 * GET /metrics in the Prometheus text format. Open unless `key` is set
 * (CORDON_METRICS_KEY): Prometheus scrapes without credentials by default and
 * the figures are process-wide counts, no region's data; a deployment whose
 * port is reachable from outside sets a key and gives the scraper
 * `authorization: { credentials: <key> }`. Not an API key: a scraper should
 * not hold a key that reads figures.
 */
export function createMetricsRoute(metrics: CordonMetrics, options: { key?: string | null } = {}) {
  const expected = options.key ? sha256(options.key) : null;
  const app = new Hono();
  app.get('/metrics', async (c) => {
    if (expected) {
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!token || !timingSafeEqual(sha256(token), expected)) {
        throw new ProblemError('unauthorized', 'Send the metrics key (CORDON_METRICS_KEY) as "Authorization: Bearer <key>"', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });
  return app;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
