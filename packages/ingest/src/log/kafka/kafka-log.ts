/**
 * The EventLog on Apache Kafka, through kafkajs.
 *
 * Writes: one idempotent producer (acks=all, one request in flight), fed by a
 * queue. Appends that arrive while a request is out are sent together in the
 * next request (group commit), so concurrent callers share round trips and
 * kafkajs never sees two sends at once, which its idempotent producer does not
 * handle well (sequence numbers are assigned per send). An append resolves
 * only once the broker acknowledged every record of it.
 *
 * Failure: any failed send rejects its appends with LogUnavailableError (or the
 * broker's error when the records themselves are at fault, e.g. too large)
 * within `appendTimeoutMs`, and the producer is thrown away. The next append
 * starts a new producer (new producer id, sequences from 0), so a send whose
 * outcome was unknown can never leave the partition with a sequence gap that
 * blocks every later write. A rejected append may still have been written:
 * the caller retries it, and the consumer deduplicates on event id.
 *
 * Reads: a kafkajs consumer group with manual commits. A batch's offsets are
 * committed only after onBatch resolved; when it rejects with a retriable (or
 * unclassified) error, the partition is paused, rewound to the first record
 * not committed and redelivered after the retry policy's backoff, while the
 * other partitions go on; when it rejects with `retriable: false`, the records
 * go to the dead-letter topic and the offset moves past them.
 */
import {
  Kafka,
  Partitioners,
  logLevel as KafkaJsLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import type { Logger } from '../../logger.ts';
import {
  LogUnavailableError,
  type ConsumeOptions,
  type EventLog,
  type LogAppend,
  type LogConsumer,
  type LogRecord,
} from '../event-log.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffMs, createRetryPolicy, retriableFlag } from '../retry-policy.ts';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface KafkaLogOptions {
  /** Bootstrap servers, "host:port". */
  brokers: string[];
  /** The events topic; `<topic>.dlq` holds the dead letters. Both are created if missing. */
  topic: string;
  clientId?: string;
  /** Partitions of the topics when this creates them (default 3). Existing topics are left as they are. */
  partitions?: number;
  /** Replication factor of the topics when this creates them (default 1). */
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
/** Bytes a record costs beyond its key and value, roughly (record header, varints). */
const RECORD_OVERHEAD_BYTES = 32;
const DEFAULT_MAX_BATCH_RECORDS = 5_000;

/**
 * Broker errors that say the records are at fault, not the broker: retrying
 * the same append will fail the same way, so they are not LogUnavailableError.
 */
const RECORD_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'INVALID_REQUIRED_ACKS',
]);

/** Admin reads (lag, committed offsets, rewind) ride out a coordinator or leader move: about 3 s in all. */
const adminAttempts = 6;
const adminBackoff = { initialMs: 100, maxMs: 1_000 } as const;

