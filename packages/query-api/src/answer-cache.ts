import type { MiddlewareHandler } from 'hono';
import { requireRole, type KeyStore } from '@cordon/edge';
import { requestDigest } from './etag.ts';

/**
 * Figure answers kept in memory while nothing has been written. Every open
 * dashboard asks the same questions every few seconds, and each question is
 * a chDB query that waits in the engine's one queue behind the consumer's
 * writes; between two of the consumer's batches the answers cannot change,
 * so they are given again from memory instead of asked again.
 *
 * Only with a consumer in this process: its write epoch changes when a batch
 * starts and when it ends, so "the epoch is the same" means "no write began
 * or ended". The row count a query-only process reads is not enough: it moves
 * when `events` gets a batch's rows, a moment before the roll-ups fed by its
 * views do, and an answer kept from that moment would stay stale.
 *
 * A kept answer still goes through the read role on every request (a revoked
 * key is refused at once, and the rate limit counts it), and it is keyed by
 * the whole request as the ETag is, the Authorization header included, so it
 * is only ever given to the key it was computed for. Kept at most `maxAgeMs`
 * even with no writes, for the answers whose default dates follow the clock.
 */
export interface AnswerCacheOptions {
  keys: KeyStore;
  /** The in-process consumer's write epoch (runtime.ts: `${nonce}.${epoch}`). */
  position: () => string;
  /** Anything else an answer depends on (the number of admin-added regions). */
  extra?: () => string;
  maxEntries?: number;
  /** One answer larger than this is not kept. */
  maxBodyBytes?: number;
  /** All kept answers together; the oldest go first past it. */
  maxTotalBytes?: number;
  maxAgeMs?: number;
  now?: () => number;
  /** Each GET of a figure route: given from memory (hit) or computed (miss); for /metrics. */
  observe?: (result: 'hit' | 'miss') => void;
}

interface KeptAnswer {
  body: ArrayBuffer;
  headers: [string, string][];
  at: number;
}

export function answerCache(options: AnswerCacheOptions): MiddlewareHandler {
  const maxEntries = options.maxEntries ?? 500;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxTotalBytes = options.maxTotalBytes ?? 32 * 1024 * 1024;
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const now = options.now ?? Date.now;
  const readRole = requireRole(options.keys, 'read');
  const positionNow = () => `${options.position()}|${options.extra?.() ?? ''}`;
  // The answers of one position only: when it moves, none of them can be given again.
  let keptAt = '';
  let kept = new Map<string, KeptAnswer>();
  let keptBytes = 0;
  const forget = (key: string) => {
    keptBytes -= kept.get(key)?.body.byteLength ?? 0;
    kept.delete(key);
  };

  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const position = positionNow();
    if (position !== keptAt) {
      keptAt = position;
      kept = new Map();
      keptBytes = 0;
    }
    // The whole request as the ETag sees it, and the key it was asked with (never held in clear).
    const key = requestDigest(c, [c.req.header('authorization') ?? '']);
    const answer = kept.get(key);
    if (answer && now() - answer.at <= maxAgeMs) {
      // Auth, the role and the rate limit as the route would apply them; they throw as the route would.
      await readRole(c, async () => {
        options.observe?.('hit');
        c.res = new Response(answer.body.slice(0), { status: 200, headers: answer.headers });
      });
      return;
    }
    if (answer) forget(key);
    options.observe?.('miss');
    await next();
    // Kept only if no write began or ended while it was computed.
    if (c.res.status !== 200 || positionNow() !== keptAt || c.get('principal' as never) === undefined) {
      return;
    }
    const body = await c.res.clone().arrayBuffer();
    if (body.byteLength > maxBodyBytes) return;
    // Map order is insertion order: the oldest go first.
    forget(key);
    while (kept.size > 0 && (kept.size >= maxEntries || keptBytes + body.byteLength > maxTotalBytes)) {
      forget(kept.keys().next().value as string);
    }
    kept.set(key, { body, headers: [...c.res.headers.entries()], at: now() });
    keptBytes += body.byteLength;
  };
}
