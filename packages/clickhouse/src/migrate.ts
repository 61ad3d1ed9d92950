import { clusterMigrationStatements } from './cluster-schema.ts';
import type { ClickHouse } from './connect.ts';
import { migrationStatements } from './migrations.ts';

/** The single-node statements, or on a cluster their cluster form (cluster-schema.ts). */
export async function migrate(ch: ClickHouse): Promise<void> {
  const statements = ch.cluster ? clusterMigrationStatements(ch.database, { cluster: ch.cluster }) : migrationStatements(ch.database);
  for (const query of statements) {
    await ch.client.command({ query });
  }
}