/** Creates the topics if missing and returns the log; rejects with LogUnavailableError when no broker answers. */
export async function createKafkaLog(options: KafkaLogOptions): Promise<EventLog> {
  const topic = options.topic;
  const dlqTopic = `${topic}.dlq`;
  const logger = options.logger;
  const appendTimeoutMs = options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS;
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const retry = createRetryPolicy(options.redeliveryBackoff ?? { initialMs: 200, maxMs: 5_000 });
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
  const heartbeatIntervalMs = Math.max(500, Math.floor(sessionTimeoutMs / 10));

  const kafka = new Kafka({
    clientId: options.clientId ?? 'cordon',
    brokers: options.brokers,
    // A local broker that is down refuses at once; one that hangs should not
    // hold a request for kafkajs's default 30 s.
    connectionTimeout: 1_000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logger ? toKafkaLevel(options.logLevel ?? 'warn') : KafkaJsLevel.NOTHING,
    logCreator: () => (entry) => forwardLog(logger, entry),
  });

  let closed = false;
  let admin: Admin | undefined;
  async function getAdmin(): Promise<Admin> {
    if (admin) return admin;
    const next = kafka.admin();
    try {
      await next.connect();
    } catch (error) {
      void next.disconnect().catch(() => {});
      throw error;
    }
    admin = next;
    return next;
  }
  function dropAdmin(): void {
    const old = admin;
    admin = undefined;
    void old?.disconnect().catch(() => {});
  }

  try {
    const created = await (await getAdmin()).createTopics({
      waitForLeaders: true,
      topics: [topic, dlqTopic].map((name) => ({
        topic: name,
        numPartitions: options.partitions ?? 3,
        replicationFactor: options.replicationFactor ?? 1,
      })),
    });
    logger?.debug({ topic, dlqTopic, created }, 'kafka topics ready');
  } catch (error) {
    dropAdmin();
    throw unavailable(`cannot create the topics ${topic} and ${dlqTopic}`, error);
  }

  // ---- writes -------------------------------------------------------------

  interface PendingSend {
    topic: string;
    messages: Message[];
    bytes: number;
    resolve: () => void;
    reject: (error: unknown) => void;
  }

  const queue: PendingSend[] = [];
  // `draining` is cleared by drain() itself, synchronously as it sees the
  // queue empty: an append made by a caller its last resolve woke up must
  // start a new drain, not wait on one that is already over.
  let draining = false;
  let drained: Promise<void> = Promise.resolve();
  let producer: Producer | undefined;

  async function getProducer(): Promise<Producer> {
    if (producer) return producer;
    const next = kafka.producer({
      idempotent: true,
      // Idempotence needs one request in flight per connection, so that a
      // retried batch cannot overtake the one after it.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Few, short retries: the append's own deadline decides, and a failed
      // send replaces the producer anyway.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    try {
      await withDeadline(next.connect(), appendTimeoutMs, 'connecting the producer');
    } catch (error) {
      void next.disconnect().catch(() => {});
      throw error;
    }
    producer = next;
    return next;
  }

  function dropProducer(): void {
    const old = producer;
    producer = undefined;
    void old?.disconnect().catch(() => {});
  }

  function enqueue(topicName: string, messages: Message[]): Promise<void> {
    if (closed) return Promise.reject(new Error('the Kafka log is closed'));
    if (messages.length === 0) return Promise.resolve();
    let bytes = 0;
    for (const message of messages) bytes += messageBytes(message);
    return new Promise<void>((resolve, reject) => {
      queue.push({ topic: topicName, messages, bytes, resolve, reject });
      if (!draining) {
        draining = true;
        drained = drain();
      }
    });
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        // Take whole appends up to the request size (at least one); an append
        // larger than that is sent alone, in several requests, in order.
        const group: PendingSend[] = [];
        let bytes = 0;
        while (queue.length > 0) {
          const next = queue[0]!;
          if (group.length > 0 && bytes + next.bytes > maxRequestBytes) break;
          group.push(queue.shift()!);
          bytes += next.bytes;
        }
        try {
          for (const request of splitRequests(group, maxRequestBytes)) {
            const sending = getProducer().then((p) =>
              p.sendBatch({ topicMessages: request, acks: -1, timeout: appendTimeoutMs }),
            );
            await withDeadline(sending, appendTimeoutMs, 'waiting for the broker to acknowledge');
          }
          for (const pending of group) pending.resolve();
        } catch (error) {
          dropProducer();
          const failure = classifyWriteError(error);
          logger?.warn({ err: error, topic, appends: group.length }, 'kafka append failed');
          for (const pending of group) pending.reject(failure);
        }
      }
    } finally {
      // Synchronously after the last resolve, before any woken caller runs.
      draining = false;
    }
  }

  function deadLetterRecord(record: LogRecord, reason: string): Promise<void> {
    return enqueue(dlqTopic, [
      {
        key: record.key,
        value: record.value,
        headers: {
          reason,
          'original-topic': topic,
          'original-partition': String(record.partition),
          'original-offset': record.offset.toString(),
          'dead-lettered-at': new Date().toISOString(),
        },
      },
    ]);
  }

  // ---- reads --------------------------------------------------------------

  const consumers = new Set<LogConsumer>();

  async function consume(consumeOptions: ConsumeOptions): Promise<LogConsumer> {
    if (closed) throw new Error('the Kafka log is closed');
    const { groupId, onBatch } = consumeOptions;
    const maxBatchRecords = Math.max(1, consumeOptions.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS);
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
          logger?.error({ err: error, topic, groupId, partition, offset: first, records: records.length }, 'onBatch rejected the records as non-retriable; dead-lettering them');
          try {
            await Promise.all(records.map((record) => deadLetterRecord(record, decision.reason)));
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
        sessionTimeout: sessionTimeoutMs,
        rebalanceTimeout: 30_000,
        heartbeatInterval: heartbeatIntervalMs,
        maxWaitTimeInMs: 500,
        maxBytesPerPartition: 4 * 1024 * 1024,
        maxBytes: 32 * 1024 * 1024,
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
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitions ?? 3,
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

    const handle: LogConsumer = {
      stop: async () => {
        if (stopping) return;
        stopping = true;
        consumers.delete(handle);
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
    consumers.add(handle);
    return handle;
  }

  /**
   * An admin read or write, retried a few times while the broker answers with
   * a retriable error (a group coordinator or partition leader that moved:
   * "not the correct coordinator", "not the leader"), as kafkajs's own
   * clients do. Without it one leader election fails a lag read or the
   * start-up heal check. Non-retriable errors and the last attempt's error
   * go to the caller.
   */
  async function adminRetrying<T>(work: (client: Admin) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work(await getAdmin());
      } catch (error) {
        if (attempt >= adminAttempts - 1 || retriableFlag(error) !== true) throw error;
        dropAdmin();
        await delay(backoffMs(attempt, adminBackoff));
      }
    }
  }

  // ---- the log --------------------------------------------------------------

  return {
    kind: 'kafka',

    append(records: LogAppend[]): Promise<void> {
      return enqueue(
        topic,
        records.map((record) => ({ key: record.key, value: record.value })),
      );
    },

    consume,

    async lag(groupId: string): Promise<number> {
      try {
        return await adminRetrying(async (client) => {
          const [ends, committed] = await Promise.all([
            client.fetchTopicOffsets(topic),
            client.fetchOffsets({ groupId, topics: [topic] }),
          ]);
          const committedByPartition = new Map<number, bigint>();
          for (const entry of committed.find((t) => t.topic === topic)?.partitions ?? []) {
            committedByPartition.set(entry.partition, BigInt(entry.offset));
          }
          let lag = 0n;
          for (const end of ends) {
            const high = BigInt(end.high);
            const low = BigInt(end.low);
            const done = committedByPartition.get(end.partition) ?? -1n;
            // Nothing committed yet (-1): everything still in the log is lag.
            const from = done < 0n ? low : done;
            if (high > from) lag += high - from;
          }
          return Number(lag);
        });
      } catch (error) {
        dropAdmin();
        throw unavailable(`cannot read the lag of group ${groupId} on ${topic}`, error);
      }
    },

    async committedOffsets(groupId: string): Promise<Map<number, bigint>> {
      try {
        return await adminRetrying(async (client) => {
          const committed = await client.fetchOffsets({ groupId, topics: [topic] });
          const offsets = new Map<number, bigint>();
          for (const entry of committed.find((t) => t.topic === topic)?.partitions ?? []) {
            if (BigInt(entry.offset) >= 0n) offsets.set(entry.partition, BigInt(entry.offset));
          }
          return offsets;
        });
      } catch (error) {
        dropAdmin();
        throw unavailable(`cannot read the committed offsets of group ${groupId} on ${topic}`, error);
      }
    },

    async rewindGroup(groupId: string): Promise<Map<number, bigint>> {
      try {
        return await adminRetrying(async (client) => {
          const ends = await client.fetchTopicOffsets(topic);
          // Explicit offsets rather than resetOffsets({ earliest }): kafkajs's
          // "earliest" is -2, which a group with no consumer keeps as is, and
          // lag() would then read the group as having committed nothing yet.
          await client.setOffsets({ groupId, topic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.low })) });
          return new Map(ends.map((e) => [e.partition, BigInt(e.low)]));
        });
      } catch (error) {
        dropAdmin();
        throw unavailable(`cannot rewind group ${groupId} on ${topic}`, error);
      }
    },

    deadLetter: deadLetterRecord,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...consumers].map((c) => c.stop()));
      // Appends already queued still get their answer.
      await drained;
      const old = producer;
      producer = undefined;
      await old?.disconnect().catch(() => {});
      const oldAdmin = admin;
      admin = undefined;
      await oldAdmin?.disconnect().catch(() => {});
    },
  };
}

