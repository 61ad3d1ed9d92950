import { quoteIdentifier } from './connect.ts';
import { migrationStatements } from './migrations.ts';

/**
 * The cluster schema, written from the single-node migrations rather than
 * beside them, so one definition gives both outputs (`infra/clickhouse/`
 * holds them as files; a test keeps them from drifting).
 *
 * Every statement gets `ON CLUSTER`, and every engine its Replicated form
 * with a Keeper path from the `{shard}`/`{replica}` macros. Tables then fall
 * into two kinds:
 *
 * - Tables that grow with events (`events`, `metric_daily`, `voids` and any
 *   table a later migration adds, unless listed below) are split over the
 *   shards: the replicated table is `<name>_local` and a Distributed table
 *   keeps the single-node name over it, so the code's SQL reads and writes
 *   the whole cluster unchanged. Views read and write the `_local` tables:
 *   a view fires on the shard that received the rows, so each shard rolls up
 *   its own events and the Distributed `metric_daily` adds the shards up
 *   (every roll-up read is a `sum()`).
 * - Small bookkeeping tables (`CLUSTER_WIDE_TABLES`) are one replicated
 *   table held whole by every replica of every shard (the Keeper path has no
 *   `{shard}`). Reading them through a Distributed table would return each
 *   row once per shard, so they keep their name and have none.
 *
 * `events` is sharded by `cityHash64(id)`: an event's retraction has the
 * event's id, so both land on one shard, where the consumer's "is it already
 * counted" look-up and the view's `sign` arithmetic need them together.
 */

/** Held whole on every node: bookkeeping, not event data. */
export const CLUSTER_WIDE_TABLES: ReadonlySet<string> = new Set(['consumer_progress', 'api_keys', 'custom_regions', 'backfills']);

/** How rows are spread over shards when inserted through the Distributed table. */
const SHARDING_KEYS: Readonly<Record<string, string>> = { events: 'cityHash64(id)' };

export interface ClusterSchemaOptions {
  /** The `<remote_servers>` cluster name (infra/clickhouse/config.d/cluster.xml: `cordon`). */
  cluster: string;
}

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS (`[A-Za-z0-9_]+`)\.([a-z_][a-z0-9_]*) \(/;
const CREATE_VIEW = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (`[A-Za-z0-9_]+`)\.([a-z_][a-z0-9_]*) TO /;
const ALTER_TABLE = /^ALTER TABLE (`[A-Za-z0-9_]+`)\.([a-z_][a-z0-9_]*) /;
const COLUMN_CHANGE = /^ALTER TABLE \S+ (ADD|DROP|MODIFY|RENAME|COMMENT) COLUMN\b/;
const ENGINE = /ENGINE = (MergeTree|SummingMergeTree|ReplacingMergeTree)(?:\(([^)]*)\))?/;

export function clusterMigrationStatements(database: string, options: ClusterSchemaOptions): string[] {
  const db = quoteIdentifier(database);
  const onCluster = `ON CLUSTER ${quoteIdentifier(options.cluster)}`;
  const single = migrationStatements(database);
  const sharded = new Set<string>();
  for (const statement of single) {
    const table = CREATE_TABLE.exec(statement)?.[2];
    if (table && !CLUSTER_WIDE_TABLES.has(table)) sharded.add(table);
  }
  // `db`.name -> `db`.name_local for every sharded table, wherever it is named.
  const toLocal = (sql: string) =>
    sql.replace(new RegExp(`${escapeRegExp(db)}\\.([a-z_][a-z0-9_]*)\\b`, 'g'), (whole, name: string) =>
      sharded.has(name) ? `${db}.${name}_local` : whole,
    );

  const out: string[] = [`CREATE DATABASE IF NOT EXISTS ${db} ${onCluster}`];
  for (const statement of single) {
    const table = CREATE_TABLE.exec(statement);
    if (table) {
      const name = table[2]!;
      const local = sharded.has(name);
      const replicated = replicateEngine(toLocal(statement), local ? '{shard}' : 'all', database, local ? `${name}_local` : name);
      out.push(replicated.replace(CREATE_TABLE, (head) => head.replace(/ \($/, ` ${onCluster} (`)));
      if (local) {
        out.push(
          `CREATE TABLE IF NOT EXISTS ${db}.${name} ${onCluster} AS ${db}.${name}_local\n` +
            `    ENGINE = Distributed('${options.cluster}', ${db}, ${name}_local, ${SHARDING_KEYS[name] ?? 'rand()'})`,
        );
      }
      continue;
    }
    if (CREATE_VIEW.test(statement)) {
      // A view only reads and writes: it runs where its source is, so on every shard.
      out.push(toLocal(statement).replace(CREATE_VIEW, (head) => head.replace(/ TO $/, ` ${onCluster} TO `)));
      continue;
    }
    const alter = ALTER_TABLE.exec(statement);
    if (alter) {
      const name = alter[2]!;
      const addOn = (sql: string) => sql.replace(/^(ALTER TABLE \S+) /, `$1 ${onCluster} `);
      out.push(addOn(toLocal(statement)));
      // A Distributed table keeps the column list it was created with: a column
      // change goes to it too (indexes and projections live on the replicas only).
      if (sharded.has(name) && COLUMN_CHANGE.test(statement)) out.push(addOn(statement));
      continue;
    }
    throw new Error(`cluster schema: no cluster form for this migration statement (add one in cluster-schema.ts):\n${statement}`);
  }
  return out;
}

/**
 * MergeTree(args) -> ReplicatedMergeTree(path, replica, args). The Keeper path
 * names the database and table as written, not through the {database}/{table}
 * macros, so the file says exactly where each table's replicas meet.
 */
function replicateEngine(statement: string, shard: '{shard}' | 'all', database: string, table: string): string {
  const match = ENGINE.exec(statement);
  if (!match) throw new Error(`cluster schema: no MergeTree engine in:\n${statement}`);
  const [, engine, args] = match;
  const params = [`'/clickhouse/tables/${shard}/${database}/${table}'`, `'{replica}'`, ...(args ? [args] : [])];
  return (
    statement
      .replace(ENGINE, `ENGINE = Replicated${engine}(${params.join(', ')})`)
      // Replicated tables keep their insert-deduplication window in Keeper, under this name.
      .replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window')
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
