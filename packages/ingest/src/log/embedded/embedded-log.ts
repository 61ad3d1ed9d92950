/**
 * The embedded event log: the EventLog for one machine without Kafka.
 *
 * Folder layout (see README.md for the byte format and the durability argument):
 *
 *   <dir>/LOCK                    pid lock of the writing process
 *   <dir>/segments/<base>.log     the log, one partition (0); <base> = offset of its first record
 *   <dir>/groups/<group>.offset   committed offset of a consumer group
 *   <dir>/groups/<group>.lock     pid lock of the group's running consumer
 *   <dir>/dlq/LOCK, dlq/segments  the dead-letter log, same format
 *
 * One process writes (it holds LOCK); any number of others may open the
 * folder with `readOnly: true` to consume and read lag.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import type { ConsumeOptions, EventLog, LogAppend, LogConsumer, LogRecord } from '../event-log.ts';
import { LogUnavailableError } from '../event-log.ts';
import { startConsumer } from './consumer.ts';
import { createRetryPolicy } from '../retry-policy.ts';
import type { ConsumerDeps } from './consumer.ts';
import { fsyncDir } from './files.ts';
import { SEGMENT_HEADER_BYTES } from './format.ts';
import { acquireLock } from './lock-file.ts';
import type { HeldLock } from './lock-file.ts';
import { silentLogger } from '../../logger.ts';
import type { Logger as EmbeddedLogLogger } from '../../logger.ts';
import { readAllGroupOffsets, readGroupOffset, writeGroupOffset } from './offsets.ts';
import { listSegments, openSegmentForRead, readCommitted, segmentPath } from './segment-reader.ts';
import type { Position } from './segment-reader.ts';
import { SegmentWriter } from './segment-writer.ts';
import type { RecoveryReport } from './segment-writer.ts';

export { EmbeddedLogLockedError } from './lock-file.ts';
export { EmbeddedLogCorruptError } from './segment-reader.ts';
export type { Logger as EmbeddedLogLogger } from '../../logger.ts';

export interface EmbeddedLogOptions {
  /** The data folder; created if missing. */
  dir: string;
  /** A segment is closed and a new one started once it would grow past this. Default 64 MiB. */
  segmentBytes?: number | undefined;
  logger?: EmbeddedLogLogger | undefined;
  /**
   * Open without becoming the writer (no lock, no recovery): for a consumer
   * or status process beside the ingest process that writes. `append` rejects.
   */
  readOnly?: boolean | undefined;
  /** How often consumers look for records written by another process. Default 200 ms. */
  pollIntervalMs?: number | undefined;
  /** Backoff between redeliveries of a batch whose handler failed. Default 100 ms doubling up to 5 s. */
  retryBackoff?: { initialMs?: number | undefined; maxMs?: number | undefined } | undefined;
}

export interface EmbeddedEventLog extends EventLog {
  readonly kind: 'embedded';
  readonly dir: string;
  /** What recovery found when this instance opened as the writer (undefined when read-only). */
  readonly recovery: RecoveryReport | undefined;
  /** Offset after the last record: durable records for the writer, committed writes for a reader. */
  endOffset(): Promise<bigint>;
}