/** Splits the appends of one group into requests of at most maxBytes, keeping order. */
function splitRequests(
  group: { topic: string; messages: Message[] }[],
  maxBytes: number,
): { topic: string; messages: Message[] }[][] {
  const requests: { topic: string; messages: Message[] }[][] = [];
  let request: { topic: string; messages: Message[] }[] = [];
  let bytes = 0;
  for (const pending of group) {
    for (const message of pending.messages) {
      const size = messageBytes(message);
      if (bytes > 0 && bytes + size > maxBytes) {
        requests.push(request);
        request = [];
        bytes = 0;
      }
      let entry = request[request.length - 1];
      if (!entry || entry.topic !== pending.topic) {
        entry = { topic: pending.topic, messages: [] };
        request.push(entry);
      }
      entry.messages.push(message);
      bytes += size;
    }
  }
  if (request.length > 0) requests.push(request);
  return requests;
}

function messageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + (typeof value === 'string' || Buffer.isBuffer(value) ? byteLength(value) : 0);
  }
  return bytes;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** The broker's error type (e.g. MESSAGE_TOO_LARGE) anywhere in the cause chain, if any. */
function protocolErrorType(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerType = protocolErrorType(inner);
        if (innerType) return innerType;
      }
    }
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

function classifyWriteError(error: unknown): Error {
  const type = protocolErrorType(error);
  if (type && RECORD_ERRORS.has(type)) {
    return new Error(`Kafka refused the records: ${type}`, { cause: error });
  }
  return unavailable('Kafka did not acknowledge the append', error);
}

