/**
 * Integration tests of the Kafka EventLog against a real broker: the one the
 * global setup started (infra/kafka/vitest-global-setup.ts), and for the
 * broker-restart scenario one of the test's own, so that stopping it does not
 * disturb the other test files. Each test has its own topic and group.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startPrivateBroker, type PrivateBroker } from '@cordon/infra/kafka';
import { LogUnavailableError, type EventLog, type LogBatch, type LogConsumer, type LogRecord } from '../src/log/event-log.ts';
import { createKafkaLog } from '../src/log/kafka/kafka-log.ts';

const brokers = inject('kafkaBrokers').split(',');

/** KAFKA_LOG_TEST_DEBUG=1 prints what kafkajs and the log say, to debug a failing scenario. */
const debugLogger = process.env['KAFKA_LOG_TEST_DEBUG']
  ? (() => {
      const at = (level: string) => (obj: object, msg?: string) =>
        process.stderr.write(`${new Date().toISOString()} ${level} ${msg ?? ''} ${JSON.stringify(obj).slice(0, 400)}\n`);
      return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    })()
  : undefined;

/** Resources of the running test, released after it whatever happened. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function openLog(
  options: { brokers?: string[]; topic?: string; appendTimeoutMs?: number; sessionTimeoutMs?: number } = {},
): Promise<EventLog> {
  const log = await createKafkaLog({
    brokers: options.brokers ?? brokers,
    topic: options.topic ?? `test-${randomUUID()}`,
    clientId: 'kafka-log-test',
    redeliveryBackoff: { initialMs: 50, maxMs: 500 },
    ...(debugLogger
      ? { logger: debugLogger, logLevel: (process.env['KAFKA_LOG_TEST_DEBUG'] === 'debug' ? 'debug' : 'info') as 'debug' | 'info' }
      : {}),
    ...(options.appendTimeoutMs === undefined ? {} : { appendTimeoutMs: options.appendTimeoutMs }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  });
  cleanups.push(() => log.close());
  return log;
}

async function startConsumer(
  log: EventLog,
  groupId: string,
  onBatch: (batch: LogBatch) => Promise<void>,
  maxBatchRecords?: number,
): Promise<LogConsumer> {
  const consumer = await log.consume({ groupId, onBatch, ...(maxBatchRecords === undefined ? {} : { maxBatchRecords }) });
  cleanups.push(() => consumer.stop());
  return consumer;
}

/** Polls until `condition` holds; never a fixed sleep. */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function records(prefix: string, count: number, keys: number): { key: string; value: Buffer }[] {
  return Array.from({ length: count }, (_, i) => ({ key: `key-${i % keys}`, value: Buffer.from(`${prefix}-${i}`) }));
}

/** Every record the handler saw, in the order it saw them. */
function collector(): { seen: LogRecord[]; values: () => string[]; onBatch: (batch: LogBatch) => Promise<void> } {
  const seen: LogRecord[] = [];
  return {
    seen,
    values: () => seen.map((record) => record.value.toString()),
    onBatch: async (batch) => {
      for (const record of batch.records) {
        expect(record.partition).toBe(batch.partition);
        seen.push(record);
      }
    },
  };
}

