/**
 * npm run bench:ingest — ingest speed as ratios against references measured
 * in the same run, on the same machine (bench/README.md).
 *
 *  1. HTTP → Kafka: events/s through POST /v1/events (batches of 100, acks=all)
 *     next to Kafka's own ProducerPerformance on the same broker and acks.
 *  2. HTTP → embedded log: the same, fsync'd to the data folder.
 *  3. Consumer: rows/s from the log into ClickHouse (chDB) next to a raw chDB
 *     insert of the same rows in batches of the same size.
 *  4. Freshness: time from a 200 to the figure showing in /v1/aggregates.
 *
 * Sizes can be scaled with BENCH_EVENTS (default 100000).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectClickHouse, migrate } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { createDayOf, eventSchema } from '@cordon/schemas';
import { readConfig, type CordonConfig, startCordon, type CordonRuntime, type Role } from '@cordon/server';
import { eventRow, writeRows } from '@cordon/ingest';
import { freePort, runKafkaScript } from '@cordon/infra/kafka';
import { runProducerPerformance } from '@cordon/infra/kafka/producer-perf';

const total = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const batchSize = 100;
const concurrency = 8;
const key = 'bench-admin-key';

const towns = ['410184001', '410184002', '410184003', '410184104', '410184107', '410184109', '410184200'];
let seq = 0;
const run = randomBytes(3).toString('hex');
function makeEvent(day = 13): Record<string, unknown> {
  seq++;
  return {
    id: `0190d8a0-${run.slice(0, 4)}-7${run.slice(4, 6)}0-8000-${seq.toString(16).padStart(12, '0')}`,
    type: 'screening',
    occurredAt: `2020-02-${String(day).padStart(2, '0')}T${String(seq % 24).padStart(2, '0')}:00:00+08:00`,
    region: towns[seq % towns.length],
    site: `xz-cp-${String(seq % 40).padStart(3, '0')}`,
    source: 'bench',
    data: { vehicles: seq % 7, people: seq % 11, temperatureChecks: seq % 11 },
  };
}

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

/** Sends `count` events in batches of 100 from `concurrency` clients; events/s. */
async function sendAll(url: string, count: number): Promise<number> {
  const batches = Array.from({ length: Math.ceil(count / batchSize) }, () =>
    JSON.stringify(Array.from({ length: batchSize }, () => makeEvent())),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const body = batches[next++]!;
        const response = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return (batches.length * batchSize) / ((performance.now() - started) / 1000);
}

/** Time from a 200 to the figure showing in /v1/aggregates, for `samples` single events. */
async function freshness(runtime: CordonRuntime, samples: number): Promise<{ p50: number; p99: number }> {
  const url = runtime.url!;
  const figureUrl = `${url}/v1/aggregates?metrics=temperature_checks&region=410184&from=2020-03-01&to=2020-03-01`;
  const read = async () =>
    ((await (await fetch(figureUrl, { headers: { authorization: `Bearer ${key}` } })).json()) as { totals: { temperature_checks: number } })
      .totals.temperature_checks;
  let expected = await read();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const e = { ...makeEvent(), occurredAt: '2020-03-01T10:00:00+08:00', data: { vehicles: 0, people: 0, temperatureChecks: 1 } };
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([e]),
    });
    await response.arrayBuffer();
    const acked = performance.now();
    expected++;
    while ((await read()) < expected) await new Promise((r) => setTimeout(r, 2));
    times.push(performance.now() - acked);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]! };
}

/** Raw chDB insert of rows like the consumer's, in blocks of the consumer's batch size, into the same tables. */
async function rawInsertRowsPerSecond(count: number, blockRows: number): Promise<number> {
  const ch = await connectClickHouse({ dataDir: chdbDir, database: `raw_${run}` });
  await migrate(ch);
  const dayOf = createDayOf('Asia/Shanghai');
  const rows = Array.from({ length: count }, (_, i) =>
    eventRow(eventSchema.parse(makeEvent()), { receivedAt: new Date().toISOString(), partition: 0, offset: BigInt(i), dayOf }),
  );
  const started = performance.now();
  for (let i = 0; i < rows.length; i += blockRows) await writeRows(ch, rows.slice(i, i + blockRows));
  return count / ((performance.now() - started) / 1000);
}

