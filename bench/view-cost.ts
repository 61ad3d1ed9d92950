/**
 * What each view of `events` costs a small insert, the kind the consumer
 * makes at a steady few thousand events/s (and what freshness waits on).
 * `BENCH_VIEW_ROWS` rows (default 20) of the consumer's own (`eventRow`) go
 * through the consumer's insert (`writeRows`: its lines, chDB's raw insert,
 * the consumer's settings), `BENCH_VIEW_INSERTS` times (default
 * 30) with new ids each time. This is done with every view, then again after
 * each view in turn is dropped, so each line's difference from the one
 * before is that view's cost. A first pass with `parallel_view_processing`
 * off shows what running the views side by side saves. Printed, never
 * asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { writeRows } from '@cordon/ingest';
import { eventMaker } from './ingest/events.ts';
import { consumerRows } from './ingest/raw-insert.ts';
import { quantile } from './ingest/paced-freshness.ts';

const rowsPerInsert = Number(process.env['BENCH_VIEW_ROWS'] ?? 20);
const inserts = Number(process.env['BENCH_VIEW_INSERTS'] ?? 30);
const make = eventMaker();
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-bench-views-'));

/** p50 and p99 ms of `inserts` of new rows through the consumer's own insert (writeRows), with `overrides` on its settings. */
async function timeInserts(ch: ClickHouse, overrides: Record<string, number> = {}): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < inserts; i++) {
    const rows = consumerRows(make, rowsPerInsert);
    const started = performance.now();
    await writeRows(ch, rows, overrides);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

function print(label: string, figure: { p50: number; p99: number }, before?: { p50: number }): void {
  const saved = before ? `   (${(before.p50 - figure.p50).toFixed(1).padStart(5)} ms less)` : '';
  console.log(`  ${label.padEnd(46)} p50 ${figure.p50.toFixed(1).padStart(5)} ms   p99 ${figure.p99.toFixed(1).padStart(5)} ms${saved}`);
}

const ch = await connectClickHouse({ dataDir, database: 'views' });
try {
  await migrate(ch);
  const result = await ch.client.query({
    query: `SELECT name FROM system.tables WHERE database = 'views' AND engine = 'MaterializedView' ORDER BY name`,
    format: 'JSONEachRow',
  });
  const views = (await result.json<{ name: string }>()).map((r) => r.name);
  console.log(`one insert of ${rowsPerInsert} rows into events, ${inserts} times each, ${new Date().toISOString()}`);
  await timeInserts(ch); // warm-up: the first parts and the engine's caches
  print(`all ${views.length} views, one after another`, await timeInserts(ch, { parallel_view_processing: 0 }));
  let before = await timeInserts(ch);
  print(`all ${views.length} views, side by side (the consumer's)`, before);
  for (const view of views) {
    await ch.client.command({ query: `DROP TABLE views.${view}` });
    const figure = await timeInserts(ch);
    print(`without ${view} (and those above)`, figure, before);
    before = figure;
  }
} finally {
  await ch.close();
  rmSync(dataDir, { recursive: true, force: true });
}