/** Reads a whole topic from the start with a fresh group: the log as it is, independent of the code under test. */
async function readTopic(
  bootstrap: string[],
  topic: string,
  expected: number,
): Promise<{ partition: number; offset: string; key: string; value: string; headers: Record<string, string> }[]> {
  const kafka = new Kafka({ brokers: bootstrap, clientId: 'kafka-log-test-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const out: { partition: number; offset: string; key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        out.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers,
        });
      },
    });
    await waitFor(() => out.length >= expected, `${expected} records in ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

describe('createKafkaLog', () => {
  it('appends and consumes back every record', async () => {
    const log = await openLog();
    expect(log.kind).toBe('kafka');
    const sent = records('round-trip', 500, 17);
    await log.append(sent.slice(0, 200));
    await log.append(sent.slice(200));

    const got = collector();
    await startConsumer(log, `group-${randomUUID()}`, got.onBatch);
    await waitFor(() => got.seen.length >= sent.length, 'all records consumed');

    expect(got.values().sort()).toEqual(sent.map((r) => r.value.toString()).sort());
    for (const record of got.seen) {
      expect(record.key).toBe(sent[Number(record.value.toString().split('-').pop())]!.key);
      expect(typeof record.offset).toBe('bigint');
    }
  });

  it('keeps one key on one partition, in append order, across appends and concurrent callers', async () => {
    const log = await openLog();
    // Concurrent appends are queued in call order: the values of one key must
    // come back in exactly that order.
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        log.append(Array.from({ length: 25 }, (_, i) => ({ key: `key-${i % 4}`, value: Buffer.from(String(n * 25 + i)) }))),
      ),
    );
    const got = collector();
    await startConsumer(log, `group-${randomUUID()}`, got.onBatch, 7);
    await waitFor(() => got.seen.length >= 500, 'all records consumed');

    const byKey = new Map<string, LogRecord[]>();
    for (const record of got.seen) byKey.set(record.key, [...(byKey.get(record.key) ?? []), record]);
    expect(byKey.size).toBe(4);
    for (const list of byKey.values()) {
      expect(new Set(list.map((r) => r.partition)).size).toBe(1);
      const values = list.map((r) => Number(r.value.toString()));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      const offsets = list.map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });

  it('hands at most maxBatchRecords records to onBatch', async () => {
    const log = await openLog();
    await log.append(records('chunks', 300, 1));
    const sizes: number[] = [];
    let total = 0;
    await startConsumer(
      log,
      `group-${randomUUID()}`,
      async (batch) => {
        sizes.push(batch.records.length);
        total += batch.records.length;
      },
      40,
    );
    await waitFor(() => total >= 300, 'all records consumed');
    expect(Math.max(...sizes)).toBeLessThanOrEqual(40);
  });

  it('delivers the same records again after onBatch rejects, and commits only once it resolves', async () => {
    const log = await openLog();
    await log.append(records('redeliver', 30, 1));
    const groupId = `group-${randomUUID()}`;
    const attempts: string[][] = [];
    let failuresLeft = 3;
    await startConsumer(log, groupId, async (batch) => {
      attempts.push(batch.records.map((r) => `${r.offset}:${r.value.toString()}`));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('handler failed');
      }
    });
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0 after the retries');
    // Three rejected deliveries, then the same records once more.
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    for (const attempt of attempts.slice(1, 4)) expect(attempt).toEqual(attempts[0]);
    expect(attempts.slice(3).flat().length).toBe(30);
  });

  it('commits nothing before onBatch resolves: a new consumer of the group sees the records again', async () => {
    const log = await openLog();
    await log.append(records('no-commit', 50, 5));
    const groupId = `group-${randomUUID()}`;

    const first = collector();
    const failing = await startConsumer(log, groupId, async (batch) => {
      await first.onBatch(batch);
      throw new Error('never done');
    });
    await waitFor(() => new Set(first.values()).size >= 50, 'the first consumer saw every record');
    await failing.stop();
    expect(await log.lag(groupId)).toBe(50);

    const second = collector();
    await startConsumer(log, groupId, second.onBatch);
    await waitFor(() => second.seen.length >= 50, 'the second consumer saw every record');
    expect(new Set(second.values())).toEqual(new Set(first.values()));
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0');
  });

  it('stop() waits for the batch in hand and commits it', async () => {
    const log = await openLog();
    await log.append(records('stop', 10, 1));
    const groupId = `group-${randomUUID()}`;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const consumer = await startConsumer(log, groupId, async () => {
      entered = true;
      await released;
    });
    await waitFor(() => entered, 'onBatch entered');
    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    // Probe a few event-loop turns: stop must still be pending.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await log.lag(groupId)).toBe(0);
  });

  it('keeps the group membership while onBatch runs longer than the session timeout', async () => {
    // The broker's smallest session timeout (6 s); the handler takes longer.
    const log = await openLog({ sessionTimeoutMs: 6_000 });
    await log.append(records('slow', 10, 1));
    const groupId = `group-${randomUUID()}`;
    let deliveries = 0;
    await startConsumer(log, groupId, async () => {
      deliveries += 1;
      if (deliveries === 1) await new Promise((resolve) => setTimeout(resolve, 8_000));
    });
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0 after the slow batch');
    // Committed on the first delivery: the member was not expelled mid-batch.
    expect(deliveries).toBe(1);
  });

  it('counts lag from the low watermark until the group commits, down to 0', async () => {
    const log = await openLog();
    const groupId = `group-${randomUUID()}`;
    expect(await log.lag(groupId)).toBe(0);
    await log.append(records('lag', 120, 9));
    expect(await log.lag(groupId)).toBe(120);
    await startConsumer(log, groupId, async () => {});
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0');
    await log.append(records('lag-more', 30, 9));
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0 again');
  });

  it('reads the lag right after creating the topics, while the broker may still answer "not the leader" (issue 11)', async () => {
    // Just after CreateTopics the broker answers ListOffsets for the new
    // partitions with "This server is not the leader for that
    // topic-partition" for a moment, and kafkajs's admin hands that back:
    // read once, without the retry, 11 and 12 of 20 fresh topics failed so
    // (on this broker and on a fresh one). Ten in a row all must answer.
    const lags: number[] = [];
    for (let i = 0; i < 10; i++) {
      const log = await openLog();
      lags.push(await log.lag(`group-${randomUUID()}`));
      await log.append(records('fresh', 7, 3));
      lags.push(await log.lag(`group-${randomUUID()}`));
    }
    expect(lags).toEqual(Array.from({ length: 10 }, () => [0, 7]).flat());
  });

  it('writes dead letters to <topic>.dlq with the reason and the original position', async () => {
    const topic = `test-${randomUUID()}`;
    const log = await openLog({ topic });
    await log.append([{ key: 'poison-key', value: Buffer.from('{not json') }]);
    let poison: LogRecord | undefined;
    await startConsumer(log, `group-${randomUUID()}`, async (batch) => {
      for (const record of batch.records) {
        await log.deadLetter(record, 'invalid JSON');
        poison = record;
      }
    });
    await waitFor(() => poison !== undefined, 'the poison record handled');

    const [letter] = await readTopic(brokers, `${topic}.dlq`, 1);
    expect(letter).toMatchObject({
      key: 'poison-key',
      value: '{not json',
      headers: {
        reason: 'invalid JSON',
        'original-topic': topic,
        'original-partition': String(poison!.partition),
        'original-offset': poison!.offset.toString(),
      },
    });
  });

  it('splits an append larger than one request and keeps it whole and in order', async () => {
    const log = await openLog();
    // 3 MiB in one append: over the broker's 1 MiB batch limit if sent at once.
    const big = Array.from({ length: 3_000 }, (_, i) => ({ key: 'one-key', value: Buffer.alloc(1_024, i % 251) }));
    await log.append(big);
    const got = collector();
    await startConsumer(log, `group-${randomUUID()}`, got.onBatch);
    await waitFor(() => got.seen.length >= 3_000, 'all records consumed');
    expect(got.seen.map((r) => r.value[0])).toEqual(big.map((r) => r.value[0]));
  });

  it('refuses a record over the broker limit with a non-retriable error, without failing other appends', async () => {
    const log = await openLog();
    const [big, small] = await Promise.allSettled([
      log.append([{ key: 'big', value: Buffer.alloc(2 * 1024 * 1024, 1) }]),
      log.append([{ key: 'small', value: Buffer.from('fine') }]),
    ]);
    expect(big.status).toBe('rejected');
    const reason = big.status === 'rejected' ? (big.reason as unknown) : undefined;
    expect(reason).toBeInstanceOf(Error);
    expect(reason).not.toBeInstanceOf(LogUnavailableError);
    expect(String(reason)).toMatch(/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
    expect(small.status).toBe('fulfilled');
  });

  // Its own timeout: three waits of up to 60 s each (the broker's start, the
  // consumer's rejoin after the session expires, the lag) on a shared machine.
  it('rejects quickly with LogUnavailableError while the broker is down, then recovers without losing or doubling an acknowledged record', async () => {
    const broker: PrivateBroker = await startPrivateBroker();
    cleanups.push(() => broker.destroy());
    const bootstrap = [broker.bootstrap];
    const topic = `test-${randomUUID()}`;
    const log = await openLog({ brokers: bootstrap, topic, appendTimeoutMs: 5_000 });
    const groupId = `group-${randomUUID()}`;
    const got = collector();
    await startConsumer(log, groupId, got.onBatch);

    const acked: { key: string; value: string }[] = [];
    let next = 0;
    async function appendOne(): Promise<void> {
      const record = { key: `key-${next % 5}`, value: `restart-${next}` };
      next += 1;
      await log.append([{ key: record.key, value: Buffer.from(record.value) }]);
      acked.push(record);
    }

    for (let i = 0; i < 50; i++) await appendOne();
    await waitFor(() => got.seen.length >= 50, 'records consumed before the stop');

    // Down mid-stream: appends fail fast and clearly.
    await broker.stop();
    const startedAt = Date.now();
    const failure = await appendOne().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LogUnavailableError);
    expect(Date.now() - startedAt).toBeLessThan(10_000);

    // Back up: the same producer path works again and the consumer resumes.
    await broker.start();
    await waitFor(
      async () => {
        try {
          await appendOne();
          return true;
        } catch {
          return false;
        }
      },
      'an append to succeed after the restart',
      60_000,
    );
    for (let i = 0; i < 50; i++) await appendOne();

    const ackedValues = new Set(acked.map((r) => r.value));
    await waitFor(() => [...ackedValues].every((v) => got.values().includes(v)), 'every acknowledged record consumed', 60_000);

    // In the log itself: each acknowledged record exactly once, in ack order per key.
    const all = await readTopic(bootstrap, topic, acked.length);
    const ackedInLog = all.filter((r) => ackedValues.has(r.value));
    expect(ackedInLog.length).toBe(acked.length);
    for (let k = 0; k < 5; k++) {
      const key = `key-${k}`;
      const inLog = ackedInLog
        .filter((r) => r.key === key)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
        .map((r) => r.value);
      expect(inLog).toEqual(acked.filter((r) => r.key === key).map((r) => r.value));
    }
    await waitFor(async () => (await log.lag(groupId)) === 0, 'lag 0 after the restart', 60_000);
  }, 240_000);
});
