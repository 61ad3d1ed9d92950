/**
 * npm run bench:ingest — ingest speed as ratios against references measured
 * in the same run, on the same machine (bench/README.md).
 *
 *  1. HTTP → Kafka: events/s through POST /v1/events (batches of 100, acks=all)
 *     next to Kafka's own ProducerPerformance on the same broker and acks.
 *  2. HTTP → embedded log: the same, fsync'd, next to a bare node:http server
 *     that reads and JSON.parses the same bodies (bench/ingest/bare-http.ts).
 *  3. Consumer: rows/s from the log into ClickHouse (chDB) next to the best
 *     raw insert of the same rows into the same tables (every text format the
 *     client can send, blocks of 5k/20k/100k: bench/ingest/raw-insert.ts).
 *  4. Freshness: time from a 200 to the figure showing in /v1/aggregates, one
 *     event at a time and under a steady 2,000 events/s.
 *  5. Where the time goes: a CPU profile of each ingest and consumer phase,
 *     by stage (bench/ingest/profile.ts).
 *
 * Sizes: BENCH_EVENTS (default 100000), BENCH_PACED_SECONDS (default 30).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '@cordon/ingest';
import { connectClickHouse } from '@cordon/clickhouse';
import { readConfig, type CordonConfig, startCordon, type CordonRuntime, type Role } from '@cordon/server';
import { freePort, runKafkaScript } from '@cordon/infra/kafka';
import { runProducerPerformance } from '@cordon/infra/kafka/producer-perf';
import { bodies, eventMaker, sendAll } from './ingest/events.ts';
import { consumerStages, ingestStages, profiled, stageLines, type StageTimes } from './ingest/profile.ts';
import { consumerRows, rawInsertFigures } from './ingest/raw-insert.ts';
import { startBareServer } from './ingest/bare-http.ts';
import { pacedFreshness, probeEvent, quantile, waitForProbes, type PacedFreshness } from './ingest/paced-freshness.ts';

const total = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const pacedSeconds = Number(process.env['BENCH_PACED_SECONDS'] ?? 30);
const pacedRate = 2_000;
const batchSize = 100;
const concurrency = 8;
const key = 'bench-admin-key';
const run = randomBytes(3).toString('hex');
const makeEvent = eventMaker();
let refRuns = 0;

/** One chDB engine for the whole run (one data folder per process); each phase gets its own database. */
const chdbDir = mkdtempSync(join(tmpdir(), 'cordon-bench-chdb-'));

async function startServer(options: {
  kafka: string[] | null;
  topic: string;
  dataDir: string;
  database: string;
  roles: Role[];
}): Promise<CordonRuntime> {
  const config: CordonConfig = {
    ...readConfig({}),
    port: await freePort(),
    dataDir: options.dataDir,
    bootstrapKey: key,
    kafkaBrokers: options.kafka,
    kafkaTopic: options.topic,
  };
  const clickhouse = await connectClickHouse({ dataDir: chdbDir, database: options.database });
  return startCordon(config, {
    roles: options.roles,
    logger: silentLogger,
    listen: options.roles.includes('ingest'),
    clickhouse,
    groupId: `bench-${options.database}`,
  });
}

/** Time from a 200 to the figure showing in /v1/aggregates, for `samples` single events. */
async function freshness(runtime: CordonRuntime, samples: number): Promise<{ p50: number; p99: number }> {
  const url = runtime.url!;
  // Every probe on one day of its own (no other event of the bench falls on it): the nth probe makes the figure n.
  const day = '2020-03-01';
  const times: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([probeEvent(makeEvent, day)]),
    });
    await response.arrayBuffer();
    const acked = performance.now();
    await waitForProbes(url, key, day, i, 2);
    times.push(performance.now() - acked);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/**
 * Fills a log through HTTP with no consumer running, then starts the
 * consumer alone on it and times the drain: rows/s into ClickHouse. Both
 * phases under the CPU profiler. Then the all-in-one server on the same log
 * for the freshness figures.
 */
