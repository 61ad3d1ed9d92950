#!/usr/bin/env node
/**
 * npm run log:repair -- <data dir | log folder> [--dry-run]
 *
 * Salvages every intact record of a damaged embedded log and reports the
 * damaged ones by offset (see src/log/embedded/repair.ts). Run it with the
 * server stopped: it takes the log's writer lock. Accepts the server's data
 * folder (CORDON_DATA_DIR, whose event log is `log/`) or a log folder itself
 * (one holding `segments/`, such as `<data dir>/log/dlq`).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repairEmbeddedLog } from '../src/log/embedded/repair.ts';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const target = args.find((a) => !a.startsWith('--')) ?? process.env['CORDON_DATA_DIR'] ?? '.cordon';
const dir = existsSync(join(target, 'segments')) ? resolve(target) : resolve(target, 'log');
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  const report = await repairEmbeddedLog({ dir, dryRun });
  say(`embedded log ${report.dir}${report.dryRun ? ' (dry run: nothing changed)' : ''}`);
  say(`  intact records kept: ${report.kept}`);
  for (const m of report.missing) {
    const range = m.from === m.to ? `offset ${m.from}` : `offsets ${m.from}..${m.to}`;
    say(`  ${m.recorded ? 'lost before (gap file)' : 'damaged'}: ${range} (${m.count} record${m.count === 1n ? '' : 's'})`);
  }
  for (const d of report.damagedBytes) say(`  unreadable bytes ${d.from}..${d.to - 1} of ${d.segment}`);
  if (report.tornRecords > 0) say(`  torn last write (never acknowledged), dropped: ${report.tornRecords} records`);
  if (report.rewritten) say(`  rewritten; the old segments are in ${report.backup}`);
  else if (!report.dryRun) say('  nothing to repair');
  say(`REPORT ${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
} catch (error) {
  process.stderr.write(`log:repair: ${(error as Error).message}\n`);
  process.exit(1);
}
