import { fileURLToPath } from 'node:url';
import { clusterMigrationStatements } from './cluster-schema.ts';
import { migrationStatements } from './migrations.ts';

/** The names infra/clickhouse/ uses: database `cordon`, cluster `cordon` (config.d/cluster.xml). */
export const SCHEMA_DATABASE = 'cordon';
export const SCHEMA_CLUSTER = 'cordon';

export interface SchemaFile {
  path: string;
  text: string;
}

/** infra/clickhouse/single-node.sql and cluster.sql, as the migrations give them. */
export function schemaFiles(): SchemaFile[] {
  const dir = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url));
  const header = (what: string) =>
    `-- ${what}\n-- Generated from packages/clickhouse/src/migrations.ts by \`npm run generate\`: do not edit.\n` +
    `-- Cordon runs these itself at every start (idempotent); this file is for reading and for running by hand.\n\n`;
  const sql = (statements: string[]) => statements.map((s) => `${s};\n`).join('\n');
  return [
    {
      path: `${dir}single-node.sql`,
      text: header('The single-node schema (chDB or one ClickHouse server).') + sql(migrationStatements(SCHEMA_DATABASE)),
    },
    {
      path: `${dir}cluster.sql`,
      text:
        header(
          `The cluster schema for cluster \`${SCHEMA_CLUSTER}\` (CORDON_CLICKHOUSE_CLUSTER=${SCHEMA_CLUSTER}); macros {shard} and {replica} from each server's config.`,
        ) + sql(clusterMigrationStatements(SCHEMA_DATABASE, { cluster: SCHEMA_CLUSTER })),
    },
  ];
}
