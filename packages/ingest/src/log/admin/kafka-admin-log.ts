/**
 * The admin log on Kafka: a compacted, single-partition topic
 * `<topic>.admin` (one live record per key and per region; compaction keeps
 * the last). Every process reads it from the beginning with a consumer group
 * of its own that never commits (kafkajs has no manual assignment), so it
 * sees every record, and keeps fetching with a 250 ms wait.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { adminRecordKey, adminRecordSchema, type AdminRecord } from '@cordon/schemas';
import type { Logger } from '../../logger.ts';
import { LogUnavailableError } from '../event-log.ts';
import { ADMIN_ATTEMPTS, ADMIN_BACKOFF, createKafkaAdmin } from '../kafka/admin.ts';
import { createRetryPolicy } from '../retry-policy.ts';
import { createKafkaClient } from '../kafka/client.ts';
import type { AdminLog } from './admin-log.ts';

export async function createKafkaAdminLog(options: {
  brokers: string[];
  topic: string;
  clientId?: string;
  logger: Logger;
  pollMs: number;
}): Promise<AdminLog> {
  const { topic, logger } = options;
  // Without a logger: kafkajs's own messages about this log go nowhere.
  const kafka = createKafkaClient({ brokers: options.brokers, clientId: options.clientId ?? 'cordon-admin' });
  const admin = createKafkaAdmin(kafka, { topic });
  try {
    await admin.createTopics([
      {
        topic,
        numPartitions: 1,
        replicationFactor: await admin.replicationFactor(),
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ]);
  } catch (error) {
    await admin.close();
    throw new LogUnavailableError(`cannot create the admin topic ${topic}`, { cause: error });
  }
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  return {
    kind: 'kafka',
    async append(record) {
      try {
        if (!producer) {
          const next = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
          await next.connect();
          producer = next;
        }
        await producer.send({ topic, acks: -1, messages: [{ key: adminRecordKey(record), value: JSON.stringify(record) }] });
      } catch (error) {
        throw new LogUnavailableError(`cannot write to the admin topic ${topic}`, { cause: error });
      }
    },
    async start(apply) {
      // Retried: right after the topic was created the broker may answer "not the leader".
      const high = (await admin.endOffsets()).get(0) ?? 0n;
      let seen = -1n;
      let caughtUp: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => (caughtUp = resolve));
      if (high === 0n) caughtUp();
      consumer = kafka.consumer({
        groupId: `${topic}.reader.${randomUUID()}`,
        maxWaitTimeInMs: options.pollMs,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      });
      await consumer.connect();
      // Right after the topic is made, a broker's metadata may still answer
      // "does not host this topic-partition": retried like the admin reads.
      const subscribing = consumer;
      await createRetryPolicy(ADMIN_BACKOFF).retrying(ADMIN_ATTEMPTS, () => subscribing.subscribe({ topic, fromBeginning: true }));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          seen = BigInt(message.offset);
          if (message.value !== null) {
            const parsed = adminRecordSchema.safeParse(JSON.parse(message.value.toString('utf8')));
            if (parsed.success) apply(parsed.data as AdminRecord);
            else logger.error({ offset: message.offset }, 'admin log: unreadable record skipped');
          }
          if (seen + 1n >= high) caughtUp();
        },
      });
      await Promise.race([
        ready,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new LogUnavailableError(`reading the admin topic ${topic} did not catch up within 30 s`)),
            30_000,
          ).unref(),
        ),
      ]);
    },
    async close() {
      await consumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      await admin.close();
    },
  };
}
