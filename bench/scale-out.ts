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
import { bodies, eventMaker, sendAll } from './ingest/events.ts';

const total = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const batchSize = 100;
const concurrency = 8;
const key = 'bench-scale-out-key';
const serverMain = join(import.meta.dirname, '../packages/server/src/main.ts');

const makeEvent = eventMaker();
const run = randomBytes(3).toString('hex');

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
function sendTo(urls: string[], count: number): Promise<number> {
  let turn = 0;
  return sendAll(bodies(makeEvent, count, batchSize), { batchSize, concurrency, key, target: () => urls[turn++ % urls.length]! });
}

/** A warm-up of 2000 events, then the measured run. */
async function measure(urls: string[]): Promise<number> {
  await sendTo(urls, 2000);
  return sendTo(urls, total);
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
