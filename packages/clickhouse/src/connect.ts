import { createClient, type ClickHouseClient } from '@clickhouse/client';

/**
 * One ClickHouse client for both modes: a ClickHouse server over HTTP
 * (`url`), or chDB in-process on a data folder. The SQL is the same.
 */
export interface ClickHouse {
  client: ClickHouseClient;
  /** The database every table of this Cordon lives in. */
  database: string;
  kind: 'chdb' | 'server';
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** http://user:pass@host:8123/db; when absent, chDB on `dataDir`. */
  url?: string;
  /** chDB data folder; only one process may open it at a time. */
  dataDir?: string;
  /** Database name; defaults to the URL's path or "cordon". Tests use one per test. */
  database?: string;
}

export async function connectClickHouse(options: ConnectOptions): Promise<ClickHouse> {
  if (options.url) {
    const url = new URL(options.url);
    const database = options.database ?? (url.pathname.replace(/^\//, '') || 'cordon');
    url.pathname = '/';
    const client = createClient({ url: url.toString(), request_timeout: 30_000 });
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` });
    return { client, database, kind: 'server', close: () => client.close() };
  }
  if (!options.dataDir) throw new Error('connectClickHouse needs a url or a dataDir');
  // Loaded lazily: the native engine is large and a server deployment never needs it.
  const { createChdbConnection } = await import('chdb/connection');
  // `connection` is the hook chDB plugs into; the published types do not list it yet.
  const client = createClient({ connection: createChdbConnection({ path: options.dataDir }) } as unknown as Parameters<typeof createClient>[0]);
  const database = options.database ?? 'cordon';
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` });
  return { client, database, kind: 'chdb', close: () => client.close() };
}

/**
 * Database names come from configuration, never from a request; still, they
 * are checked and quoted rather than trusted.
 */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new Error(`not a valid ClickHouse identifier: ${name}`);
  return `\`${name}\``;
}
