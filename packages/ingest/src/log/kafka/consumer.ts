/**
 * The Kafka log's reads: a kafkajs consumer group with manual commits. A
 * batch's offsets are committed only after onBatch resolved; when it rejects
 * with a retriable (or unclassified) error, the partition is paused, rewound
 * to the first record not committed and redelivered after the retry policy's
 * backoff, while the other partitions go on; when it rejects with
 * `retriable: false`, the records go to the dead-letter topic and the offset
 * moves past them. A consumer kafkajs gives up on is replaced by a new one,
 * after the same backoff.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '../../logger.ts';
import { maxBatchRecordsOf, type ConsumeOptions, type LogConsumer, type LogRecord } from '../event-log.ts';
import type { RetryPolicy } from '../retry-policy.ts';
import { unavailable } from './errors.ts';

export interface KafkaConsumerDeps {
  kafka: Kafka;
  topic: string;
  /** Partitions consumed concurrently: the topic's partition count. */
  partitions: number;
  /** Consumer group session timeout; heartbeats go out ten times within it. */
  sessionTimeoutMs: number;
  /** Backoff of redeliveries and of consumer restarts; its decision on a rejected batch. */
  retry: RetryPolicy;
  /** Writes a record onBatch rejected as non-retriable to the dead-letter topic, durably. */
  deadLetter: (record: LogRecord, reason: string) => Promise<void>;
  logger?: Logger | undefined;
}

