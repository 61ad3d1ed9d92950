import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterMigrationStatements, CLUSTER_WIDE_TABLES, connectClickHouse, migrationStatements, type ClickHouse } from '../src/index.ts';
import { schemaFiles } from '../src/schema-files.ts';
import { openTestClickHouse } from '../src/testing.ts';

/**
 * chDB is one node: it cannot run a replicated table (no Keeper) or a
 * Distributed one (no cluster). What it can do is parse every cluster
 * statement, and run the same statements with the replication taken off, so
 * the cluster's tables and views are checked to be the single-node ones.
 */

async function formatted(ch: ClickHouse, statement: string): Promise<string> {
  const result = await ch.client.query({
    query: 'SELECT formatQuery({q:String}) AS f',
    query_params: { q: statement },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ f: string }>();
  return row!.f;
}

/** The statement as one node runs it: no ON CLUSTER, no Keeper path, no Distributed table (nor a change to one). */
function onOneNode(statement: string, all: readonly string[]): string | null {
  if (/ENGINE = Distributed\(/.test(statement) || statement.startsWith('CREATE DATABASE')) return null;
  const altered = /^ALTER TABLE (`[^`]+`\.\w+) /.exec(statement)?.[1];
  if (altered && all.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${altered} `) && /ENGINE = Distributed\(/.test(s))) return null;
  return statement
    .replace(/ ON CLUSTER `[^`]+`/g, '')
    .replace(/ENGINE = Replicated(\w+)\('[^']*', '\{replica\}'(?:, )?/, 'ENGINE = $1(')
    .replace(/\breplicated_deduplication_window\b/g, 'non_replicated_deduplication_window');
}

async function columns(ch: ClickHouse, database: string): Promise<Record<string, string[]>> {
  const result = await ch.client.query({
    query:
      "SELECT table, groupArray(concat(name, ' ', type)) AS cols FROM (SELECT table, name, type FROM system.columns WHERE database = {db:String} ORDER BY table, position) GROUP BY table",
    query_params: { db: database },
    format: 'JSONEachRow',
  });
  return Object.fromEntries((await result.json<{ table: string; cols: string[] }>()).map((r) => [r.table, r.cols]));
}

describe('the cluster schema (issue 12: one definition, two outputs)', () => {
  it('infra/clickhouse/ holds exactly what the migrations give (run `npm run generate` after changing them)', () => {
    for (const file of schemaFiles()) expect(readFileSync(file.path, 'utf8'), file.path).toBe(file.text);
  });

  it('gives every table, view and change of the single-node schema its cluster form', () => {
    const single = migrationStatements('cordon');
    const cluster = clusterMigrationStatements('cordon', { cluster: 'cordon' });
    const created = (statements: string[]) =>
      statements.flatMap((s) => /^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS `cordon`\.(\w+)/.exec(s)?.[1] ?? []);
    const singleNames = created(single);
    const sharded = singleNames.filter((n) => !n.endsWith('_mv') && !CLUSTER_WIDE_TABLES.has(n));
    expect(sharded).toEqual(expect.arrayContaining(['events', 'metric_daily', 'voids']));
    // Each sharded table: a replicated _local table and a Distributed table with the single-node name.
    expect(created(cluster).sort()).toEqual([...singleNames, ...sharded.map((n) => `${n}_local`)].sort());
    for (const name of sharded) {
      expect(cluster).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^CREATE TABLE IF NOT EXISTS \`cordon\`\\.${name}_local ON CLUSTER \`cordon\` \\(.*ENGINE = Replicated(?:Summing)?MergeTree\\('/clickhouse/tables/\\{shard\\}/cordon/${name}_local', '\\{replica\\}'`,
            's',
          ),
        ),
      );
    }
    expect(cluster).toContain(
      "CREATE TABLE IF NOT EXISTS `cordon`.events ON CLUSTER `cordon` AS `cordon`.events_local\n    ENGINE = Distributed('cordon', `cordon`, events_local, cityHash64(id))",
    );
    // Bookkeeping is whole on every node: no {shard} in its path, no Distributed table.
    for (const name of CLUSTER_WIDE_TABLES) {
      expect(cluster).toContainEqual(expect.stringContaining(`'/clickhouse/tables/all/cordon/${name}', '{replica}'`));
      expect(cluster.join('\n')).not.toContain(`${name}_local`);
    }
    // Views read and write the shard's own tables, never a Distributed one.
    for (const view of cluster.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'))) {
      expect(view).toMatch(/ TO `cordon`\.\w+_local AS/);
      expect(view).not.toMatch(/FROM `cordon`\.(?!\w+_local)\w+/);
    }
    expect(cluster.join('\n')).not.toContain('non_replicated_deduplication_window');
  });

  it('parses in the ClickHouse engine, statement by statement', async () => {
    const ch = await openTestClickHouse();
    for (const statement of clusterMigrationStatements('cordon', { cluster: 'cordon' })) {
      const text = await formatted(ch, statement);
      expect(text, statement).toMatch(/ON CLUSTER `?cordon`?/);
    }
  });

  it('with replication taken off, builds the single-node tables and views, column for column, and rolls up the same', async () => {
    const ch = await openTestClickHouse();
    const db = `${ch.database}_cluster`;
    await ch.client.command({ query: `CREATE DATABASE ${db}` });
    const statements = clusterMigrationStatements(db, { cluster: 'cordon' });
    for (const statement of statements) {
      const local = onOneNode(statement, statements);
      if (local) await ch.client.command({ query: local });
    }
    const single = await columns(ch, ch.database);
    const cluster = await columns(ch, db);
    for (const [table, cols] of Object.entries(single)) {
      if (table.endsWith('_mv')) continue;
      expect(cluster[CLUSTER_WIDE_TABLES.has(table) ? table : `${table}_local`], table).toEqual(cols);
    }
    // The same event into both: the views give the same roll-up and the same void.
    const target = '8d3f8a3e-1c6f-4c1a-9f7e-3b2a1d0c9e8f';
    const rows = [
      {
        id: target,
        sign: 1,
        type: 'screening',
        occurred_at: '2020-02-13 08:00:00.000',
        day: '2020-02-13',
        region: '410184003000',
        site: 's1',
        source: 'app',
        received_at: '2020-02-13 08:00:01.000',
        void_id: null,
        data: '{}',
        'contributions.metric': ['people_screened'],
        'contributions.dim': [''],
        'contributions.value': [1700],
        log_partition: 0,
        log_offset: 0,
      },
      {
        id: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
        sign: 1,
        type: 'void',
        occurred_at: '2020-02-13 09:00:00.000',
        day: '2020-02-13',
        region: '410184003000',
        site: '',
        source: 'app',
        received_at: '2020-02-13 09:00:01.000',
        void_id: null,
        data: JSON.stringify({ target }),
        'contributions.metric': [],
        'contributions.dim': [],
        'contributions.value': [],
        log_partition: 0,
        log_offset: 1,
      },
    ];
    await ch.client.insert({ table: `${ch.database}.events`, values: rows, format: 'JSONEachRow' });
    await ch.client.insert({ table: `${db}.events_local`, values: rows, format: 'JSONEachRow' });
    const read = async (sql: string) => (await ch.client.query({ query: sql, format: 'JSONEachRow' })).json();
    expect(await read(`SELECT metric, region, day, sum(value) AS v FROM ${db}.metric_daily_local GROUP BY metric, region, day`)).toEqual(
      await read(`SELECT metric, region, day, sum(value) AS v FROM ${ch.database}.metric_daily GROUP BY metric, region, day`),
    );
    expect(await read(`SELECT metric, region, day, sum(value) AS v FROM ${db}.metric_daily_local GROUP BY metric, region, day`)).toEqual([
      { metric: 'people_screened', region: '410184003000', day: '2020-02-13', v: 1700 },
    ]);
    expect(await read(`SELECT toString(target) AS t FROM ${db}.voids_local`)).toEqual([{ t: target }]);
  });

  it('refuses a cluster on chDB, which is one node', async () => {
    await expect(connectClickHouse({ dataDir: '/nonexistent', cluster: 'cordon' })).rejects.toThrow(
      'a ClickHouse cluster needs a server url: chDB is one node',
    );
  });
});