/**
 * Fills a log through HTTP with no consumer running, then starts the
 * consumer alone on it and times the drain: rows/s into ClickHouse.
 */
async function ingestThenConsume(kafka: string[] | null, name: string) {
  const topic = `bench-${name}-${run}`;
  const dataDir = mkdtempSync(join(tmpdir(), `cordon-bench-${name}-`));
  const database = `${name}_${run}`;
  const ingest = await startServer({ kafka, topic, dataDir, database, roles: ['ingest'] });
  const eventsPerSec = await sendAll(ingest.url!, total);
  await ingest.close();
  const consumer = await startServer({ kafka, topic, dataDir, database, roles: ['consumer'] });
  await consumer.settled(600_000);
  // From the first batch in hand to the last one committed: start-up (tables,
  // registry, joining the Kafka group) is not consuming, as the JVM start is
  // not in ProducerPerformance's figure.
  const { firstBatchAt, lastBatchAt, counted } = consumer.consumer!.stats;
  const consumerRowsPerSec = counted / ((lastBatchAt! - firstBatchAt!) / 1000);
  await consumer.close();
  const live = await startServer({ kafka, topic, dataDir, database, roles: ['ingest', 'consumer', 'query'] });
  const fresh = await freshness(live, 200);
  await live.close();
  return { eventsPerSec, consumerRowsPerSec, fresh };
}

function fmt(n: number) {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Cordon ingest benchmark — ${total} events, batches of ${batchSize}, ${concurrency} concurrent clients, ${new Date().toISOString()}`);

  // A broker of our own, unless one is given.
  let brokers = process.env['CORDON_KAFKA_BROKERS']?.split(',') ?? null;
  let place: { port: number; dataDir: string } | null = null;
  if (!brokers) {
    place = { port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'cordon-bench-kafka-')) };
    brokers = [await runKafkaScript(['up'], place)];
  }
  try {
    const sampleSize = Buffer.byteLength(JSON.stringify({ v: 1, receivedAt: new Date().toISOString(), event: makeEvent() }));
    const reference = await runProducerPerformance({ brokers, topic: `bench-ref-${run}`, records: total, recordSize: sampleSize });
    const kafka = await ingestThenConsume(brokers, 'kafka');
    const embedded = await ingestThenConsume(null, 'embedded');
    const raw = await rawInsertRowsPerSecond(total, 5000);

    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    out('');
    out(`record size ${sampleSize} bytes (one event envelope), acks=all, broker ${brokers.join(',')}`);
    out(`Kafka ProducerPerformance           ${fmt(reference.recordsPerSec).padStart(9)} records/s`);
    out(
      `HTTP → Kafka   (POST /v1/events)    ${fmt(kafka.eventsPerSec).padStart(9)} events/s   ${ratio(kafka.eventsPerSec, reference.recordsPerSec)} ProducerPerformance (goal ≥ 0.3×)`,
    );
    out(
      `HTTP → embedded log                 ${fmt(embedded.eventsPerSec).padStart(9)} events/s   ${ratio(embedded.eventsPerSec, reference.recordsPerSec)} ProducerPerformance`,
    );
    out(`raw chDB insert (5000-row blocks)   ${fmt(raw).padStart(9)} rows/s`);
    out(
      `consumer Kafka → ClickHouse         ${fmt(kafka.consumerRowsPerSec).padStart(9)} rows/s     ${ratio(kafka.consumerRowsPerSec, raw)} raw insert (goal ≥ 0.5×)`,
    );
    out(
      `consumer embedded → ClickHouse      ${fmt(embedded.consumerRowsPerSec).padStart(9)} rows/s     ${ratio(embedded.consumerRowsPerSec, raw)} raw insert`,
    );
    out(
      `freshness 200 → figure, Kafka       p50 ${kafka.fresh.p50.toFixed(1)} ms, p99 ${kafka.fresh.p99.toFixed(1)} ms (goal p99 < 2000 ms)`,
    );
    out(`freshness 200 → figure, embedded    p50 ${embedded.fresh.p50.toFixed(1)} ms, p99 ${embedded.fresh.p99.toFixed(1)} ms`);
  } finally {
    if (place) await runKafkaScript(['down'], place);
  }
}

await main();