export interface DeadLetter {
  /** Position in the dead-letter log. */
  dlqOffset: bigint;
  reason: string;
  partition: number;
  /** Offset of the record in the main log. */
  offset: bigint;
  key: string;
  value: Buffer;
  deadLetteredAt: string;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export async function openEmbeddedLog(options: EmbeddedLogOptions): Promise<EmbeddedEventLog> {
  const dir = resolve(options.dir);
  const logger = options.logger ?? silentLogger;
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isInteger(segmentBytes) || segmentBytes < 1024) throw new RangeError('segmentBytes must be an integer >= 1024');
  const segmentsDir = join(dir, 'segments');
  const groupsDir = join(dir, 'groups');
  const createdSegments = await mkdir(segmentsDir, { recursive: true });
  const createdGroups = await mkdir(groupsDir, { recursive: true });
  if (createdSegments !== undefined || createdGroups !== undefined) {
    // A new data folder: make its entries durable, so that a power loss
    // cannot take back the folders that the first fsync'd records live in.
    await fsyncDir(dir);
    await fsyncDir(dirname(dir));
  }
  let lock: HeldLock | undefined;
  let writer: SegmentWriter | undefined;
  if (options.readOnly !== true) {
    lock = await acquireLock(join(dir, 'LOCK'), `embedded log ${dir}`, logger);
    try {
      writer = await SegmentWriter.open({ dir: segmentsDir, segmentBytes, logger, committed: await readAllGroupOffsets(groupsDir) });
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  return new EmbeddedLog(dir, segmentBytes, logger, options, lock, writer);
}

class EmbeddedLog implements EmbeddedEventLog {
  readonly kind = 'embedded' as const;
  private readonly segmentsDir: string;
  private readonly groupsDir: string;
  private readonly consumers = new Set<LogConsumer>();
  private readonly consumerDeps: ConsumerDeps;
  private closing = false;
  private closed = false;
  private dlq: Promise<{ lock: HeldLock; writer: SegmentWriter }> | undefined;
  private tail: { base: bigint; fh: FileHandle; committed: Position } | undefined;
  private tailQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly logger: EmbeddedLogLogger,
    options: EmbeddedLogOptions,
    private readonly lock: HeldLock | undefined,
    private readonly writer: SegmentWriter | undefined,
  ) {
    this.segmentsDir = join(dir, 'segments');
    this.groupsDir = join(dir, 'groups');
    const w = writer;
    this.consumerDeps = {
      segmentsDir: this.segmentsDir,
      groupsDir: this.groupsDir,
      logger,
      pollMs: options.pollIntervalMs ?? 200,
      retry: createRetryPolicy({ initialMs: options.retryBackoff?.initialMs ?? 100, maxMs: options.retryBackoff?.maxMs ?? 5000 }),
      deadLetter: (record, reason) => this.deadLetter(record, reason),
      subscribe: w === undefined ? () => () => undefined : (listener) => w.onDurable(listener),
      writeCount: w === undefined ? () => 0 : () => w.writeCount,
      ...(w === undefined ? {} : { durableEnd: () => w.endOffset }),
    };
  }

  get recovery(): RecoveryReport | undefined {
    return this.writer?.recovery;
  }

  append(records: LogAppend[]): Promise<void> {
    if (this.writer === undefined) {
      return Promise.reject(new Error(`embedded log ${this.dir} was opened readOnly; it cannot append`));
    }
    return this.writer.append(records);
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    if (this.closing) throw new LogUnavailableError('embedded log is closed');
    const inner = await startConsumer(this.consumerDeps, options);
    const consumer: LogConsumer = {
      stop: async () => {
        this.consumers.delete(consumer);
        await inner.stop();
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async endOffset(): Promise<bigint> {
    if (this.closed) throw new LogUnavailableError('embedded log is closed');
    if (this.writer !== undefined) return this.writer.endOffset;
    // Serialised: the tail handle is swapped when the last segment changes.
    const run = this.tailQueue.then(() => this.readTail());
    this.tailQueue = run.catch(() => undefined);
    return run;
  }

  /** Reader side: the offset after the last COMMIT of the last segment, scanned incrementally. */
  private async readTail(): Promise<bigint> {
    const bases = await listSegments(this.segmentsDir);
    const last = bases[bases.length - 1];
    if (last === undefined) return 0n;
    if (this.tail?.base !== last) {
      const fh = await openSegmentForRead(segmentPath(this.segmentsDir, last));
      await this.tail?.fh.close().catch(() => undefined);
      this.tail = { base: last, fh, committed: { pos: SEGMENT_HEADER_BYTES, offset: last } };
    }
    const tail = this.tail;
    const scan = await readCommitted(tail.fh, tail.committed, {
      maxRecords: Infinity,
      collect: false,
      chunkBytes: 1024 * 1024,
    });
    tail.committed = scan.committed;
    return scan.committed.offset;
  }

  async lag(groupId: string): Promise<number> {
    const end = await this.endOffset();
    const committed = (await readGroupOffset(this.groupsDir, groupId)) ?? 0n;
    return end > committed ? Number(end - committed) : 0;
  }

  async committedOffsets(groupId: string): Promise<Map<number, bigint>> {
    const committed = await readGroupOffset(this.groupsDir, groupId);
    return committed === undefined ? new Map() : new Map([[0, committed]]);
  }

  async rewindGroup(groupId: string): Promise<Map<number, bigint>> {
    const [first] = await listSegments(this.segmentsDir);
    const earliest = first ?? 0n;
    await writeGroupOffset(this.groupsDir, groupId, earliest);
    return new Map([[0, earliest]]);
  }

  async deadLetter(record: LogRecord, reason: string): Promise<void> {
    // Allowed while closing: the batch a stopping consumer has in hand may dead-letter.
    if (this.closed || (this.closing && this.dlq === undefined)) {
      throw new LogUnavailableError('embedded log is closed');
    }
    const dlq = await this.openDlq();
    const envelope = {
      v: 1,
      reason,
      partition: record.partition,
      offset: record.offset.toString(),
      key: record.key,
      deadLetteredAt: new Date().toISOString(),
      value: record.value.toString('base64'),
    };
    await dlq.writer.append([{ key: record.key, value: Buffer.from(JSON.stringify(envelope)) }]);
  }

  /**
   * The dead-letter log has its own lock, taken on first use, so that the
   * process that consumes (and dead-letters) need not be the one that writes
   * the main log.
   */
  private openDlq(): Promise<{ lock: HeldLock; writer: SegmentWriter }> {
    this.dlq ??= (async () => {
      const dlqDir = join(this.dir, 'dlq');
      await mkdir(dlqDir, { recursive: true });
      const lock = await acquireLock(join(dlqDir, 'LOCK'), `dead-letter log ${dlqDir}`, this.logger);
      try {
        const writer = await SegmentWriter.open({
          dir: join(dlqDir, 'segments'),
          segmentBytes: this.segmentBytes,
          logger: this.logger,
        });
        return { lock, writer };
      } catch (error) {
        await lock.release();
        throw error;
      }
    })();
    const opening = this.dlq;
    void opening.catch(() => {
      // A failed open (say, another process holds the lock) is retried on the next call.
      if (this.dlq === opening) this.dlq = undefined;
    });
    return opening;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Consumers first: a batch in hand may still append or dead-letter.
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.closed = true;
    await this.writer?.close();
    await this.lock?.release();
    const dlq = await this.dlq?.catch(() => undefined);
    if (dlq !== undefined) {
      await dlq.writer.close();
      await dlq.lock.release();
    }
    await this.tailQueue;
    await this.tail?.fh.close().catch(() => undefined);
    this.tail = undefined;
  }
}

/** Reads the dead-letter log of a data folder (for operators and tests). Needs no lock. */
export async function readDeadLetters(dir: string): Promise<DeadLetter[]> {
  const segmentsDir = join(resolve(dir), 'dlq', 'segments');
  let bases: bigint[];
  try {
    bases = await listSegments(segmentsDir);
  } catch {
    return [];
  }
  const letters: DeadLetter[] = [];
  for (const base of bases) {
    const fh = await openSegmentForRead(segmentPath(segmentsDir, base));
    try {
      const read = await readCommitted(fh, { pos: SEGMENT_HEADER_BYTES, offset: base }, { maxRecords: Infinity, collect: true });
      for (const record of read.records) {
        const envelope = JSON.parse(record.value.toString('utf8')) as {
          reason: string;
          partition: number;
          offset: string;
          key: string;
          deadLetteredAt: string;
          value: string;
        };
        letters.push({
          dlqOffset: record.offset,
          reason: envelope.reason,
          partition: envelope.partition,
          offset: BigInt(envelope.offset),
          key: envelope.key,
          value: Buffer.from(envelope.value, 'base64'),
          deadLetteredAt: envelope.deadLetteredAt,
        });
      }
    } finally {
      await fh.close();
    }
  }
  return letters;
}
