/**
 * The EventLog on Apache Kafka, through kafkajs: this file puts the parts
 * together, each with one job, as kafkajs splits its own consumer (runner,
 * group, offsets):
 *
 * - `client.ts`: the kafkajs client (connection settings, log forwarding),
 *   shared with the Kafka admin log;
 * - `producer.ts`: appends and dead letters, a queue with group commit in
 *   front of one idempotent producer;
 * - `consumer.ts`: consumer groups, manual commits, redelivery and restarts;
 * - `admin.ts`: topic creation, lag, committed offsets, rewind;
 * - `errors.ts`: what a caller sees of kafkajs's errors.
 *
 * Redelivery, consumer restarts and admin retries share the one retry policy
 * of both logs (`../retry-policy.ts`), which reads the errors' `retriable`
 * flag.
 */
import type { Logger } from '../../logger.ts';
import type { EventLog, LogConsumer, LogRecord } from '../event-log.ts';
import { createRetryPolicy } from '../retry-policy.ts';
import { createKafkaAdmin } from './admin.ts';
import { createKafkaClient, type KafkaLogLevel } from './client.ts';
import { startKafkaConsumer } from './consumer.ts';
import { deadLetterMessage } from './messages.ts';
import { createProducerQueue } from './producer.ts';

export type { KafkaLogLevel } from './client.ts';

export interface KafkaLogOptions {
  /** Bootstrap servers, "host:port". */
  brokers: string[];
  /** The events topic; `<topic>.dlq` holds the dead letters. Both are created if missing. */
  topic: string;
  clientId?: string;
  /** Partitions of the topics when this creates them (default 3). Existing topics are left as they are. */
  partitions?: number;
  /** Replication factor of the topics when this creates them (default: the brokers' default.replication.factor, at most the brokers there are). */
  replicationFactor?: number;
  /** Where kafkajs's own messages go (default: nowhere). */
  logger?: Logger;
  /** The least severe kafkajs message passed to the logger (default "warn"). */
  logLevel?: KafkaLogLevel;
  /** An append rejects with LogUnavailableError after this long without an acknowledgement (default 8000 ms). */
  appendTimeoutMs?: number;
  /**
   * Records are sent in requests of at most about this many bytes. kafkajs puts
   * all of a request's records for one partition in one record batch, and the
   * broker refuses batches over message.max.bytes (1 MiB by default).
   */
  maxRequestBytes?: number;
  /**
   * Consumer group session timeout (default 10 s; the broker accepts 6 s to 5 min).
   * A member that has not heartbeaten for this long is dropped from the group.
   * kafkajs heartbeats between batches, so onBatch must finish well within it.
   */
  sessionTimeoutMs?: number;
  /** Backoff before a rejected batch is redelivered: doubles from initialMs up to maxMs (default 200 ms to 5 s). */
  redeliveryBackoff?: { initialMs: number; maxMs: number };
}

const DEFAULT_APPEND_TIMEOUT_MS = 8_000;
const DEFAULT_MAX_REQUEST_BYTES = 900_000;

/** Creates the topics if missing and returns the log; rejects with LogUnavailableError when no broker answers. */
export async function createKafkaLog(options: KafkaLogOptions): Promise<EventLog> {
  const topic = options.topic;
  const dlqTopic = `${topic}.dlq`;
  const logger = options.logger;
  const partitions = options.partitions ?? 3;
  const kafka = createKafkaClient({ brokers: options.brokers, clientId: options.clientId ?? 'cordon', logger, logLevel: options.logLevel });
  const admin = createKafkaAdmin(kafka, { topic });

  const replicationFactor = options.replicationFactor ?? (await admin.replicationFactor());
  const created = await admin.createTopics(
    [topic, dlqTopic].map((name) => ({ topic: name, numPartitions: partitions, replicationFactor })),
  );
  logger?.debug({ topic, dlqTopic, created }, 'kafka topics ready');

  let closed = false;
  const producer = createProducerQueue(kafka, {
    topic,
    appendTimeoutMs: options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    logger,
  });
  const consumers = new Set<LogConsumer>();
  const retry = createRetryPolicy(options.redeliveryBackoff ?? { initialMs: 200, maxMs: 5_000 });

  function deadLetter(record: LogRecord, reason: string): Promise<void> {
    if (closed) return Promise.reject(new Error('the Kafka log is closed'));
    return producer.send(dlqTopic, [deadLetterMessage(topic, record, reason)]);
  }

  return {
    kind: 'kafka',

    append(records) {
      if (closed) return Promise.reject(new Error('the Kafka log is closed'));
      return producer.send(
        topic,
        records.map((record) => ({ key: record.key, value: record.value })),
      );
    },

    async consume(consumeOptions) {
      if (closed) throw new Error('the Kafka log is closed');
      const consumer = await startKafkaConsumer(
        { kafka, topic, partitions, sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000, retry, deadLetter, logger },
        consumeOptions,
      );
      const handle: LogConsumer = {
        stop: () => {
          consumers.delete(handle);
          return consumer.stop();
        },
      };
      consumers.add(handle);
      return handle;
    },

    lag: (groupId) => admin.lag(groupId),
    committedOffsets: (groupId) => admin.committedOffsets(groupId),
    rewindGroup: (groupId) => admin.rewindGroup(groupId),
    deadLetter,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...consumers].map((c) => c.stop()));
      await producer.close();
      await admin.close();
    },
  };
}
