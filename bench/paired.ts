/**
 * npm run bench:paired — two of bench:ingest's ratios, each taken several
 * times with its reference run just before and just after it, and the CPU
 * time of both sides (bench/README.md "npm run bench:paired").
 *
 * bench:ingest takes each ratio once, and on this host a reference can move
 * 1.7× between two minutes. Here each figure sits between two runs of its
 * reference, the ratio is taken against their mean, and the median of the
 * pairs is printed. The CPU time per event (the process's user + system
 * time, chDB's threads included: chDB runs inside this process) says how
 * much of the two cores each side needs, which is what bounds a ratio when
 * both sides can keep both cores busy.
 *
 *  1. HTTP → embedded log (the ingest role alone, all-in-one's duplicate
 *     look-up in chDB) against the bare node:http server, same bodies, same
 *     in-process client.
 *  2. The embedded consumer draining a filled log against the best raw
 *     insert of the same rows (TabSeparated, 100k-row blocks, views
 *     included), each into a fresh database.
 *
 * Sizes: BENCH_EVENTS (default 100000), BENCH_PAIRS (default 3).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@cordon/ingest';
import { connectClickHouse } from '@cordon/clickhouse';
import { readConfig, startCordon, type CordonConfig, type CordonRuntime, type Role } from '@cordon/server';
import { freePort } from '@cordon/infra/kafka';
import { loadAverage } from './load-average.ts';
import { bodies, eventMaker, sendAll } from './ingest/events.ts';
import { startBareServer } from './ingest/bare-http.ts';
import { consumerRows, rawInsertFigures } from './ingest/raw-insert.ts';

const total = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const pairs = Number(process.env['BENCH_PAIRS'] ?? 3);
const send = { batchSize: 100, concurrency: 8 };
const key = 'bench-admin-key';
const makeEvent = eventMaker();
const chdbDir = mkdtempSync(join(tmpdir(), 'cordon-bench-paired-chdb-'));
let databases = 0;

interface Timed {
  perSec: number;
  /** Process CPU (user + system, every thread) per event, µs. */
  cpuPerEvent: number;
}

/** Runs `work`, which handles `events` events: its rate (the one `work` returns, else events over the wall time) and CPU per event. */
async function timed(events: number, work: () => Promise<number | void>): Promise<Timed> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const own = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSec: typeof own === 'number' ? own : events / wallSeconds, cpuPerEvent: (cpu.user + cpu.system) / events };
}

async function server(dataDir: string, roles: Role[], groupId: string): Promise<CordonRuntime> {
  const config: CordonConfig = { ...readConfig({}), port: await freePort(), dataDir, bootstrapKey: key, kafkaBrokers: null };
  const clickhouse = await connectClickHouse({ dataDir: chdbDir, database: `paired_${++databases}` });
  return startCordon(config, { roles, logger: silentLogger, listen: roles.includes('ingest'), clickhouse, groupId });
}

async function bareHttp(): Promise<Timed> {
  const batches = bodies(makeEvent, total, send.batchSize);
  const bare = await startBareServer();
  try {
    return await timed(total, () => sendAll(batches, { ...send, target: () => bare.url }));
  } finally {
    await bare.close();
  }
}

/** HTTP → embedded log into `dataDir` (a new log each time unless given), the ingest role alone. */
async function httpToEmbedded(dataDir = mkdtempSync(join(tmpdir(), 'cordon-bench-paired-log-'))): Promise<Timed> {
  const batches = bodies(makeEvent, total, send.batchSize);
  const ingest = await server(dataDir, ['ingest'], 'paired-ingest');
  try {
    return await timed(total, () => sendAll(batches, { ...send, key, target: () => ingest.url! }));
  } finally {
    await ingest.close();
  }
}

/** The consumer alone on the filled log, into a fresh database, from its first batch in hand to its last committed. */
async function consumerDrain(dataDir: string, pair: number): Promise<Timed> {
  const cpuBefore = process.cpuUsage();
  const consumer = await server(dataDir, ['consumer'], `paired-consumer-${pair}`);
  try {
    await consumer.settled(600_000);
    const cpu = process.cpuUsage(cpuBefore);
    const { firstBatchAt, lastBatchAt, counted } = consumer.consumer!.stats;
    if (counted !== total) throw new Error(`the consumer counted ${counted} of ${total} events`);
    // CPU from the start (tables made, log opened) to the last commit: a little more than the drain's own.
    return { perSec: counted / ((lastBatchAt! - firstBatchAt!) / 1000), cpuPerEvent: (cpu.user + cpu.system) / total };
  } finally {
    await consumer.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function pairsOf(
  name: string,
  unit: string,
  figure: (pair: number) => Promise<Timed>,
  reference: () => Promise<Timed>,
  out: (line: string) => void,
) {
  out(`${name}:`);
  const ratios: number[] = [];
  const cpu: { figure: number[]; reference: number[] } = { figure: [], reference: [] };
  for (let pair = 1; pair <= pairs; pair++) {
    const before = await reference();
    const own = await figure(pair);
    const after = await reference();
    const ratio = own.perSec / ((before.perSec + after.perSec) / 2);
    ratios.push(ratio);
    cpu.figure.push(own.cpuPerEvent);
    cpu.reference.push(before.cpuPerEvent, after.cpuPerEvent);
    out(
      `  pair ${pair}: reference ${fmt(before.perSec)}, figure ${fmt(own.perSec)}, reference ${fmt(after.perSec)} ${unit}; ratio ${ratio.toFixed(3)}×` +
        ` (CPU ${own.cpuPerEvent.toFixed(1)} µs/event against ${before.cpuPerEvent.toFixed(1)} and ${after.cpuPerEvent.toFixed(1)})`,
    );
  }
  out(
    `  median ratio ${median(ratios).toFixed(3)}× (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)});` +
      ` median CPU ${median(cpu.figure).toFixed(1)} µs/event against the reference's ${median(cpu.reference).toFixed(1)}`,
  );
}

async function main() {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Cordon paired ratios — ${total} events, ${pairs} pairs each, ${new Date().toISOString()}, load ${loadAverage()}`);
  await bareHttp(); // warm-up: the first server of a process pays for JIT and module loading
  await pairsOf('HTTP → embedded log against bare node:http (goal ≥ 0.5×)', 'events/s', () => httpToEmbedded(), bareHttp, out);

  const filled = mkdtempSync(join(tmpdir(), 'cordon-bench-paired-filled-'));
  await httpToEmbedded(filled);
  const rows = consumerRows(makeEvent, total);
  const best = { format: 'TabSeparated', blockRows: 100_000 } as const;
  // Its CPU includes making the database's tables (a few hundred ms; about 1–2 µs an event at 100k).
  const rawInsert = () =>
    timed(total, async () => (await rawInsertFigures(chdbDir, rows, `paired_raw_${++databases}`, [best])).at(0)!.rowsPerSec);
  await pairsOf(
    'consumer embedded → ClickHouse against the raw insert (TabSeparated, 100k-row blocks; goal ≥ 0.8×)',
    'rows/s',
    (pair) => consumerDrain(filled, pair),
    rawInsert,
    out,
  );
  out(`load ${loadAverage()} at the end`);
}

await main();
process.exit(0);
