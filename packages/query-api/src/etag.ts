import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ClickHouse } from '@cordon/clickhouse';

/**
 * Weak ETags derived from the pipeline position: the number of rows in the
 * raw `events` table (every counted event and every retraction adds one, so
 * nothing can change a figure without changing it; ClickHouse answers it
 * from part metadata, without reading data) and the consumer's progress
 * (which moves once a batch's roll-ups are in, see pipelinePosition). The
 * tag also covers the request (path, query, Accept, Accept-Language for CSV
 * headers, the key's scope) and `extra()` (e.g. the number of admin-added
 * regions, which can rename rows). `If-None-Match` with the
 * current tag gets 304.
 *
 * The route runs first (auth, validation, the answer): a 304 is only ever
 * given in place of a 200 the caller was allowed to see. The position is
 * read before the route, so a tag never claims a newer position than its
 * answer.
 */
export function pipelineEtag(deps: { clickhouse: ClickHouse; extra?: () => string; localPosition?: () => string }): MiddlewareHandler {
  // With the consumer in this process, its write epoch is the position and
  // no query is needed; otherwise ClickHouse is asked.
  const position = deps.localPosition ?? (() => pipelinePosition(deps.clickhouse));
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const before = await position();
    await next();
    if (c.res.status !== 200) return;
    const principal = c.get('principal' as never) as { region?: string | null } | undefined;
    const tag = `W/"${before}-${requestDigest(c, [principal?.region ?? '*', deps.extra?.() ?? '']).slice(0, 22)}"`;
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((t) => t.trim() === tag)) {
      c.res = new Response(null, { status: 304, headers: { etag: tag, vary: 'Accept, Accept-Language, Authorization' } });
      return;
    }
    c.res.headers.set('etag', tag);
    c.res.headers.set('vary', 'Accept, Accept-Language, Authorization');
  };
}

/**
 * What an answer of a figure route depends on in its request: path, query,
 * Accept and Accept-Language (CSV and its headings), then `more`; one digest.
 * The ETag adds the key's scope and `extra()`, the answer cache the key.
 */
export function requestDigest(c: Context, more: readonly string[]): string {
  const url = new URL(c.req.url);
  return createHash('sha256')
    .update([url.pathname, url.search, c.req.header('accept') ?? '', c.req.header('accept-language') ?? '', ...more].join('\n'))
    .digest('base64url');
}

export async function pipelinePosition(ch: ClickHouse): Promise<string> {
  // Two counters, each read from part metadata or a few rows. The rows of
  // `events` move first, a moment before the roll-ups its views fill; the
  // consumer's progress moves only once the whole insert, views included, is
  // in. An answer computed in between gets a tag that the progress then
  // changes, so a 304 never keeps it past the batch.
  const result = await ch.client.query({
    query: `SELECT (SELECT count() FROM ${ch.database}.events) AS n,
                   (SELECT sum(last) FROM (SELECT max(next_offset) AS last FROM ${ch.database}.consumer_progress GROUP BY group_id, partition)) AS p`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number; p: string | number | null }>();
  return `${row?.n ?? 0}.${row?.p ?? 0}`;
}