async function ingestThenConsume(
  kafka: string[] | null,
  name: string,
  adjacent: { afterIngest: () => Promise<number>; afterConsume: () => Promise<number> },
) {
  const topic = `bench-${name}-${run}`;
  const dataDir = mkdtempSync(join(tmpdir(), `cordon-bench-${name}-`));
  const database = `${name}_${run}`;
  const batches = bodies(makeEvent, total, batchSize);
  const ingest = await startServer({ kafka, topic, dataDir, database, roles: ['ingest'] });
  const sending = await profiled(ingestStages, () => sendAll(batches, { batchSize, concurrency, key, target: () => ingest.url! }));
  await ingest.close();
  // The reference again, right after: this machine's speed moved by up to
  // 1.75× within four minutes with nothing else running (other tenants of
  // the host), so a ratio is only as good as its reference is close in time.
  const ingestReference = await adjacent.afterIngest();
  const consumer = await startServer({ kafka, topic, dataDir, database, roles: ['consumer'] });
  const consuming = await profiled(consumerStages, () => consumer.settled(600_000));
  // From the first batch in hand to the last one committed: start-up (tables,
  // registry, joining the Kafka group) is not consuming, as the JVM start is
  // not in ProducerPerformance's figure.
  const { firstBatchAt, lastBatchAt, counted } = consumer.consumer!.stats;
  const consumerRowsPerSec = counted / ((lastBatchAt! - firstBatchAt!) / 1000);
  await consumer.close();
  const consumerReference = await adjacent.afterConsume();
  const live = await startServer({ kafka, topic, dataDir, database, roles: ['ingest', 'consumer', 'query'] });
  const fresh = await freshness(live, 200);
  const paced = await pacedFreshness({
    url: live.url!,
    key,
    make: makeEvent,
    eventsPerSec: pacedRate,
    batchSize: 20,
    seconds: pacedSeconds,
    probeEveryMs: 100,
  });
  await live.close();
  return {
    eventsPerSec: sending.result,
    ingestReference,
    ingestStages: sending.stages,
    consumerRowsPerSec,
    consumerReference,
    consumerStages: consuming.stages,
    counted,
    fresh,
    paced,
  };
}