function unavailable(message: string, cause: unknown): LogUnavailableError {
  if (cause instanceof LogUnavailableError) return cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new LogUnavailableError(`${message}${detail}`, { cause });
}

class DeadlineError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** Rejects after `ms` if `promise` has not settled; the promise goes on but its outcome is ignored. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`timed out after ${ms} ms ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function toKafkaLevel(level: KafkaLogLevel): KafkaJsLevel {
  switch (level) {
    case 'error':
      return KafkaJsLevel.ERROR;
    case 'warn':
      return KafkaJsLevel.WARN;
    case 'info':
      return KafkaJsLevel.INFO;
    case 'debug':
      return KafkaJsLevel.DEBUG;
  }
}

/** kafkajs messages that are expected here and say nothing to an operator. */
const QUIET_MESSAGES = [
  // Retries are limited on purpose: a failed send replaces the producer (see top).
  'Limiting retries for the idempotent producer',
];

function forwardLog(logger: Logger | undefined, entry: LogEntry): void {
  if (!logger) return;
  const { message, ...fields } = entry.log;
  const context = { ...fields, kafkajs: entry.namespace };
  if (QUIET_MESSAGES.some((quiet) => message.includes(quiet))) {
    logger.debug(context, message);
    return;
  }
  switch (entry.level) {
    case KafkaJsLevel.ERROR:
      logger.error(context, message);
      return;
    case KafkaJsLevel.WARN:
      logger.warn(context, message);
      return;
    case KafkaJsLevel.INFO:
      logger.info(context, message);
      return;
    default:
      logger.debug(context, message);
  }
}
