import { eventIndexes, indexSelect, quoteIdentifier, type ClickHouse } from '@cordon/clickhouse';
import { createQueryRoutes, type QueryRoutesDeps } from '@cordon/query-api';
import type { RegionRegistry } from '@cordon/regions';

/**
 * The registry routes (/v1/quality, /v1/completeness, /v1/sites) answered
 * the old way, by scanning the raw `events` table, beside the server that
 * reads the event indexes (packages/clickhouse migrations.ts): a second
 * database whose `event_days`, `quarantine_events`, `site_events` and
 * `place_daily` are plain views computing the index from `events` at query
 * time (what the routes read before the indexes: every row, the subject
 * parsed from each quarantine event's JSON, every contribution), and whose
 * `events`, `metric_daily` and `voids` (the quality check for voids
 * outside their key's scope reads it) are views of the real tables. The same route code runs on both, so equal answers
 * mean the indexes hold exactly what the raw scan finds.
 */
export interface RawScan {
  /** The raw-scan answer to a GET of a registry route (path and query), with its time. */
  get(pathAndQuery: string): Promise<{ status: number; body: string; ms: number }>;
}

export async function createRawScan(
  ch: ClickHouse,
  deps: { keys: QueryRoutesDeps['keys']; regions: RegionRegistry; timeZone: string; apiKey: string },
): Promise<RawScan> {
  const source = quoteIdentifier(ch.database);
  const name = `${ch.database}_raw_scan`;
  const db = quoteIdentifier(name);
  await ch.client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.client.command({ query: `CREATE DATABASE ${db}` });
  await ch.client.command({ query: `CREATE VIEW ${db}.events AS SELECT * FROM ${source}.events` });
  await ch.client.command({ query: `CREATE VIEW ${db}.metric_daily AS SELECT * FROM ${source}.metric_daily` });
  await ch.client.command({ query: `CREATE VIEW ${db}.voids AS SELECT * FROM ${source}.voids` });
  for (const index of eventIndexes) {
    await ch.client.command({ query: `CREATE VIEW ${db}.${index.table} AS ${indexSelect(index, source)}` });
  }
  const app = createQueryRoutes({
    clickhouse: { ...ch, database: name },
    keys: deps.keys,
    regions: deps.regions,
    timeZone: deps.timeZone,
    logKind: 'embedded',
    // Every request compared carries knownAt, so the answer's asOf is that instant on both sides.
    status: {
      read: () => Promise.resolve({ lag: 0, asOf: '9999-12-31T00:00:00.000Z' }),
      consumerHealth: () => ({ state: 'ok', since: new Date(0).toISOString(), lastError: null }),
    },
  });
  return {
    async get(pathAndQuery) {
      const started = performance.now();
      const response = await app.request(`http://raw-scan${pathAndQuery}`, { headers: { authorization: `Bearer ${deps.apiKey}` } });
      const body = await response.text();
      return { status: response.status, body, ms: performance.now() - started };
    },
  };
}
