/**
 * The event log: where an acknowledged event becomes durable before it is
 * counted. Two implementations share this contract: Kafka (kafkajs, acks=all)
 * and the embedded segment log (fsync'd files in CORDON_DATA_DIR).
 *
 * Delivery is at-least-once: a batch whose handler did not resolve is
 * delivered again (after a crash, a rebalance or a handler error). The
 * consumer makes that exactly-once by deduplicating on event id.
 */

/** One record as appended: the key decides the partition (same key, same partition, in order). */
export interface LogAppend {
  key: string;
  value: Buffer;
}

/** One record as read back. `offset` is the position within its partition. */
export interface LogRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer;
}

/** Records of one partition, in offset order. */
export interface LogBatch {
  partition: number;
  records: LogRecord[];
}

export interface ConsumeOptions {
  /** Consumer group; its committed offsets survive restarts. */
  groupId: string;
  /**
   * Called with each batch. The batch's offsets are committed only after the
   * returned promise resolves; if it rejects, the same records are delivered
   * again after a backoff, so the handler must be idempotent.
   */
  onBatch: (batch: LogBatch) => Promise<void>;
  /** Largest batch handed to onBatch, in records (default DEFAULT_MAX_BATCH_RECORDS). */
  maxBatchRecords?: number;
}

/**
 * The default largest batch of both logs, and the roll-up consumer's.
 * ClickHouse wants few, large blocks, and the consumer inserts a batch in
 * blocks of 25,000 rows, decoding the next block while one is inserted
 * (rollup-step.ts): a batch of several blocks keeps both busy. 100,000
 * events are about 30 MB of envelopes, within a Kafka fetch (32 MiB a
 * partition). A steady trickle still goes in small batches: this only caps.
 */
export const DEFAULT_MAX_BATCH_RECORDS = 100_000;

/** `maxBatchRecords` of the options, or the default; a RangeError unless a positive integer. */
export function maxBatchRecordsOf(options: Pick<ConsumeOptions, 'maxBatchRecords'>): number {
  const max = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
  if (!Number.isInteger(max) || max < 1) throw new RangeError('maxBatchRecords must be a positive integer');
  return max;
}

export interface LogConsumer {
  /** Stops fetching, waits for the batch in hand to finish (and commit), then resolves. */
  stop(): Promise<void>;
}

export interface EventLog {
  /** "kafka" or "embedded", for status pages and logs. */
  readonly kind: 'kafka' | 'embedded';
  /**
   * Appends the records and resolves only once every one is durable (embedded:
   * written and fsync'd; Kafka: acks=all). Order is kept per key.
   * Rejects with a LogUnavailableError when the log cannot take writes now.
   */
  append(records: LogAppend[]): Promise<void>;
  /** Starts a consumer; resolves once it is running. */
  consume(options: ConsumeOptions): Promise<LogConsumer>;
  /** Records appended but not yet committed by the group (sum over partitions). */
  lag(groupId: string): Promise<number>;
  /** The group's committed offsets (the next record to deliver) by partition; partitions it never committed are absent. */
  committedOffsets(groupId: string): Promise<Map<number, bigint>>;
  /**
   * Moves the group back to the earliest record the log still holds, in every
   * partition, and returns those offsets (above 0: older records are gone,
   * to Kafka's retention). For a rebuild of ClickHouse from the log; call it
   * with no consumer of the group running.
   */
  rewindGroup(groupId: string): Promise<Map<number, bigint>>;
  /** Writes a record that could not be processed to the dead-letter log, durably. */
  deadLetter(record: LogRecord, reason: string): Promise<void>;
  close(): Promise<void>;
}

/** The log cannot take writes or reads right now (broker down, disk full); retry later. */
export class LogUnavailableError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogUnavailableError';
  }
}