function fmt(n: number) {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `Cordon ingest benchmark — ${total} events, batches of ${batchSize}, ${concurrency} concurrent clients, ${new Date().toISOString()}, load ${loadAverage()}`,
  );

  // A broker of our own, unless one is given.
  let brokers = process.env['CORDON_KAFKA_BROKERS']?.split(',') ?? null;
  let place: { port: number; dataDir: string } | null = null;
  if (!brokers) {
    place = { port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'cordon-bench-kafka-')) };
    brokers = [await runKafkaScript(['up'], place)];
  }
  try {
    const sampleSize = Buffer.byteLength(JSON.stringify({ v: 1, receivedAt: new Date().toISOString(), event: makeEvent() }));
    const producerPerformance = async () =>
      (await runProducerPerformance({ brokers: brokers!, topic: `bench-ref-${run}-${++refRuns}`, records: total, recordSize: sampleSize }))
        .recordsPerSec;
    const bareHttp = async () => {
      const bare = await startBareServer();
      const eventsPerSec = await sendAll(bodies(makeEvent, total, batchSize), { batchSize, concurrency, target: () => bare.url });
      await bare.close();
      return eventsPerSec;
    };
    const producerRecordsPerSec = await producerPerformance();
    const bareEventsPerSec = await bareHttp();
    const rows = consumerRows(makeEvent, total);
    const raw = await rawInsertFigures(chdbDir, rows, run);
    const best = raw.reduce((a, b) => (b.rowsPerSec > a.rowsPerSec ? b : a));
    const ceiling = async () => (await rawInsertFigures(chdbDir, rows, `${run}_${++refRuns}`, [best])).at(0)!.rowsPerSec;
    const kafka = await ingestThenConsume(brokers, 'kafka', { afterIngest: producerPerformance, afterConsume: ceiling });
    const embedded = await ingestThenConsume(null, 'embedded', { afterIngest: bareHttp, afterConsume: ceiling });

    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    const stages = (title: string, times: StageTimes, events: number) => {
      out(`  ${title}: ${fmt(times.wallMs)} ms wall, main thread by stage (CPU profile):`);
      for (const line of stageLines(times, events, ['bench client (undici)'])) out(line);
    };
    const pacedLine = (p: PacedFreshness) =>
      `p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, max ${p.max.toFixed(1)} ms over ${p.probes} probes at ${fmt(p.achievedPerSec)} events/s`;
    out('');
    out(`record size ${sampleSize} bytes (one event envelope), acks=all, no compression, broker ${brokers.join(',')}`);
    out(`Kafka ProducerPerformance           ${fmt(producerRecordsPerSec).padStart(9)} records/s`);
    out(`bare node:http (read + JSON.parse)  ${fmt(bareEventsPerSec).padStart(9)} events/s`);
    out(
      `HTTP → Kafka   (POST /v1/events)    ${fmt(kafka.eventsPerSec).padStart(9)} events/s   ${ratio(kafka.eventsPerSec, producerRecordsPerSec)} ProducerPerformance (goal ≥ 0.6×), ${ratio(kafka.eventsPerSec, bareEventsPerSec)} bare node:http`,
    );
    out(
      `    ProducerPerformance again, right after it: ${fmt(kafka.ingestReference)} records/s; ${ratio(kafka.eventsPerSec, kafka.ingestReference)} of that`,
    );
    out(
      `HTTP → embedded log                 ${fmt(embedded.eventsPerSec).padStart(9)} events/s   ${ratio(embedded.eventsPerSec, bareEventsPerSec)} bare node:http (goal ≥ 0.5×), ${ratio(embedded.eventsPerSec, producerRecordsPerSec)} ProducerPerformance`,
    );
    out(
      `    bare node:http again, right after it: ${fmt(embedded.ingestReference)} events/s; ${ratio(embedded.eventsPerSec, embedded.ingestReference)} of that`,
    );
    out(`raw chDB insert of the consumer's rows into the same tables (rows/s):`);
    for (const f of raw) out(`    ${f.format.padEnd(30)} ${String(f.blockRows).padStart(6)}-row blocks ${fmt(f.rowsPerSec).padStart(9)}`);
    out(`  best: ${best.format}, ${best.blockRows}-row blocks: ${fmt(best.rowsPerSec)} rows/s (the ceiling)`);
    out(
      `consumer Kafka → ClickHouse         ${fmt(kafka.consumerRowsPerSec).padStart(9)} rows/s     ${ratio(kafka.consumerRowsPerSec, best.rowsPerSec)} the best raw insert (goal ≥ 0.8×)`,
    );
    out(
      `    the ceiling's insert again, right after it: ${fmt(kafka.consumerReference)} rows/s; ${ratio(kafka.consumerRowsPerSec, kafka.consumerReference)} of that`,
    );
    out(
      `consumer embedded → ClickHouse      ${fmt(embedded.consumerRowsPerSec).padStart(9)} rows/s     ${ratio(embedded.consumerRowsPerSec, best.rowsPerSec)} the best raw insert`,
    );
    out(
      `    the ceiling's insert again, right after it: ${fmt(embedded.consumerReference)} rows/s; ${ratio(embedded.consumerRowsPerSec, embedded.consumerReference)} of that`,
    );
    out(
      `freshness 200 → figure, one at a time: Kafka p50 ${kafka.fresh.p50.toFixed(1)} / p99 ${kafka.fresh.p99.toFixed(1)} ms; embedded p50 ${embedded.fresh.p50.toFixed(1)} / p99 ${embedded.fresh.p99.toFixed(1)} ms`,
    );
    out(`freshness at a steady ${fmt(pacedRate)} events/s for ${pacedSeconds} s (goal p99 < 100 ms):`);
    out(`    Kafka     ${pacedLine(kafka.paced)}`);
    out(`    embedded  ${pacedLine(embedded.paced)}`);
    out('');
    out(
      'where the time goes (µs of main-thread time per event; "waiting": the thread idle, i.e. chDB, the broker, the disk or the clients):',
    );
    stages('ingest, HTTP → Kafka', kafka.ingestStages, total);
    stages('ingest, HTTP → embedded log', embedded.ingestStages, total);
    stages('consumer, Kafka → ClickHouse', kafka.consumerStages, kafka.counted);
    stages('consumer, embedded → ClickHouse', embedded.consumerStages, embedded.counted);
    out(`load ${loadAverage()} at the end`);
  } finally {
    if (place) await runKafkaScript(['down'], place);
  }
}

await main();
