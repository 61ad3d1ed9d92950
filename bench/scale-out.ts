/**
 * npm run bench:scale-out — ingest on a 3-node Kafka cluster (issue 12):
 * events/s through one and through two stateless ingest processes
 * (`main.ts ingest`, only Kafka), next to the all-in-one server's ingest
 * path (`main.ts all`, on the same cluster) and Kafka's ProducerPerformance
 * on the same cluster, all measured in this run (bench/README.md).
 *
 * BENCH_EVENTS events per figure (default 100000), batches of 100 from 8
 * concurrent clients, acks=all (replication factor 3, min.insync.replicas 2).
 * ProducerPerformance runs before and after the HTTP figures (after a
 * warm-up of the brokers); the better of the two is the reference.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startPrivateCluster } from '@cordon/infra/kafka';
import { runProducerPerformance } from '@cordon/infra/kafka/producer-perf';

const total = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const batchSize = 100;
const concurrency = 8;
const key = 'bench-scale-out-key';
const serverMain = join(import.meta.dirname, '../packages/server/src/main.ts');

const towns = ['410184001', '410184002', '410184003', '410184104', '410184107', '410184109', '410184200'];
let seq = 0;
const run = randomBytes(3).toString('hex');
function makeEvent(): Record<string, unknown> {
  seq++;
  return {
    id: `0190d8a0-${run.slice(0, 4)}-7${run.slice(4, 6)}0-8000-${seq.toString(16).padStart(12, '0')}`,
    type: 'screening',
    occurredAt: `2020-02-13T${String(seq % 24).padStart(2, '0')}:00:00+08:00`,
    region: towns[seq % towns.length],
    site: `xz-cp-${String(seq % 40).padStart(3, '0')}`,
    source: 'bench',
    data: { vehicles: seq % 7, people: seq % 11, temperatureChecks: seq % 11 },
  };
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** `main.ts <command>` as `npm run <command>` runs it, on a free port; resolves once it listens. */
function startServer(command: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverMain, command], {
    env: { ...process.env, PORT: '0', CORDON_BOOTSTRAP_KEY: key, CORDON_LOG_LEVEL: 'warn', CORDON_RATE_LIMIT: '1000000/1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const seen = (data: Buffer) => {
      output += data.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) {
        child.stdout.off('data', seen);
        resolve({
          url,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then(() => reject(new Error(`${command} exited before listening: ${output.slice(-2000)}`)));
  });
}

/** Sends `count` events in batches of 100 from 8 clients, batch i to urls[i % n]; events/s. */
async function sendAll(urls: string[], count: number): Promise<number> {
  const batches = Array.from({ length: Math.ceil(count / batchSize) }, () =>
    JSON.stringify(Array.from({ length: batchSize }, () => makeEvent())),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const index = next++;
        const response = await fetch(`${urls[index % urls.length]}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: batches[index]!,
        });
        if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return (batches.length * batchSize) / ((performance.now() - started) / 1000);
}

/** A warm-up of 2000 events, then the measured run. */
async function measure(urls: string[]): Promise<number> {
  await sendAll(urls, 2000);
  return sendAll(urls, total);
}

function fmt(n: number) {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `Cordon scale-out ingest benchmark — ${total} events per figure, batches of ${batchSize}, ${concurrency} concurrent clients, ${new Date().toISOString()}`,
  );
  const given = process.env['CORDON_KAFKA_BROKERS']?.split(',');
  const cluster = given ? null : await startPrivateCluster(3);
  const brokers = given ?? cluster!.brokers;
  try {
    const sampleSize = Buffer.byteLength(JSON.stringify({ v: 1, receivedAt: new Date().toISOString(), event: makeEvent() }));
    const producerPerformance = () =>
      runProducerPerformance({ brokers, topic: `bench-scale-ref-${run}`, records: total, recordSize: sampleSize });
    // A warm-up for the brokers' JVMs (a fresh cluster's first records are slow), then the reference.
    await runProducerPerformance({ brokers, topic: `bench-scale-ref-${run}`, records: Math.min(total, 20_000), recordSize: sampleSize });
    const before = await producerPerformance();
    const kafka = { CORDON_KAFKA_BROKERS: brokers.join(',') };

    // The all-in-one server's ingest path (ClickHouse look-ups for duplicate reporting, a consumer beside it).
    const all = await startServer('all', {
      ...kafka,
      CORDON_KAFKA_TOPIC: `bench-scale-all-${run}`,
      CORDON_DATA_DIR: mkdtempSync(join(tmpdir(), 'cordon-bench-scale-')),
    });
    const allInOne = await measure([all.url]);
    await all.stop();

    const topic = { CORDON_KAFKA_TOPIC: `bench-scale-${run}` };
    const first = await startServer('ingest', { ...kafka, ...topic });
    const one = await measure([first.url]);
    const second = await startServer('ingest', { ...kafka, ...topic });
    const two = await measure([first.url, second.url]);
    await Promise.all([first.stop(), second.stop()]);
    // Again at the end: the machine's load may have changed while the processes ran.
    const after = await producerPerformance();
    const reference = before.recordsPerSec >= after.recordsPerSec ? before : after;

    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    out('');
    out(`record size ${sampleSize} bytes (one event envelope), acks=all, ${brokers.length} brokers ${brokers.join(',')}`);
    out(
      `Kafka ProducerPerformance                  ${fmt(reference.recordsPerSec).padStart(9)} records/s (the better of ${fmt(before.recordsPerSec)} before and ${fmt(after.recordsPerSec)} after)`,
    );
    out(
      `all-in-one server (npm start), ingest      ${fmt(allInOne).padStart(9)} events/s   ${ratio(allInOne, reference.recordsPerSec)} ProducerPerformance`,
    );
    out(
      `1 ingest process (npm run ingest)          ${fmt(one).padStart(9)} events/s   ${ratio(one, reference.recordsPerSec)} ProducerPerformance, ${ratio(one, allInOne)} all-in-one`,
    );
    out(
      `2 ingest processes, batches alternated     ${fmt(two).padStart(9)} events/s   ${ratio(two, reference.recordsPerSec)} ProducerPerformance, ${ratio(two, one)} one process`,
    );
  } finally {
    await cluster?.destroy();
  }
}

await main();
