import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { chdbTextInsert, serverTextInsert, type TextInsert } from './raw-insert.ts';

/**
 * One ClickHouse client for both modes: a ClickHouse server over HTTP
 * (`url`), or chDB in-process on a data folder. The SQL is the same.
 */
export interface ClickHouse {
  client: ClickHouseClient;
  /** The database every table of this Cordon lives in. */
  database: string;
  kind: 'chdb' | 'server';
  /** The cluster whose DDL `migrate()` runs (`ON CLUSTER`, replicated tables); null: one node. */
  cluster: string | null;
  /**
   * Inserts a body already in a line format (raw-insert.ts): on chDB its
   * zero-copy raw insert, on a server the client's insert. Errors are
   * `ClickHouseError`s with the engine's numeric code either way.
   */
  insertText(params: TextInsert): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** http://user:pass@host:8123/db; when absent, chDB on `dataDir`. */
  url?: string;
  /** chDB data folder; only one process may open it at a time. */
  dataDir?: string;
  /** Database name; defaults to the URL's path or "cordon". Tests use one per test. */
  database?: string;
  /**
   * A ClickHouse cluster (`<remote_servers>` name) to migrate and write as one:
   * the cluster schema (cluster-schema.ts), quorum inserts and reads that see
   * them. Only with `url`: chDB is one node.
   */
  cluster?: string;
}

/**
 * On a cluster, what keeps counting exactly once. The consumer asks "is this
 * event counted yet" on whichever replica it reaches, so an insert must be on
 * a majority of replicas before it is acknowledged (`insert_quorum`), and a
 * read must see every quorum insert (`select_sequential_consistency`, which
 * needs non-parallel quorum inserts). Inserts through a Distributed table go
 * to their shard before the call returns, so a retried batch meets its first
 * try in that shard's deduplication window, views included.
 */
const CLUSTER_SETTINGS: ClickHouseSettings = {
  insert_quorum: 'auto',
  insert_quorum_parallel: 0,
  select_sequential_consistency: '1',
  // distributed_foreground_insert in newer servers' words; the client's types know the older alias.
  insert_distributed_sync: 1,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  // A subquery over a Distributed table inside a query over one (the quality
  // check's `events … WHERE id IN (SELECT target FROM voids)`) is refused by
  // default; GLOBAL runs it once over the whole cluster and sends its answer
  // to every shard. LOCAL would be wrong here: a void lives on its own id's
  // shard, not on its target's.
  distributed_product_mode: 'global',
};

export async function connectClickHouse(options: ConnectOptions): Promise<ClickHouse> {
  if (options.url) {
    const url = new URL(options.url);
    const database = options.database ?? (url.pathname.replace(/^\//, '') || 'cordon');
    url.pathname = '/';
    const cluster = options.cluster ?? null;
    const client = createClient({
      url: url.toString(),
      request_timeout: 30_000,
      ...(cluster ? { clickhouse_settings: CLUSTER_SETTINGS } : {}),
    });
    const onCluster = cluster ? ` ON CLUSTER ${quoteIdentifier(cluster)}` : '';
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}${onCluster}` });
    return { client, database, kind: 'server', cluster, insertText: serverTextInsert(client), close: () => client.close() };
  }
  if (options.cluster) throw new Error('a ClickHouse cluster needs a server url: chDB is one node');
  if (!options.dataDir) throw new Error('connectClickHouse needs a url or a dataDir');
  // Loaded lazily: the native engine is large and a server deployment never needs it.
  const { createChdbConnection } = await import('chdb/connection');
  // `connection` is the hook chDB plugs into; the published types do not list it yet.
  const connection = createChdbConnection({ path: options.dataDir });
  const client = createClient({ connection } as unknown as Parameters<typeof createClient>[0]);
  const database = options.database ?? 'cordon';
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` });
  return { client, database, kind: 'chdb', cluster: null, insertText: chdbTextInsert(connection), close: () => client.close() };
}

/**
 * Database names come from configuration, never from a request; still, they
 * are checked and quoted rather than trusted.
 */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new Error(`not a valid ClickHouse identifier: ${name}`);
  return `\`${name}\``;
}
