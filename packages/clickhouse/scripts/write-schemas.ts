/**
 * Writes the schema files in infra/clickhouse/ from the migrations: what an
 * operator reads or runs by hand (`clickhouse-client --multiquery < …`),
 * and what a drift test compares with the code. `npm run generate` runs it.
 */
import { writeFileSync } from 'node:fs';
import { schemaFiles } from '../src/schema-files.ts';

for (const file of schemaFiles()) {
  writeFileSync(file.path, file.text);
  process.stdout.write(`wrote ${file.path}\n`);
}