/** Starts a consumer of the group; rejects with LogUnavailableError when it cannot join. */
export async function startKafkaConsumer(deps: KafkaConsumerDeps, consumeOptions: ConsumeOptions): Promise<LogConsumer> {
  const { kafka, topic, retry, logger } = deps;
  const { groupId, onBatch } = consumeOptions;
  const maxBatchRecords = maxBatchRecordsOf(consumeOptions);
  const heartbeatIntervalMs = Math.max(500, Math.floor(deps.sessionTimeoutMs / 10));
  let stopping = false;
  let current: Consumer | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;
  let restarts = 0;
  const inHand = new Set<Promise<void>>();
  const resumeTimers = new Set<NodeJS.Timeout>();
  const failures = new Map<number, number>();

  function redeliverLater(payload: EachBatchPayload, firstOffset: string, error: unknown, what: string): void {
    const partition = payload.batch.partition;
    const attempt = (failures.get(partition) ?? 0) + 1;
    failures.set(partition, attempt);
    const delayMs = retry.delayMs(attempt - 1);
    logger?.warn(
      { err: error, topic, groupId, partition, offset: firstOffset, attempt, retryInMs: delayMs },
      `${what}; the records will be delivered again`,
    );
    try {
      // Rewind to the first record not committed: the records after it in
      // this fetch are dropped and fetched again after the pause.
      current?.seek({ topic, partition, offset: firstOffset });
    } catch (seekError) {
      logger?.debug({ err: seekError, partition }, 'seek failed (partition no longer assigned?)');
    }
    const resume = payload.pause();
    const timer = setTimeout(() => {
      resumeTimers.delete(timer);
      resume();
    }, delayMs);
    resumeTimers.add(timer);
  }

  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    for (let start = 0; start < batch.messages.length; start += maxBatchRecords) {
      if (stopping || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + maxBatchRecords);
      const first = chunk[0]!.offset;
      const last = chunk[chunk.length - 1]!.offset;
      const records: LogRecord[] = chunk.map((message) => ({
        partition,
        offset: BigInt(message.offset),
        key: message.key?.toString('utf8') ?? '',
        value: message.value ?? Buffer.alloc(0),
      }));
      // kafkajs heartbeats only between batches; keep the membership alive
      // while a slow handler runs (a failed beat means a rebalance: the
      // commit below then fails and the records come again).
      const beating = setInterval(() => {
        payload.heartbeat().catch(() => {});
      }, heartbeatIntervalMs);
      try {
        await onBatch({ partition, records });
      } catch (error) {
        const decision = retry.decide(error, failures.get(partition) ?? 0);
        if (decision.action === 'retry') {
          // Not committed, not resolved: the same records come again.
          redeliverLater(payload, first, error, 'onBatch rejected');
          return;
        }
        // The records are at fault: durable in the dead-letter topic before
        // the offset moves past them (a failed write redelivers the batch).
        logger?.error(
          { err: error, topic, groupId, partition, offset: first, records: records.length },
          'onBatch rejected the records as non-retriable; dead-lettering them',
        );
        try {
          await Promise.all(records.map((record) => deps.deadLetter(record, decision.reason)));
        } catch (dlqError) {
          redeliverLater(payload, first, dlqError, 'dead-lettering failed');
          return;
        }
      } finally {
        clearInterval(beating);
      }
      try {
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic, partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }] }],
        });
      } catch (error) {
        // Handled but not committed (broker gone, rebalance): delivered
        // again, which the idempotent handler absorbs.
        redeliverLater(payload, first, error, 'offset commit failed');
        return;
      }
      payload.resolveOffset(last);
      failures.delete(partition);
      // Lets a rebalance in progress through; it throws to make kafkajs rejoin.
      await payload.heartbeat();
    }
  }

  function start(): Promise<void> {
    starting = startConsumer().finally(() => {
      starting = undefined;
    });
    return starting;
  }

  async function startConsumer(): Promise<void> {
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // A consumer that died with the broker stays a member of the group
      // until its session times out, and a restarted consumer cannot join
      // before: this is how long consuming stalls after a broker restart.
      sessionTimeout: deps.sessionTimeoutMs,
      rebalanceTimeout: 30_000,
      heartbeatInterval: heartbeatIntervalMs,
      maxWaitTimeInMs: 500,
      // A whole default batch (100,000 records, about 30 MB) in one fetch,
      // and a response within the broker's fetch.max.bytes (55 MiB).
      maxBytesPerPartition: 32 * 1024 * 1024,
      maxBytes: 48 * 1024 * 1024,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
    consumer.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts itself after retriable errors; after the others it
      // stays down, so start a new consumer: a broker that comes back must
      // find the group consuming again.
      if (event.payload.restart || stopping) return;
      logger?.error({ err: event.payload.error, topic, groupId }, 'kafka consumer crashed; starting a new one');
      scheduleRestart();
    });
    current = consumer;
    try {
      await consumer.connect();
      // A group without committed offsets starts at the oldest record: every
      // acknowledged event is counted, whenever the consumer first started.
      // A new topic's metadata may answer "does not host this topic-partition"
      // for a moment: retried, bounded, as the admin reads are.
      await retry.retrying(6, () => consumer.subscribe({ topics: [topic], fromBeginning: true }));
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: deps.partitions,
        eachBatch: async (payload) => {
          const handling = handleBatch(payload);
          inHand.add(handling);
          try {
            await handling;
          } finally {
            inHand.delete(handling);
          }
        },
      });
    } catch (error) {
      current = undefined;
      void consumer.disconnect().catch(() => {});
      throw error;
    }
    restarts = 0;
  }

  function scheduleRestart(): void {
    if (stopping || restartTimer) return;
    restarts += 1;
    const delayMs = retry.delayMs(restarts - 1);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      start().catch((error: unknown) => {
        logger?.warn({ err: error, topic, groupId }, 'kafka consumer restart failed; trying again');
        scheduleRestart();
      });
    }, delayMs);
  }

  try {
    await start();
  } catch (error) {
    throw unavailable(`cannot start a consumer of ${topic} for group ${groupId}`, error);
  }

  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      // A restart under way finishes first, so that its consumer is the one
      // disconnected below rather than left running.
      await starting?.catch(() => {});
      // The batch in hand finishes and commits; no new chunk starts once
      // `stopping` is set.
      await Promise.allSettled([...inHand]);
      await current?.disconnect().catch((error: unknown) => {
        logger?.warn({ err: error, topic, groupId }, 'kafka consumer did not disconnect cleanly');
      });
      current = undefined;
    },
  };
}
