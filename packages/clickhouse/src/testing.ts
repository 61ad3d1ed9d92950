import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectClickHouse, type ClickHouse } from './connect.ts';
import { migrate } from './migrate.ts';

/**
 * For tests: a fresh, migrated database in chDB. chDB allows one data folder
 * per process, so all tests of one test file share a folder and each gets
 * its own database (vitest runs each file in its own process).
 */
let processDataDir: string | undefined;

export function testDataDir(): string {
  processDataDir ??= mkdtempSync(join(tmpdir(), 'cordon-chdb-'));
  return processDataDir;
}

export async function openTestClickHouse(): Promise<ClickHouse> {
  const ch = await connectClickHouse({ dataDir: testDataDir(), database: `t_${randomBytes(6).toString('hex')}` });
  await migrate(ch);
  return ch;
}
